import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { rejection } from '../helpers/rejection.js';
import sinon from 'sinon';
import type { PolicyConfig } from '../../src/domain/policy.js';
import { DomainError, ResetFailed } from '../../src/domain/errors.js';
import type { Principal } from '../../src/domain/policy.js';
import { ResetService } from '../../src/domain/reset-service.js';
import { ItnioStub } from '../../sandbox/itnio-stub.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { ItnioClient } from '../../src/itnio/itnio-client.js';
import { sqliteDatabase } from '../helpers/databases.js';
import { captureLogger } from '../helpers/logs.js';
import { until } from '../helpers/until.js';

const policy: PolicyConfig = {
  helpdesk: ['UHELP'],
  approvers: ['UAPP1', 'UAPP2', ...Array.from({ length: 20 }, (_, i) => `UA${i}`)],
  owners: { UOWNER: ['1002'] },
  protectedAccounts: ['9*'],
  protectedApprovals: 2,
};

async function domainCode(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error).to.be.instanceOf(DomainError);
  return (error as DomainError).code;
}

describe('reset service (real SQLite file, vendor stand-in)', () => {
  let now: number;
  let stub: ItnioStub;
  let store: SqlStore;
  let service: ResetService;
  let dbPath: string;
  let events: string[];
  const logs = captureLogger();

  function build(approvalsPossible = true): ResetService {
    return new ResetService({
      onEvent: ({ type, request, actor }) => events.push(`${type}:${request.status}:${actor}`),
      store,
      vendor: new ItnioClient({
        apiKey: 'k1234',
        apiSecret: 's1234',
        baseUrl: stub.baseUrl,
        appIds: ['app1'],
        timeoutMs: 500,
        logger: logs.logger,
      }),
      policy,
      directory: {
        resolve: (userId: string): Promise<Principal> => Promise.resolve({ userId, groupIds: [] }),
      },
      settings: {
        appIds: ['app1'],
        requestTtlMinutes: 60,
        grantTtlMinutes: 480,
        maxRequestsPerHour: 3,
        approvalsPossible,
        resetStaleAfterMs: 60_000,
        deliveryStaleAfterMs: 50_000,
      },
      now: () => now,
    });
  }

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 29, 9, 0, 0);
    events = [];
    stub = new ItnioStub({
      apiKey: 'k1234',
      apiSecret: 's1234',
      accounts: { app1: ['1001', '1002', '9001', '1003'] },
    });
    await stub.start();
    dbPath = sqliteDatabase().url;
    store = new SqlStore(dbPath);
    await store.migrate();
    service = build();
  });

  afterEach(async () => {
    await store.close();
    await stub.stop();
  });

  const input = (account = '1001', reason = 'lost my phone') => ({ account, appId: 'app1', reason });

  it('reports field problems: account, unknown app, missing reason', async () => {
    const { problems } = await service.assess('UANY', { account: '1 2', appId: 'x', reason: ' ' });
    expect(problems).to.deep.equal({ account: 'bad_characters', appId: 'unknown', reason: 'required' });
    const helpdesk = await service.assess('UHELP', { account: '1001', appId: 'app1', reason: '' });
    expect(helpdesk.problems).to.deep.equal({});
  });

  it('resets directly for helpdesk: one vendor call, the password returned, issued, then completed once shown', async () => {
    const submitted = await service.submit('UHELP', input());
    expect(submitted.kind).to.equal('direct');
    const done = await service.reset(submitted.request.id, 'UHELP');
    expect(done.password).to.equal(stub.passwords.get('app1/1001'));
    expect(done.request.status).to.equal('delivering');
    expect((await done.recorded).status).to.equal('delivering');
    expect((await service.delivered(done, 'UHELP')).status).to.equal('completed');
    expect(stub.resets).to.have.length(1);
    await store.close();
    expect(readFileSync(dbPath).toString('latin1')).not.to.contain(done.password);
    store = new SqlStore(dbPath);
  });

  it('hands the new password over before it writes the outcome, and then writes it', async () => {
    // A write to SQLite is synchronous: started first, it would hold the password back for its length.
    const order: string[] = [];
    const transition = store.transition.bind(store);
    sinon.stub(store, 'transition').callsFake((...args: Parameters<SqlStore['transition']>) => {
      if (args[2] === 'delivering') order.push('outcome written');
      return transition(...args);
    });
    const submitted = await service.submit('UHELP', input('1003'));
    const done = await service.reset(submitted.request.id, 'UHELP');
    order.push('password handed over');
    expect((await done.recorded).status).to.equal('delivering');
    expect(order).to.deep.equal(['password handed over', 'outcome written']);
    expect((await store.getRequest(submitted.request.id))?.status).to.equal('delivering');
  });

  it("names the account's other owners to be told", async () => {
    const submitted = await service.submit('UHELP', input('1002'));
    const done = await service.reset(submitted.request.id, 'UHELP');
    expect(done.ownersToNotify).to.deep.equal(['UOWNER']);
    // The account is free again once the delivery's outcome is recorded.
    await service.delivered(done, 'UHELP');
    const own = await service.submit('UOWNER', input('1002'));
    expect(own.kind).to.equal('direct');
    expect((await service.reset(own.request.id, 'UOWNER')).ownersToNotify).to.deep.equal([]);
  });

  it('runs the approval path: pending, approved, reset by the requester only, once', async () => {
    const submitted = await service.submit('UANY', input());
    expect(submitted.kind).to.equal('pending');
    const id = submitted.request.id;
    expect(await domainCode(service.reset(id, 'UANY'))).to.equal('not_claimable');
    expect(await domainCode(service.approve(id, 'UANY'))).to.equal('not_approver');
    const approved = await service.approve(id, 'UAPP1');
    expect(approved.approvedNow).to.equal(true);
    expect(await domainCode(service.approve(id, 'UAPP2'))).to.equal('already_decided');
    expect(await domainCode(service.reset(id, 'UAPP1'))).to.equal('not_requester');
    const done = await service.reset(id, 'UANY');
    expect(done.request.status).to.equal('delivering');
    expect(await domainCode(service.reset(id, 'UANY'))).to.equal('not_claimable');
    expect(stub.resets).to.have.length(1);
  });

  it('reports every change of state, with who caused it', async () => {
    const { request } = await service.submit('UANY', input('9001'));
    await service.approve(request.id, 'UAPP1');
    await service.approve(request.id, 'UAPP2');
    await service.delivered(await service.reset(request.id, 'UANY'), 'UANY');
    stub.faults.push({ kind: 'status', status: '-18' });
    const direct = await service.submit('UHELP', input('1001'));
    await rejection(service.reset(direct.request.id, 'UHELP'));
    const denied = await service.submit('UANY', input('1002'));
    await service.deny(denied.request.id, 'UAPP1', '');
    expect(events).to.deep.equal([
      'created:pending:UANY',
      'approval_counted:pending:UAPP1',
      'approved:approved:UAPP2',
      'reset_started:resetting:UANY',
      'delivering:delivering:UANY',
      'completed:completed:UANY',
      'created:approved:UHELP',
      'reset_started:resetting:UHELP',
      'outcome_unknown:outcome_unknown:UHELP',
      'created:pending:UANY',
      'denied:denied:UAPP1',
    ]);
  });

  it('records a password no route could show as undelivered: final, the account free again', async () => {
    const submitted = await service.submit('UHELP', input('1003'));
    const done = await service.reset(submitted.request.id, 'UHELP');
    const settled = await service.undelivered(done, 'UHELP');
    expect(settled).to.include({ status: 'undelivered', failureCode: 'no_private_route' });
    expect(events).to.include('undelivered:undelivered:UHELP');
    const types = (await store.auditOf('1003', 10)).map((row) => row.type);
    expect(types.slice(0, 2)).to.deep.equal(['undelivered', 'password_issued']);
    expect((await service.submit('UHELP', input('1003'))).kind).to.equal('direct');
  });

  it('settles a delivery a dead process left in flight as undelivered, only once it is stale', async () => {
    const submitted = await service.submit('UHELP', input('1003'));
    await (
      await service.reset(submitted.request.id, 'UHELP')
    ).recorded;
    expect(await service.recoverInterrupted(), 'maybe still on its way').to.deep.equal([]);
    now += 50_001;
    const [settled] = await service.recoverInterrupted();
    expect(settled).to.include({ status: 'undelivered', failureCode: 'interrupted' });
    expect(await service.recoverInterrupted()).to.deep.equal([]);
  });

  it('never lets approvers approve their own request', async () => {
    const submitted = await service.submit('UAPP1', input());
    expect(await domainCode(service.approve(submitted.request.id, 'UAPP1'))).to.equal('own_request');
    expect(await domainCode(service.deny(submitted.request.id, 'UAPP1', ''))).to.equal('own_request');
  });

  it('needs two distinct approvers for a protected account, even for helpdesk', async () => {
    const submitted = await service.submit('UHELP', input('9001'));
    expect(submitted.kind).to.equal('pending');
    const id = submitted.request.id;
    expect((await service.approve(id, 'UAPP1')).approvedNow).to.equal(false);
    expect(await domainCode(service.approve(id, 'UAPP1'))).to.equal('already_approved_by_you');
    expect((await service.approve(id, 'UAPP2')).approvedNow).to.equal(true);
  });

  it('denies with a reason, and then nothing else moves it', async () => {
    const { request } = await service.submit('UANY', input());
    const denied = await service.deny(request.id, 'UAPP1', '  not your phone ');
    expect(denied).to.include({ status: 'denied', decidedBy: 'UAPP1', denyReason: 'not your phone' });
    expect(await domainCode(service.approve(request.id, 'UAPP2'))).to.equal('already_decided');
    expect(await domainCode(service.cancel(request.id, 'UANY'))).to.equal('already_decided');
  });

  it('lets only the requester cancel', async () => {
    const { request } = await service.submit('UANY', input());
    expect(await domainCode(service.cancel(request.id, 'UOTHER'))).to.equal('not_requester');
    expect((await service.cancel(request.id, 'UANY')).status).to.equal('cancelled');
  });

  it('withdraws as the app, with its reason, an open request, and nothing once it moved on', async () => {
    const { request } = await service.submit('UANY', input());
    const withdrawn = await service.withdraw(request.id, 'approval_channel_refused');
    expect(withdrawn).to.include({ status: 'cancelled', failureCode: 'approval_channel_refused' });
    expect(await domainCode(service.withdraw(request.id, 'database_failed'))).to.equal('already_decided');
  });

  it('points a second request for the same account to the open one, for the helpdesk only', async () => {
    const first = await service.submit('UANY', input());
    const error = await rejection(service.submit('UOTHER', input()));
    expect((error as DomainError).code).to.equal('open_request_exists');
    expect((error as DomainError).request, 'who asked is not for anyone').to.equal(undefined);
    const helpdesk = await rejection(service.submit('UHELP', input()));
    expect((helpdesk as DomainError).request?.id).to.equal(first.request.id);
  });

  it('limits requests per requester per hour, but not helpdesk', async () => {
    for (const account of ['1001', '1002', '1003']) {
      const { request } = await service.submit('UANY', input(account));
      await service.cancel(request.id, 'UANY');
    }
    expect(await domainCode(service.submit('UANY', input('1001')))).to.equal('rate_limited');
    now += 61 * 60_000;
    expect((await service.submit('UANY', input('1001'))).kind).to.equal('pending');
    for (const account of ['1002', '1003', '1004', '1005']) {
      expect((await service.submit('UHELP', input(account))).kind).to.equal('direct');
    }
  });

  it('refuses requests that need approval when there is no approval channel', async () => {
    const noChannel = build(false);
    expect(await domainCode(noChannel.submit('UANY', input()))).to.equal('refused_no_approval_channel');
  });

  it('expires pending requests and unused grants with the clock, once', async () => {
    const pending = await service.submit('UANY', input('1001'));
    const granted = await service.submit('UANY', input('1002'));
    await service.approve(granted.request.id, 'UAPP1');
    expect(await service.expireDue()).to.deep.equal([]);
    now += 61 * 60_000;
    expect(await domainCode(service.approve(pending.request.id, 'UAPP1'))).to.equal('request_expired');
    expect(await domainCode(service.deny(pending.request.id, 'UAPP1', ''))).to.equal('request_expired');
    expect((await service.expireDue()).map((r) => r.id)).to.deep.equal([pending.request.id]);
    expect(await domainCode(service.approve(pending.request.id, 'UAPP1'))).to.equal('already_decided');
    now += 480 * 60_000;
    expect(await domainCode(service.reset(granted.request.id, 'UANY'))).to.equal('grant_expired');
    expect(await service.expireDue()).to.deep.equal([]);
    expect(stub.calls).to.have.length(0);
  });

  it('records a vendor refusal as failed and an unknown outcome as outcome_unknown, never retried', async () => {
    stub.faults.push({ kind: 'status', status: '-24' });
    const a = await service.submit('UHELP', input('1001'));
    const refused = await rejection(service.reset(a.request.id, 'UHELP'));
    expect(refused).to.be.instanceOf(ResetFailed);
    expect((refused as ResetFailed).request).to.include({
      status: 'failed',
      failureCode: 'account_not_found',
    });

    stub.faults.push({ kind: 'hang' });
    const b = await service.submit('UHELP', input('1002'));
    // The client gives up after its timeoutMs (500): a fake clock gets there without the wait.
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let unknown: Error;
    try {
      const reset = rejection(service.reset(b.request.id, 'UHELP'));
      await until(() => stub.calls.length === 2, 'the reset reached the vendor');
      await clock.tickAsync(500);
      unknown = await reset;
    } finally {
      clock.restore();
    }
    expect((unknown as ResetFailed).request).to.include({
      status: 'outcome_unknown',
      failureCode: 'timeout',
    });
    expect(stub.calls).to.have.length(2);
  });

  it('20 concurrent approvals and 20 concurrent resets give exactly one vendor call', async () => {
    const { request } = await service.submit('UANY', input());
    const approvals = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => service.approve(request.id, `UA${i}`)),
    );
    const approvedNow = approvals.filter((a) => a.status === 'fulfilled' && a.value.approvedNow);
    expect(approvedNow).to.have.length(1);
    const resets = await Promise.allSettled(
      Array.from({ length: 20 }, () => service.reset(request.id, 'UANY')),
    );
    expect(resets.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect(stub.calls).to.have.length(1);
  });

  it('marks a reset left in flight by a dead process as outcome_unknown, once it is stale', async () => {
    const { request } = await service.submit('UHELP', input());
    await store.transition(request.id, ['approved'], 'resetting', now, { resetStartedAt: now });
    expect(await service.recoverInterrupted()).to.deep.equal([]);
    now += 61_000;
    const recovered = await service.recoverInterrupted();
    expect(recovered.map((r) => [r.id, r.status, r.failureCode])).to.deep.equal([
      [request.id, 'outcome_unknown', 'interrupted'],
    ]);
    expect(await domainCode(service.reset(request.id, 'UHELP'))).to.equal('not_claimable');
    expect(stub.calls).to.have.length(0);
  });
});
