import { expect } from 'chai';
import sinon from 'sinon';
import { VendorFailure } from '../../../src/domain/errors.js';
import { ItnioError } from '../../../src/itnio/failures.js';
import { TOO_FREQUENT_WAITS_MS } from '../../../src/domain/use-cases/lockout-runner.js';
import { lockoutWorld, phones } from '../../helpers/lockout-world.js';
import { newRequest } from '../../helpers/requests.js';
import { domainCode } from '../../helpers/use-cases.js';
import { rejection } from '../../helpers/rejection.js';
import { captureLogger } from '../../helpers/logs.js';
import type { MemoryStore } from '../../../src/store/memory-store.js';
import type { ItemState } from '../../../src/domain/lockout.js';

/** The store refuses to record a phone's outcome (resetting -> `to`) `times` times: a database blip. */
function failRecording(store: MemoryStore, to: ItemState, times: number) {
  const moveItem = store.moveItem.bind(store);
  let left = times;
  return sinon.stub(store, 'moveItem').callsFake((...args: Parameters<MemoryStore['moveItem']>) => {
    if (args[3] === to && args[2].includes('resetting') && left > 0) {
      left -= 1;
      return Promise.reject(new Error('database is locked'));
    }
    return moveItem(...args);
  });
}

const tooFrequent = () => new ItnioError('too_frequent', 'not_processed', 'too frequent', '-15');

async function started(world: ReturnType<typeof lockoutWorld>, accounts: string[], owner = 'instance-a') {
  const campaign = await world.lockoutCampaigns.prepare({
    agentId: 'UHELP',
    targets: phones(...accounts),
    reason: 'leaked',
  });
  await world.lockoutCampaigns.start(campaign.id, 'UHELP', owner);
  return campaign.id;
}

describe('use case: lock-outs', () => {
  describe('prepare and start', () => {
    it('refuses anyone but a helpdesk agent, with the not-helpdesk code', async () => {
      const world = lockoutWorld();
      const plan = { agentId: 'UEVE', targets: phones('1001'), reason: 'leaked' };
      expect(await domainCode(world.lockoutCampaigns.prepare(plan))).to.equal('not_helpdesk');
    });

    it('refuses a plan with no phone, no reason, a bad account, an unknown app, or a phone twice', async () => {
      const world = lockoutWorld();
      const plan = (over: object) =>
        world.lockoutCampaigns.prepare({ agentId: 'UHELP', targets: phones('1001'), reason: 'x', ...over });
      expect(await domainCode(plan({ targets: [] }))).to.equal('lockout_empty');
      expect(await domainCode(plan({ reason: '  ' }))).to.equal('lockout_reason_required');
      expect(await domainCode(plan({ targets: phones('1 2') }))).to.equal('lockout_invalid_account');
      expect(await domainCode(plan({ targets: [{ account: '1001', appId: 'nope' }] }))).to.equal(
        'lockout_unknown_app',
      );
      expect(await domainCode(plan({ targets: phones('1001', '1001') }))).to.equal('lockout_duplicate_phone');
    });

    it('starts once, only by its agent, before the draft expires', async () => {
      const world = lockoutWorld();
      const campaign = await world.lockoutCampaigns.prepare({
        agentId: 'UHELP',
        targets: phones('1001', '1002'),
        reason: 'leaked',
      });
      expect(campaign).to.include({ state: 'draft', count: 2 });
      expect(await domainCode(world.lockoutCampaigns.start(campaign.id, 'UEVE', 'a'))).to.equal(
        'not_helpdesk',
      );
      const running = await world.lockoutCampaigns.start(campaign.id, 'UHELP', 'a');
      expect(running.state).to.equal('running');
      expect(await domainCode(world.lockoutCampaigns.start(campaign.id, 'UHELP', 'a'))).to.equal(
        'lockout_not_startable',
      );
      const late = await world.lockoutCampaigns.prepare({
        agentId: 'UHELP',
        targets: phones('1003'),
        reason: 'x',
      });
      world.clock.now += 16 * 60_000;
      expect(await domainCode(world.lockoutCampaigns.start(late.id, 'UHELP', 'a'))).to.equal(
        'lockout_not_startable',
      );
      expect(await world.lockoutCampaigns.expireDrafts()).to.equal(1);
    });
  });

  describe('the run', () => {
    it('resets each phone once, paced at the rate, and throws each password away', async () => {
      const world = lockoutWorld({ ratePerSecond: 4 });
      const id = await started(world, ['1001', '1003', '1004']);
      const result = await world.lockoutCampaigns.run(id, 'instance-a');
      expect(result.kind).to.equal('ended');
      expect(world.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1003', '1004']);
      expect(world.waits).to.deep.equal([250, 250]);
      const items = await world.lockoutCampaigns.items(id);
      expect(items.map((i) => i.state)).to.deep.equal(['locked_out', 'locked_out', 'locked_out']);
      const stored = JSON.stringify([
        items,
        await world.store.auditOf('1001', 50),
        await world.lockoutCampaigns.get(id),
      ]);
      for (const password of world.vendor.passwords.values()) expect(stored).not.to.contain(password);
      expect((await world.lockoutCampaigns.get(id))?.state).to.equal('finished');
      expect(
        world.vendor.calls.every((call) => call.discarded === true),
        'each call says its password is thrown away',
      ).to.equal(true);
    });

    it('after -15 waits and asks again for the same phone, and locks it out', async () => {
      const world = lockoutWorld();
      world.vendor.faults.push(tooFrequent(), tooFrequent());
      const id = await started(world, ['1001', '1003']);
      await world.lockoutCampaigns.run(id, 'instance-a');
      expect(world.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1001', '1001', '1003']);
      expect(world.waits.slice(0, 2)).to.deep.equal([TOO_FREQUENT_WAITS_MS[0], TOO_FREQUENT_WAITS_MS[1]]);
      expect((await world.lockoutCampaigns.items(id)).map((i) => i.state)).to.deep.equal([
        'locked_out',
        'locked_out',
      ]);
    });

    it('records an unknown outcome as unknown and never asks again; another failure as failed with its code', async () => {
      const world = lockoutWorld();
      world.vendor.faults.push(
        new VendorFailure('timeout', 'unknown', 'no answer'),
        new ItnioError('account_not_found', 'not_processed', 'no such account', '-24'),
        new Error('socket hang up'),
      );
      const id = await started(world, ['1001', '1003', '1004', '1005']);
      await world.lockoutCampaigns.run(id, 'instance-a');
      expect(world.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1003', '1004', '1005']);
      const items = await world.lockoutCampaigns.items(id);
      expect(items.map((i) => [i.state, i.failureCode])).to.deep.equal([
        ['unknown', 'timeout'],
        ['failed', 'account_not_found'],
        ['unknown', 'connection_lost'],
        ['locked_out', null],
      ]);
      expect(await world.lockoutCampaigns.tally(id)).to.include({ lockedOut: 1, failed: 1, unknown: 2 });
      const audit = await world.store.auditOf('1003', 5);
      expect(audit[0]).to.include({ type: 'lockout_failed', requestId: null });
      expect(JSON.parse(audit[0]?.detail ?? '{}')).to.deep.equal({
        campaignId: id,
        failureCode: 'account_not_found',
      });
    });

    it('stops before its next call when a helpdesk agent presses Stop; others are refused', async () => {
      const world = lockoutWorld();
      const id = await started(world, ['1001', '1003', '1004', '1005']);
      world.onSleep = async () => {
        if (world.vendor.calls.length !== 2) return;
        expect(await domainCode(world.lockoutCampaigns.stop(id, 'UEVE'))).to.equal('not_helpdesk');
        await world.lockoutCampaigns.stop(id, 'UAPP1').catch(() => undefined);
        await world.lockoutCampaigns.stop(id, 'UHELP');
        // Pressed again while the phone in progress finishes: it is stopping, not ended.
        expect(await domainCode(world.lockoutCampaigns.stop(id, 'UAPP1'))).to.equal('not_helpdesk');
        expect(await domainCode(world.lockoutCampaigns.stop(id, 'UHELP'))).to.equal('lockout_stopping');
      };
      const result = await world.lockoutCampaigns.run(id, 'instance-a');
      expect(world.vendor.calls).to.have.length(2);
      expect(result.kind).to.equal('ended');
      const items = await world.lockoutCampaigns.items(id);
      expect(items.map((i) => i.state)).to.deep.equal([
        'locked_out',
        'locked_out',
        'not_started',
        'not_started',
      ]);
      expect(await world.lockoutCampaigns.get(id)).to.include({ state: 'stopped', stoppedBy: 'UHELP' });
      expect(await domainCode(world.lockoutCampaigns.stop(id, 'UHELP'))).to.equal('lockout_not_running');
    });

    it('a Stop while it waits after -15 leaves that phone not started', async () => {
      const world = lockoutWorld();
      world.vendor.faults.push(tooFrequent());
      const id = await started(world, ['1001', '1003']);
      world.onSleep = () => world.lockoutCampaigns.stop(id, 'UHELP').then(() => undefined);
      await world.lockoutCampaigns.run(id, 'instance-a');
      expect(world.vendor.calls).to.have.length(1);
      expect((await world.lockoutCampaigns.items(id)).map((i) => i.state)).to.deep.equal([
        'not_started',
        'not_started',
      ]);
    });

    it('after a restart, resumes with the first phone not started; the one left resetting is unknown, not retried', async () => {
      const world = lockoutWorld();
      const id = await started(world, ['1001', '1003', '1004', '1005'], 'dead-process');
      // The dead process reset 1001, and was calling the vendor for 1003 when it died.
      await world.store.moveItem(id, 0, ['queued'], 'locked_out', world.clock.now);
      await world.store.moveItem(id, 1, ['queued'], 'resetting', world.clock.now);
      const restarted = lockoutWorld({ store: world.store.another(), clock: world.clock });
      expect(
        (await restarted.lockoutCampaigns.run(id, 'new-process')).kind,
        'the lease still holds',
      ).to.equal('elsewhere');
      world.clock.now += 120_001;
      expect((await restarted.lockoutCampaigns.unattended()).map((c) => c.id)).to.deep.equal([id]);
      expect((await restarted.lockoutCampaigns.run(id, 'new-process')).kind).to.equal('ended');
      expect(restarted.vendor.calls.map((c) => c.account)).to.deep.equal(['1004', '1005']);
      const items = await restarted.lockoutCampaigns.items(id);
      expect(items.map((i) => [i.state, i.failureCode])).to.deep.equal([
        ['locked_out', null],
        ['unknown', 'interrupted'],
        ['locked_out', null],
        ['locked_out', null],
      ]);
    });

    it('records a phone locked out through a short database blip, retried, and tells its owner; the vendor is asked once', async () => {
      const world = lockoutWorld();
      const id = await started(world, ['1002', '1003']);
      failRecording(world.store, 'locked_out', 3);
      const heard: unknown[] = [];
      const result = await world.lockoutCampaigns.run(id, 'instance-a', {
        onItem: async (item, owner) => void heard.push([item.account, item.state, owner?.grant?.requesterId]),
      });
      expect(result.kind).to.equal('ended');
      expect(world.vendor.calls.map((c) => c.account)).to.deep.equal(['1002', '1003']);
      expect((await world.lockoutCampaigns.items(id)).map((i) => [i.state, i.failureCode])).to.deep.equal([
        ['locked_out', null],
        ['locked_out', null],
      ]);
      expect(heard).to.deep.equal([
        ['1002', 'locked_out', 'UOWNER'],
        ['1003', 'locked_out', undefined],
      ]);
      expect(world.waits.slice(0, 3), 'the recording waited between its attempts').to.deep.equal([
        250, 500, 1_000,
      ]);
    });

    it('tells the owner of a phone whose outcome the database took though its answer was lost (the retry finds it recorded); the vendor is asked once', async () => {
      const world = lockoutWorld();
      const id = await started(world, ['1002']);
      const moveItem = world.store.moveItem.bind(world.store);
      let lost = 1;
      sinon.stub(world.store, 'moveItem').callsFake(async (...args: Parameters<MemoryStore['moveItem']>) => {
        const moved = await moveItem(...args);
        if (args[3] === 'locked_out' && lost > 0) {
          lost -= 1;
          throw new Error('Connection terminated unexpectedly');
        }
        return moved;
      });
      const heard: unknown[] = [];
      const result = await world.lockoutCampaigns.run(id, 'instance-a', {
        onItem: async (item, owner) => void heard.push([item.account, item.state, owner?.grant?.requesterId]),
      });
      expect(result.kind).to.equal('ended');
      expect(world.vendor.calls.map((c) => c.account)).to.deep.equal(['1002']);
      expect(heard).to.deep.equal([['1002', 'locked_out', 'UOWNER']]);
    });

    it('pauses when the database stays down past the retries, and records the outcome it holds on resuming: locked out, not unknown, its owner told', async () => {
      const world = lockoutWorld();
      const id = await started(world, ['1002', '1003']);
      const stub = failRecording(world.store, 'locked_out', 100);
      const heard: unknown[] = [];
      const hooks = {
        onItem: async (
          item: { account: string; state: string },
          owner?: { grant?: { requesterId: string } },
        ) => void heard.push([item.account, item.state, owner?.grant?.requesterId]),
      };
      expect(await rejection(world.lockoutCampaigns.run(id, 'instance-a', hooks))).to.be.instanceOf(Error);
      expect((await world.lockoutCampaigns.items(id))[0]?.state).to.equal('resetting');
      stub.restore();
      expect((await world.lockoutCampaigns.run(id, 'instance-a', hooks)).kind).to.equal('ended');
      expect(
        world.vendor.calls.map((c) => c.account),
        'never asked again',
      ).to.deep.equal(['1002', '1003']);
      expect((await world.lockoutCampaigns.items(id)).map((i) => [i.state, i.failureCode])).to.deep.equal([
        ['locked_out', null],
        ['locked_out', null],
      ]);
      expect(heard[0]).to.deep.equal(['1002', 'locked_out', 'UOWNER']);
      expect((await world.store.auditOf('1002', 10)).map((e) => e.type)).to.include('locked_out');
    });

    it("goes on to the next phone when a phone's side jobs fail (the owner's grant, the Slack side), logged without a password", async () => {
      const logs = captureLogger();
      const world = lockoutWorld({ log: logs.logger });
      const id = await started(world, ['1002', '1003', '1004']);
      const createRequest = sinon.stub(world.store, 'createRequest').rejects(new Error('database is locked'));
      let told = 0;
      const result = await world.lockoutCampaigns.run(id, 'instance-a', {
        onItem: async () => {
          told += 1;
          if (told === 2) throw new Error('slack said no');
        },
      });
      expect(createRequest.called, "the owner's grant was attempted").to.equal(true);
      expect(result.kind).to.equal('ended');
      expect(told).to.equal(3);
      expect(world.vendor.calls.map((c) => c.account)).to.deep.equal(['1002', '1003', '1004']);
      expect((await world.lockoutCampaigns.items(id)).map((i) => i.state)).to.deep.equal([
        'locked_out',
        'locked_out',
        'locked_out',
      ]);
      const errors = logs.lines().filter((line) => line.level === 'error');
      expect(errors.map((line) => line.message)).to.deep.equal([
        "could not give a locked-out phone's owner a new password; the run goes on",
        "could not tell of a lock-out's phone; the run goes on",
      ]);
      for (const password of world.vendor.passwords.values()) expect(logs.text()).not.to.contain(password);
    });

    it("renews its lease before a phone's side jobs: a slow owner's DM does not hand the lock-out to another instance", async () => {
      const world = lockoutWorld();
      const id = await started(world, ['1002', '1003']);
      const other = lockoutWorld({ store: world.store.another(), clock: world.clock });
      const sipReset = world.vendor.sipReset.bind(world.vendor);
      // A slow vendor call (within the lease), then side jobs that take most of a lease.
      world.vendor.sipReset = async (request) => {
        world.clock.now += 60_000;
        return sipReset(request);
      };
      const elsewhere: string[] = [];
      const result = await world.lockoutCampaigns.run(id, 'instance-a', {
        onItem: async () => {
          world.clock.now += 100_000;
          elsewhere.push((await other.lockoutCampaigns.run(id, 'instance-b')).kind);
        },
      });
      expect(elsewhere).to.deep.equal(['elsewhere', 'elsewhere']);
      expect(result.kind).to.equal('ended');
      expect(other.vendor.calls).to.have.length(0);
      expect(world.vendor.calls.map((c) => c.account)).to.deep.equal(['1002', '1003']);
    });

    it('two instances at once reset each phone once', async () => {
      const world = lockoutWorld({ ratePerSecond: 1000 });
      const id = await started(
        world,
        Array.from({ length: 20 }, (_, i) => String(2000 + i)),
        'a',
      );
      const other = lockoutWorld({ store: world.store.another(), clock: world.clock });
      world.clock.now += 120_001;
      const results = await Promise.all([
        world.lockoutCampaigns.run(id, 'a'),
        other.lockoutCampaigns.run(id, 'b'),
      ]);
      const calls = [...world.vendor.calls, ...other.vendor.calls].map((c) => c.account).sort();
      expect(calls).to.deep.equal(Array.from({ length: 20 }, (_, i) => String(2000 + i)));
      expect(results.filter((r) => r.kind === 'ended')).to.have.length(1);
    });
  });

  describe('owners', () => {
    it('gives the owner an approved request for the phone, decided by the agent, valid seven days, and withdraws an open one from before', async () => {
      const world = lockoutWorld();
      const before = await world.store.createRequest(newRequest({ account: '1002', requesterId: 'UALICE' }));
      const id = await started(world, ['1002', '1003']);
      const outcomes: unknown[] = [];
      await world.lockoutCampaigns.run(id, 'instance-a', {
        tell: async () => true,
        onItem: async (item, owner) => void outcomes.push([item.account, owner]),
      });
      const [[, owner], [, none]] = outcomes as [
        [string, { grant: { id: string }; withdrawn: { id: string } }],
        [string, unknown],
      ];
      expect(none, 'a phone with no owner: nobody told').to.deep.equal({
        ownerId: null,
        coOwners: [],
        protectedAccount: false,
      });
      expect(owner.withdrawn.id).to.equal(before.id);
      expect(await world.store.getRequest(before.id)).to.include({
        status: 'cancelled',
        failureCode: 'locked_out',
      });
      const grant = await world.store.getRequest(owner.grant.id);
      expect(grant).to.include({
        status: 'approved',
        requesterId: 'UOWNER',
        account: '1002',
        reason: 'leaked',
        decidedBy: 'UHELP',
        lockoutId: id,
      });
      expect(grant?.grantExpiresAt).to.equal((grant?.createdAt ?? 0) + 7 * 24 * 3_600_000);
      expect(await world.lockoutCampaigns.tally(id)).to.include({ ownersTold: 1, withoutOwner: 1 });
      // The existing reset ("Get a new password") resets it again for its owner, and only for them.
      const done = await world.resets.reset(owner.grant.id, 'UOWNER');
      expect(done.password).to.be.a('string');
    });

    it('gives no button for a protected phone: its owner asks, and the approvers decide', async () => {
      const world = lockoutWorld();
      const id = await started(world, ['9001']);
      const outcomes: unknown[] = [];
      await world.lockoutCampaigns.run(id, 'instance-a', {
        onItem: async (_item, owner) => void outcomes.push(owner),
      });
      expect(outcomes).to.deep.equal([{ ownerId: 'UPROT', coOwners: [], protectedAccount: true }]);
      expect(await world.store.findOpenRequest('9001', 'app1')).to.equal(undefined);
    });
  });
});
