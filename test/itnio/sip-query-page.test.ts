import { expect } from 'chai';
import { ItnioStub, type StubPhone } from '../../sandbox/itnio-stub.js';
import { ItnioClient, ItnioError, sipQueryPageOf } from '../../src/itnio/index.js';
import { captureLogger } from '../helpers/logs.js';
import { expectNoSecret } from '../helpers/leaks.js';

const API_KEY = 'key-for-tests';
const API_SECRET = 'secret-for-tests-0123';

/** Passwords with the characters that change form in JSON, URLs and base64. */
function phones(count: number): StubPhone[] {
  return Array.from({ length: count }, (_, i) => ({
    account: String(1000 + i),
    phoneName: `Desk ${i}`,
    groupName: i % 2 ? 'Head office' : 'Warehouse',
    password: `p"w\\${i}+%/x`,
  }));
}

describe('ITNIO client: sipQuery pages for the directory', () => {
  let stub: ItnioStub;
  const logs = captureLogger([API_KEY, API_SECRET]);

  async function start(options: Partial<ConstructorParameters<typeof ItnioStub>[0]> = {}): Promise<void> {
    stub = new ItnioStub({ apiKey: API_KEY, apiSecret: API_SECRET, accounts: {}, ...options });
    await stub.start();
  }

  function client(): ItnioClient {
    return new ItnioClient({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      baseUrl: stub.baseUrl,
      appIds: ['app1'],
      timeoutMs: 2000,
      logger: logs.logger,
    });
  }

  beforeEach(() => logs.clear());
  afterEach(() => stub.stop());

  it('reads a signed page of records with their names and groups, and no password in anything it returns or logs', async () => {
    const list = phones(150);
    await start({ phones: { app1: list } });
    const page = await client().sipQueryPage('app1', 2, 100);
    expect(stub.queries).to.deep.equal([{ appId: 'app1', current: 2, size: 100, answered: '0' }]);
    expect(page).to.deep.equal({
      total: 150,
      pages: 2,
      current: 2,
      records: list.slice(100).map(({ account, phoneName, groupName }) => ({
        account,
        phoneName,
        groupName,
        displayNum: account,
      })),
    });
    expect(stub.disclosed).to.have.length(50);
    const kept = JSON.stringify(page) + logs.text();
    for (const password of stub.disclosed) expectNoSecret(kept, { 'a listed password': password });
    expect(logs.lines().find((l) => l.message === 'itnio sipQuery succeeded')).to.include({
      appId: 'app1',
      current: 2,
      size: 100,
    });
  });

  it('drops a password at any depth and under any case of its key, and keeps only the four known fields', () => {
    const text = JSON.stringify({
      status: 0,
      data: {
        total: '1',
        pages: '1',
        current: '1',
        password: 'pw-page',
        records: [
          {
            account: '1001',
            phoneName: 'Desk',
            groupName: 'HQ',
            displayNum: 1001,
            Password: 'pw-case',
            extra: { password: 'pw-deep' },
            secret: 'pw-other-field',
          },
          { account: 'x', password: 'pw-bad-account' },
        ],
      },
    });
    const parsed = sipQueryPageOf(text);
    expect(parsed).to.deep.equal({
      status: 0,
      data: {
        total: 1,
        pages: 1,
        current: 1,
        records: [{ account: '1001', phoneName: 'Desk', groupName: 'HQ', displayNum: '1001' }],
      },
    });
    expect(JSON.stringify(parsed)).not.to.match(/pw-/);
  });

  it('says -15 "too frequent" as a rejection, and reads pages the vendor cuts short or numbers as text', async () => {
    await start({ phones: { app1: phones(5) }, queriesPerSecond: 1, pageCap: 2, pageNumbersAsText: true });
    const first = await client().sipQueryPage('app1', 1, 100);
    expect(first).to.include({ total: 5, pages: 3, current: 1 });
    expect(first.records.map((r) => r.account)).to.deep.equal(['1000', '1001']);
    const error = await client()
      .sipQueryPage('app1', 2, 100)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error)
      .to.be.instanceOf(ItnioError)
      .and.include({ code: 'too_frequent', outcome: 'not_processed' });
  });

  it('fails as the vendor failed, with no record in the error', async () => {
    await start({ phones: { app1: phones(3) } });
    stub.faults.push({ kind: 'status', status: '-32' }, { kind: 'garbage' });
    const codes = [];
    for (let i = 0; i < 2; i += 1) {
      codes.push(
        await client()
          .sipQueryPage('app1', 1, 100)
          .then(
            () => 'ok',
            (e: ItnioError) => e.code,
          ),
      );
    }
    expect(codes).to.deep.equal(['no_app_permission', 'bad_response']);
    const unconfigured = await client()
      .sipQueryPage('elsewhere', 1, 100)
      .catch((e: ItnioError) => e.code);
    expect(unconfigured).to.equal('unknown_app');
  });
});
