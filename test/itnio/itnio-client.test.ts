import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import sinon from 'sinon';
import { ItnioStub, type VendorFault } from '../../sandbox/itnio-stub.js';
import { ItnioClient, ItnioError, sipQueryAnswerOf, VENDOR_STATUSES } from '../../src/itnio/index.js';
import { signRequest } from '../../src/itnio/signing.js';
import { captureLogger } from '../helpers/logs.js';
import { expectNoSecret } from '../helpers/leaks.js';
import { until } from '../helpers/until.js';

const API_KEY = 'key-for-tests';
const API_SECRET = 'secret-for-tests-0123';

describe('ITNIO client', () => {
  let stub: ItnioStub;
  let stubNow: () => number;
  const logs = captureLogger([API_KEY, API_SECRET]);

  function client(overrides: Partial<ConstructorParameters<typeof ItnioClient>[0]> = {}): ItnioClient {
    return new ItnioClient({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      baseUrl: stub.baseUrl,
      appIds: ['app1', 'app2'],
      timeoutMs: 2000,
      logger: logs.logger,
      onPassword: (password) => logs.redactor.remember(password),
      ...overrides,
    });
  }

  async function failure(promise: Promise<unknown>): Promise<ItnioError> {
    try {
      await promise;
    } catch (error) {
      expect(error).to.be.instanceOf(ItnioError);
      return error as ItnioError;
    }
    throw new Error('expected the reset to fail');
  }

  beforeEach(async () => {
    logs.clear();
    stubNow = Date.now;
    stub = new ItnioStub({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      accounts: { app1: ['1001', '1002'], app2: ['2001'] },
      now: () => stubNow(),
    });
    await stub.start();
  });

  afterEach(() => stub.stop());

  it('signs with the vendor test vector', () => {
    expect(signRequest('bDqJFiq9', '7bz1lzh9', '1630468800')).to.equal('05d7a50893e22a5c4bb3216ae3396c7c');
  });

  it('resets an account and returns the new password the vendor issued', async () => {
    const result = await client().sipReset({ account: '1001', appId: 'app1' });
    expect(result.account).to.equal('1001');
    expect(result.appId).to.equal('app1');
    expect(result.password).to.equal(stub.passwords.get('app1/1001'));
    expect(stub.resets).to.have.length(1);
  });

  it("remembers an issued password for redaction, but never a lock-out's, discarded as it arrives", async () => {
    const onPassword = sinon.fake();
    await client({ onPassword }).sipReset({ account: '1001', appId: 'app1' });
    expect(onPassword.args).to.deep.equal([[stub.passwords.get('app1/1001')]]);
    // A large lock-out would otherwise fill the redactor's backstop and push out the passwords
    // people are being shown, and keep thrown-away passwords in memory for half an hour.
    await client({ onPassword }).sipReset({ account: '1002', appId: 'app1', discarded: true });
    expect(stub.resets).to.have.length(2);
    expect(onPassword.callCount).to.equal(1);
  });

  it('accepts a numeric status, as one of the vendor samples sends', async () => {
    await stub.stop();
    stub = new ItnioStub({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      accounts: { app1: ['1001'] },
      numericStatus: true,
    });
    await stub.start();
    const result = await client().sipReset({ account: '1001', appId: 'app1' });
    expect(result.password).to.equal(stub.passwords.get('app1/1001'));
  });

  for (const [status, known] of Object.entries(VENDOR_STATUSES)) {
    for (const asNumber of [false, true]) {
      it(`maps status ${status} (${asNumber ? 'number' : 'string'}) to ${known.code}, outcome ${known.outcome}`, async () => {
        // -16 is retried once after a clock correction, so it is scripted twice.
        const times = status === '-16' ? 2 : 1;
        for (let i = 0; i < times; i += 1) {
          stub.faults.push({ kind: 'status', status: asNumber ? Number(status) : status, reason: 'why' });
        }
        const error = await failure(client().sipReset({ account: '1001', appId: 'app1' }));
        expect(error.code).to.equal(known.code);
        expect(error.outcome).to.equal(known.outcome);
        expect(error.vendorStatus).to.equal(status);
        expect(error.vendorReason).to.equal('why');
        // A reset whose outcome is unknown says what to do about it.
        expect(error.message).to.equal(
          known.outcome === 'unknown'
            ? `${known.message} The password may or may not have been reset. Check with the helpdesk before trying again.`
            : known.message,
        );
        expect(stub.calls).to.have.length(times);
      });
    }
  }

  it('keeps an unknown status as it is, with an unknown outcome', async () => {
    stub.faults.push({ kind: 'status', status: '-99', reason: 'brand new' });
    const error = await failure(client().sipReset({ account: '1001', appId: 'app1' }));
    expect(error.code).to.equal('unknown_status');
    expect(error.vendorStatus).to.equal('-99');
    expect(error.outcome).to.equal('unknown');
    expect(error.message).to.contain('-99').and.contain('brand new');
  });

  it('is refused with -1 by the stand-in when signed with the wrong secret, and not retried', async () => {
    const error = await failure(
      client({ apiSecret: 'wrong-secret' }).sipReset({ account: '1001', appId: 'app1' }),
    );
    expect(error.code).to.equal('auth_failed');
    expect(error.outcome).to.equal('not_processed');
    expect(stub.calls.map((call) => call.answered)).to.deep.equal(['-1']);
  });

  it('reports -24 for an account the application does not have', async () => {
    const error = await failure(client().sipReset({ account: '9999', appId: 'app1' }));
    expect(error.code).to.equal('account_not_found');
    expect(error.outcome).to.equal('not_processed');
  });

  /** Each leaves the vendor's side unknown (it may have reset the account), so none is retried. */
  const UNKNOWN_OUTCOMES: Array<{ what: string; fault: VendorFault; code: string }> = [
    { what: 'HTTP 500', fault: { kind: 'http', code: 500 }, code: 'http_error' },
    { what: 'a garbage body', fault: { kind: 'garbage' }, code: 'bad_response' },
    { what: 'a connection reset', fault: { kind: 'reset' }, code: 'connection_lost' },
    { what: 'no answer within timeoutMs', fault: { kind: 'hang' }, code: 'timeout' },
  ];

  /**
   * A reset whose answer never comes, with the client's timer on a fake clock moved past timeoutMs
   * once the request is in. Only timers are faked: the sockets and the stand-in stay real.
   */
  async function resetTimedOut(timeoutMs: number): Promise<ItnioError> {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let settled = false;
      const error = failure(client({ timeoutMs }).sipReset({ account: '1001', appId: 'app1' })).finally(
        () => {
          settled = true;
        },
      );
      await until(() => stub.calls.length === 1, 'the reset reached the vendor');
      await clock.tickAsync(timeoutMs - 1);
      expect(settled, 'it waits for timeoutMs').to.equal(false);
      await clock.tickAsync(1);
      return await error;
    } finally {
      clock.restore();
    }
  }

  for (const c of UNKNOWN_OUTCOMES) {
    it(`treats ${c.what} as an unknown outcome (${c.code}), and never retries it`, async () => {
      stub.faults.push(c.fault);
      const error =
        c.fault.kind === 'hang'
          ? await resetTimedOut(2000)
          : await failure(client().sipReset({ account: '1001', appId: 'app1' }));
      expect(error.code).to.equal(c.code);
      expect(error.outcome).to.equal('unknown');
      expect(stub.calls).to.have.length(1);
    });
  }

  it('treats a 404 (wrong base URL) as not processed', async () => {
    const error = await failure(
      client({ baseUrl: `${stub.baseUrl}/wrong` }).sipReset({ account: '1001', appId: 'app1' }),
    );
    expect(error.code).to.equal('http_refused');
    expect(error.outcome).to.equal('not_processed');
  });

  for (const code of [301, 302, 303, 307, 308] as const) {
    it(`does not follow a redirect (HTTP ${code}): nothing reaches its Location, and it is not processed`, async () => {
      const elsewhere: string[] = [];
      const other = createServer((req, res) => {
        elsewhere.push(`${req.method ?? '?'} ${req.url ?? '?'} ${JSON.stringify(req.headers)}`);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"0"}');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = other.address() as AddressInfo;
        stub.faults.push({ kind: 'redirect', code, location: `http://127.0.0.1:${port}/sipReset` });
        const error = await failure(client().sipReset({ account: '1001', appId: 'app1' }));
        expect(elsewhere).to.deep.equal([]);
        expect(stub.calls.map((call) => call.answered)).to.deep.equal([`redirect ${code}`]);
        expect(error.code).to.equal('redirected');
        expect(error.outcome).to.equal('not_processed');
        expect(error.message)
          .to.contain(`HTTP ${code}`)
          .and.contain('not processed')
          .and.contain('ITNIO_BASE_URL');
      } finally {
        await new Promise<void>((resolve) => other.close(() => resolve()));
      }
    });
  }

  it('corrects its clock from the Date header after -16 and succeeds on the one retry', async () => {
    stubNow = () => Date.now() + 10 * 60_000;
    const c = client();
    const result = await c.sipReset({ account: '1001', appId: 'app1' });
    expect(result.password).to.equal(stub.passwords.get('app1/1001'));
    expect(stub.calls.map((call) => call.answered)).to.deep.equal(['-16', '0']);
    // The correction is kept: the next reset is signed right the first time.
    await c.sipReset({ account: '1002', appId: 'app1' });
    expect(stub.calls.map((call) => call.answered)).to.deep.equal(['-16', '0', '0']);
  });

  it('retries a refused connection once, then reports it as not processed', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(
      client({ baseUrl: `http://127.0.0.1:${port}` }).sipReset({ account: '1001', appId: 'app1' }),
    );
    expect(error.code).to.equal('unreachable');
    expect(error.outcome).to.equal('not_processed');
    expect(logs.lines().filter((line) => line.message === 'itnio sipReset failed')).to.have.length(2);
  });

  it('rejects bad input before anything is sent', async () => {
    const bad = ['', '123', 'a'.repeat(33), '10 01', '1001\n', '10\u000701', '\u200b1001'];
    for (const account of bad) {
      const error = await failure(client().sipReset({ account, appId: 'app1' }));
      expect(error.code, JSON.stringify(account)).to.equal('invalid_account');
    }
    const unknownApp = await failure(client().sipReset({ account: '1001', appId: 'nope' }));
    expect(unknownApp.code).to.equal('unknown_app');
    expect(stub.calls).to.have.length(0);
  });

  it('accepts 4 and 32 character accounts, counted in characters', async () => {
    await stub.stop();
    stub = new ItnioStub({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      accounts: { app1: ['1234', 'b'.repeat(32)] },
    });
    await stub.start();
    await client().sipReset({ account: '1234', appId: 'app1' });
    await client().sipReset({ account: 'b'.repeat(32), appId: 'app1' });
    expect(stub.resets).to.have.length(2);
  });

  it('logs account, app, status and duration, never the password, secret or signature', async () => {
    const result = await client().sipReset({ account: '1001', appId: 'app1' });
    const line = logs.lines().find((l) => l.message === 'itnio sipReset succeeded');
    expect(line).to.include({ account: '1001', appId: 'app1', status: '0' });
    expect(line?.durationMs).to.be.a('number');
    const all = logs.text();
    expectNoSecret(all, { 'the password': result.password, 'the API secret': API_SECRET });
    expect(all).not.to.contain(signRequest(API_KEY, API_SECRET, String(Math.floor(Date.now() / 1000))));
  });

  it('never puts a secret into an error message', async () => {
    for (const fault of [{ kind: 'garbage' }, { kind: 'http', code: 502 }, { kind: 'reset' }] as const) {
      stub.faults.push(fault);
      const error = await failure(client().sipReset({ account: '1001', appId: 'app1' }));
      expectNoSecret(`${error.message} ${error.stack}`, {
        'the API secret': API_SECRET,
        'the API key': API_KEY,
      });
    }
  });

  describe('sipQuery', () => {
    it('asks for one record of an application and keeps only how many phones it has, never a password', async () => {
      const onPassword = sinon.fake();
      const summary = await client({ onPassword }).sipQuery('app1');
      expect(summary).to.deep.equal({ appId: 'app1', total: 2 });
      expect(stub.queries).to.deep.equal([{ appId: 'app1', current: 1, size: 1, answered: '0' }]);
      expect(stub.disclosed, 'the answer held a password').to.have.length(1);
      expect(stub.calls, 'no reset').to.have.length(0);
      expect(onPassword.called, 'a queried password is not an issued one').to.equal(false);
      const [password] = stub.disclosed;
      expect(JSON.stringify(summary)).not.to.contain(password);
      expectNoSecret(logs.text(), { 'the queried password': password as string });
      expect(logs.lines().find((l) => l.message === 'itnio sipQuery succeeded')).to.include({
        appId: 'app1',
        status: '0',
      });
    });

    /** An answer whose vendor renamed the password's key and added fields, each holding a password. */
    const REKEYED = 'pw-rekeyed-5150';
    const rekeyedAnswer = {
      status: '0',
      reason: 'success',
      secret: REKEYED,
      data: {
        total: 2,
        records: [{ account: '1001', pwd: `${REKEYED}-pwd`, sipPassword: `${REKEYED}-sip` }],
        list: [{ account: '1002', secret: `${REKEYED}-list` }],
        firstPassword: `${REKEYED}-extra`,
      },
    };

    it('keeps of an answer only its status, reason and total, whatever other fields it has', () => {
      expect(sipQueryAnswerOf(JSON.stringify(rekeyedAnswer))).to.deep.equal({
        status: '0',
        reason: 'success',
        data: { total: 2 },
      });
      // Each field is kept only as the type the client reads: a record in its place is dropped.
      expect(
        sipQueryAnswerOf(
          JSON.stringify({ status: { pwd: REKEYED }, reason: [REKEYED], data: { total: { pwd: REKEYED } } }),
        ),
      ).to.deep.equal({});
      expect(sipQueryAnswerOf(JSON.stringify(REKEYED))).to.equal(undefined);
    });

    it('lets no password through, under whatever key the vendor puts it, into its result or logs', async () => {
      const vendor = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(rekeyedAnswer));
      });
      await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = vendor.address() as AddressInfo;
        const summary = await client({ baseUrl: `http://127.0.0.1:${port}` }).sipQuery('app1');
        expect(summary).to.deep.equal({ appId: 'app1', total: 2 });
        expect(logs.text()).to.contain('itnio sipQuery succeeded').and.not.contain(REKEYED);
      } finally {
        await new Promise<void>((resolve) => vendor.close(() => resolve()));
      }
    });

    it('maps the credential errors, without the advice meant for a reset', async () => {
      const wrongKey = await failure(client({ apiSecret: 'wrong-secret' }).sipQuery('app1'));
      expect(wrongKey.code).to.equal('auth_failed');
      for (const status of ['-30', '-32', '-18']) {
        stub.faults.push({ kind: 'status', status });
        const error = await failure(client().sipQuery('app1'));
        expect(error.code).to.equal(VENDOR_STATUSES[status]?.code);
        expect(error.message).to.equal(VENDOR_STATUSES[status]?.message);
      }
      stub.faults.push({ kind: 'hang' });
      const timeout = await failure(client({ timeoutMs: 50 }).sipQuery('app1'));
      expect(timeout.message).to.equal('ITNIO did not answer in time.');
      expect(stub.queries.map((q) => q.answered)).to.deep.equal(['-1', '-30', '-32', '-18', 'hang']);
    });

    it('is refused with -32 for an application the key cannot see, and not sent for one not configured', async () => {
      const unseen = await failure(client({ appIds: ['app1', 'elsewhere'] }).sipQuery('elsewhere'));
      expect(unseen.code).to.equal('no_app_permission');
      const unconfigured = await failure(client().sipQuery('elsewhere'));
      expect(unconfigured.code).to.equal('unknown_app');
      expect(stub.queries).to.have.length(1);
    });

    it("is answered by the stand-in as by ITNIO: a page of records, each with the phone's password", async () => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const response = await fetch(`${stub.baseUrl}/sipQuery`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json;charset=UTF-8',
          'Api-Key': API_KEY,
          Timestamp: timestamp,
          Sign: signRequest(API_KEY, API_SECRET, timestamp),
        },
        body: JSON.stringify({ current: 2, size: 1, params: { appId: 'app1' } }),
      });
      const answer = (await response.json()) as { status: string; data: Record<string, unknown> };
      expect(answer.status).to.equal('0');
      expect(answer.data).to.deep.include({ total: 2, size: 1, current: 2, pages: 2 });
      expect(answer.data.records).to.deep.equal([
        {
          groupName: 'Default',
          phoneName: 'Phone 1002',
          account: '1002',
          password: stub.passwords.get('app1/1002'),
          displayNum: '1002',
        },
      ]);
      expect(stub.disclosed).to.deep.equal([stub.passwords.get('app1/1002')]);
    });

    it('takes an answer without a count for one it cannot understand', async () => {
      stub.faults.push({ kind: 'garbage' });
      expect((await failure(client().sipQuery('app1'))).code).to.equal('bad_response');
    });
  });
});
