import { expect } from 'chai';
import sinon from 'sinon';
import { ResetFailed, VendorFailure } from '../../../src/domain/errors.js';
import type { MemoryStore } from '../../../src/store/memory-store.js';
import { rejection } from '../../helpers/rejection.js';
import { domainCode, domainWorld, input, type DomainWorld } from '../../helpers/use-cases.js';

describe('resets (store in memory, fake vendor)', () => {
  let world: DomainWorld;
  beforeEach(() => {
    world = domainWorld();
  });

  it('resets directly for helpdesk: one vendor call, the password returned, issued, then completed once shown', async () => {
    const submitted = await world.intake.submit('UHELP', input());
    expect(submitted.kind).to.equal('direct');
    const done = await world.resets.reset(submitted.request.id, 'UHELP');
    expect(done.password).to.equal(world.vendor.passwords.get('app1/1001'));
    expect(done.request.status).to.equal('delivering');
    expect((await done.recorded).status).to.equal('delivering');
    expect((await world.resets.delivered(done, 'UHELP')).status).to.equal('completed');
    expect(world.vendor.calls).to.have.length(1);
    expect(JSON.stringify(await world.store.getRequest(done.request.id))).not.to.contain(done.password);
  });

  it('hands the new password over before it writes the outcome, and then writes it', async () => {
    // A write to SQLite is synchronous: started first, it would hold the password back for its length.
    const order: string[] = [];
    const transition = world.store.transition.bind(world.store);
    sinon.stub(world.store, 'transition').callsFake((...args: Parameters<MemoryStore['transition']>) => {
      if (args[2] === 'delivering') order.push('outcome written');
      return transition(...args);
    });
    const submitted = await world.intake.submit('UHELP', input('1003'));
    const done = await world.resets.reset(submitted.request.id, 'UHELP');
    order.push('password handed over');
    expect((await done.recorded).status).to.equal('delivering');
    expect(order).to.deep.equal(['password handed over', 'outcome written']);
    expect((await world.store.getRequest(submitted.request.id))?.status).to.equal('delivering');
  });

  it("names the account's other owners to be told", async () => {
    const submitted = await world.intake.submit('UHELP', input('1002'));
    const done = await world.resets.reset(submitted.request.id, 'UHELP');
    expect(done.ownersToNotify).to.deep.equal(['UOWNER']);
    // The account is free again once the delivery's outcome is recorded.
    await world.resets.delivered(done, 'UHELP');
    const own = await world.intake.submit('UOWNER', input('1002'));
    expect(own.kind).to.equal('direct');
    expect((await world.resets.reset(own.request.id, 'UOWNER')).ownersToNotify).to.deep.equal([]);
  });

  it('runs the approval path: pending, approved, reset by the requester only, once', async () => {
    const submitted = await world.intake.submit('UANY', input());
    expect(submitted.kind).to.equal('pending');
    const id = submitted.request.id;
    expect(await domainCode(world.resets.reset(id, 'UANY'))).to.equal('not_claimable');
    expect(await domainCode(world.decisions.approve(id, 'UANY'))).to.equal('not_approver');
    const approved = await world.decisions.approve(id, 'UAPP1');
    expect(approved.approvedNow).to.equal(true);
    expect(await domainCode(world.decisions.approve(id, 'UAPP2'))).to.equal('already_decided');
    expect(await domainCode(world.resets.reset(id, 'UAPP1'))).to.equal('not_requester');
    const done = await world.resets.reset(id, 'UANY');
    expect(done.request.status).to.equal('delivering');
    expect(await domainCode(world.resets.reset(id, 'UANY'))).to.equal('not_claimable');
    expect(world.vendor.calls).to.have.length(1);
  });

  it('reports every change of state, with who caused it', async () => {
    const { request } = await world.intake.submit('UANY', input('9001'));
    await world.decisions.approve(request.id, 'UAPP1');
    await world.decisions.approve(request.id, 'UAPP2');
    await world.resets.delivered(await world.resets.reset(request.id, 'UANY'), 'UANY');
    world.vendor.faults.push(new VendorFailure('system_error', 'unknown', 'the vendor failed'));
    const direct = await world.intake.submit('UHELP', input('1001'));
    await rejection(world.resets.reset(direct.request.id, 'UHELP'));
    const denied = await world.intake.submit('UANY', input('1002'));
    await world.decisions.deny(denied.request.id, 'UAPP1', '');
    expect(world.events).to.deep.equal([
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
    const submitted = await world.intake.submit('UHELP', input('1003'));
    const done = await world.resets.reset(submitted.request.id, 'UHELP');
    const settled = await world.resets.undelivered(done, 'UHELP');
    expect(settled).to.include({ status: 'undelivered', failureCode: 'no_private_route' });
    expect(world.events).to.include('undelivered:undelivered:UHELP');
    const types = (await world.store.auditOf('1003', 10)).map((row) => row.type);
    expect(types.slice(0, 2)).to.deep.equal(['undelivered', 'password_issued']);
    expect((await world.intake.submit('UHELP', input('1003'))).kind).to.equal('direct');
  });

  it('records a vendor refusal as failed and an unknown outcome as outcome_unknown, never retried', async () => {
    world.vendor.faults.push(new VendorFailure('account_not_found', 'not_processed', 'no such account'));
    const a = await world.intake.submit('UHELP', input('1001'));
    const refused = await rejection(world.resets.reset(a.request.id, 'UHELP'));
    expect(refused).to.be.instanceOf(ResetFailed);
    expect((refused as ResetFailed).request).to.include({
      status: 'failed',
      failureCode: 'account_not_found',
    });
    expect((await (refused as ResetFailed).recorded).status).to.equal('failed');

    world.vendor.faults.push(new VendorFailure('timeout', 'unknown', 'no answer'));
    const b = await world.intake.submit('UHELP', input('1002'));
    const unknown = await rejection(world.resets.reset(b.request.id, 'UHELP'));
    expect((unknown as ResetFailed).request).to.include({
      status: 'outcome_unknown',
      failureCode: 'timeout',
    });

    // What the client does not know as a failure may have reached the vendor: unknown too.
    world.vendor.faults.push(new TypeError('a bug in the client'));
    const c = await world.intake.submit('UHELP', input('1003'));
    const bug = await rejection(world.resets.reset(c.request.id, 'UHELP'));
    expect((bug as ResetFailed).request).to.include({
      status: 'outcome_unknown',
      failureCode: 'connection_lost',
    });
    expect(world.vendor.calls).to.have.length(3);
  });

  it('expires an approval past its time instead of resetting, and calls no vendor', async () => {
    const granted = await world.intake.submit('UANY', input('1002'));
    await world.decisions.approve(granted.request.id, 'UAPP1');
    world.clock.now += 481 * 60_000;
    expect(await domainCode(world.resets.reset(granted.request.id, 'UANY'))).to.equal('grant_expired');
    expect((await world.store.getRequest(granted.request.id))?.status).to.equal('expired');
    expect(world.events).to.include('expired:expired:system');
    expect(world.vendor.calls).to.have.length(0);
  });

  it('20 concurrent approvals and 20 concurrent resets give exactly one vendor call', async () => {
    const { request } = await world.intake.submit('UANY', input());
    const approvals = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => world.decisions.approve(request.id, `UA${i}`)),
    );
    const approvedNow = approvals.filter((a) => a.status === 'fulfilled' && a.value.approvedNow);
    expect(approvedNow).to.have.length(1);
    const resets = await Promise.allSettled(
      Array.from({ length: 20 }, () => world.resets.reset(request.id, 'UANY')),
    );
    expect(resets.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect(world.vendor.calls).to.have.length(1);
  });

  it('records a delivery and a notice in the audit trail, and only logs a database that fails', async () => {
    const { request } = await world.intake.submit('UHELP', input());
    await world.resets.audit(request.id, {
      type: 'owner_notified',
      actor: 'system',
      detail: { owner: 'UOWNER' },
    });
    const [last] = await world.store.auditOf('1001', 1);
    expect(last).to.include({ type: 'owner_notified', detail: '{"owner":"UOWNER"}' });
    sinon.stub(world.store, 'appendAudit').rejects(new Error('database down'));
    await world.resets.audit(request.id, { type: 'password_delivered', actor: 'UHELP' });
  });
});
