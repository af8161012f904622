import { expect } from 'chai';
import sinon from 'sinon';
import { domainCode, domainWorld, input, type DomainWorld } from '../../helpers/use-cases.js';

describe('upkeep (store in memory, fake vendor)', () => {
  let world: DomainWorld;
  beforeEach(() => {
    world = domainWorld();
  });

  it('expires pending requests and unused grants with the clock, once', async () => {
    const pending = await world.intake.submit('UANY', input('1001'));
    const granted = await world.intake.submit('UANY', input('1002'));
    await world.decisions.approve(granted.request.id, 'UAPP1');
    expect(await world.upkeep.expireDue()).to.deep.equal([]);
    world.clock.now += 61 * 60_000;
    expect(await domainCode(world.decisions.approve(pending.request.id, 'UAPP1'))).to.equal(
      'request_expired',
    );
    expect((await world.upkeep.expireDue()).map((r) => r.id)).to.deep.equal([pending.request.id]);
    expect(await domainCode(world.decisions.approve(pending.request.id, 'UAPP1'))).to.equal(
      'already_decided',
    );
    world.clock.now += 480 * 60_000;
    expect((await world.upkeep.expireDue()).map((r) => r.id)).to.deep.equal([granted.request.id]);
    expect(await world.upkeep.expireDue()).to.deep.equal([]);
    expect(world.vendor.calls).to.have.length(0);
  });

  it('settles a delivery a dead process left in flight as undelivered, only once it is stale', async () => {
    const submitted = await world.intake.submit('UHELP', input('1003'));
    await (
      await world.resets.reset(submitted.request.id, 'UHELP')
    ).recorded;
    expect(await world.upkeep.recoverInterrupted(), 'maybe still on its way').to.deep.equal([]);
    world.clock.now += 50_001;
    const [settled] = await world.upkeep.recoverInterrupted();
    expect(settled).to.include({ status: 'undelivered', failureCode: 'interrupted' });
    expect(await world.upkeep.recoverInterrupted()).to.deep.equal([]);
  });

  it('marks a reset left in flight by a dead process as outcome_unknown, once it is stale', async () => {
    const { request } = await world.intake.submit('UHELP', input());
    const now = world.clock.now;
    await world.store.transition(request.id, ['approved'], 'resetting', now, { resetStartedAt: now });
    expect(await world.upkeep.recoverInterrupted()).to.deep.equal([]);
    world.clock.now += 61_000;
    const recovered = await world.upkeep.recoverInterrupted();
    expect(recovered.map((r) => [r.id, r.status, r.failureCode])).to.deep.equal([
      [request.id, 'outcome_unknown', 'interrupted'],
    ]);
    expect(await domainCode(world.resets.reset(request.id, 'UHELP'))).to.equal('not_claimable');
    expect(world.vendor.calls).to.have.length(0);
  });

  it('keeps trying to record an outcome the database did not take, and leaves that reset alone meanwhile', async () => {
    const { request } = await world.intake.submit('UHELP', input());
    const transition = world.store.transition.bind(world.store);
    const down = sinon.stub(world.store, 'transition').callsFake((...args) => {
      if (args[2] === 'delivering') return Promise.reject(new Error('database down'));
      return transition(...args);
    });
    const sleep = sinon.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const done = await world.resets.reset(request.id, 'UHELP');
      const recorded = done.recorded;
      await sleep.runAllAsync();
      expect((await recorded).status, 'as it is being recorded').to.equal('delivering');
    } finally {
      sleep.restore();
    }
    world.clock.now += 61_000;
    expect(await world.upkeep.recoverInterrupted(), 'held, not interrupted').to.deep.equal([]);
    expect((await world.store.getRequest(request.id))?.status).to.equal('resetting');
    down.restore();
    // Stored at last, as the system; by then its delivery is long over, and settled as such.
    await world.upkeep.recoverInterrupted();
    expect(world.events.slice(-2)).to.deep.equal([
      'delivering:delivering:system',
      'undelivered:undelivered:system',
    ]);
  });

  it('marks reminders due once, of announced requests only, and claims the day’s checkpoint once', async () => {
    const { request } = await world.intake.submit('UANY', input());
    await world.intake.submit('UANY', input('1002'));
    await world.decisions.announced(request.id);
    world.clock.now += 30 * 60_000;
    expect((await world.upkeep.remindDue()).map((r) => r.id)).to.deep.equal([request.id]);
    expect(await world.upkeep.remindDue()).to.deep.equal([]);

    const claim = await world.upkeep.claimDailyCheckpoint();
    expect(claim?.day).to.equal(new Date(world.clock.now).toISOString().slice(0, 10));
    expect(await world.upkeep.claimDailyCheckpoint(), 'claimed already').to.equal(undefined);
    await claim?.done(true);
    expect((await world.upkeep.auditCheckpoint()).seq).to.be.greaterThan(0);
  });

  it('prunes the audit trail past its retention', async () => {
    await world.intake.submit('UANY', input());
    expect(await world.upkeep.pruneAudit(1)).to.equal(0);
    world.clock.now += 2 * 24 * 3_600_000;
    expect(await world.upkeep.pruneAudit(1)).to.equal(1);
  });
});
