import { expect } from 'chai';
import sinon from 'sinon';
import type { Logger } from '../../../src/domain/logger.js';
import type { LockoutItem } from '../../../src/domain/lockout.js';
import type { Principal } from '../../../src/domain/policy.js';
import { LockoutCampaigns, type OwnerOutcome } from '../../../src/domain/use-cases/lockouts.js';
import type { LockoutRunHooks } from '../../../src/domain/use-cases/lockout-runner.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { captureLogger } from '../../helpers/logs.js';
import { newRequest, T0 } from '../../helpers/requests.js';
import { FakeVendor, POLICY } from '../../helpers/use-cases.js';

const LEASE_MS = 120_000;
/** 1002 has three owners (the first by user ID, UANNA); 1003 one; 1004 none; 9001 is protected. */
const OWNERS = { UCHEN: ['1002'], UANNA: ['1002', '9001'], UBEN: ['1002', '1003'] };

/** One instance's lock-outs over a memory store (shared: another instance), on a clock only waits move. */
function instance(store = new MemoryStore(), clock = { now: T0 }, log?: Pick<Logger, 'warn' | 'error'>) {
  const vendor = new FakeVendor();
  const lockouts = new LockoutCampaigns({
    store,
    vendor,
    policy: { ...POLICY, owners: OWNERS },
    directory: { resolve: (userId: string): Promise<Principal> => Promise.resolve({ userId, groupIds: [] }) },
    settings: { appIds: ['app1'], lockoutRatePerSecond: 2, lockoutGrantDays: 7, lockoutLeaseMs: LEASE_MS },
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
    },
    ...(log ? { log } : {}),
  });
  return { store, clock, vendor, lockouts };
}

async function started(lockouts: LockoutCampaigns, accounts: string[], owner = 'instance-a') {
  const targets = accounts.map((account) => ({ account, appId: 'app1' }));
  const campaign = await lockouts.prepare({ agentId: 'UHELP', targets, reason: 'leaked' });
  await lockouts.start(campaign.id, 'UHELP', owner);
  return campaign.id;
}

/** The Slack side as the run sees it: who it was asked to tell, answering `answer` (every owner took the DM). */
function teller(answer: (item: LockoutItem) => boolean = () => true) {
  const told: Array<{ account: string; outcome: OwnerOutcome }> = [];
  const hooks: LockoutRunHooks = {
    tell: async (item, outcome) => {
      told.push({ account: item.account, outcome });
      return answer(item);
    },
  };
  return { told, hooks };
}

const grantsOf = async (store: MemoryStore, ownerId: string) =>
  (await store.listByRequester(ownerId, 50)).filter((r) => r.lockoutId !== null);

describe('use case: a lock-out tells every owner, once', () => {
  it("names the phone's other owners, by user ID, beside the first, who gets the grant; the tally counts phones", async () => {
    const { lockouts, store } = instance();
    const id = await started(lockouts, ['1002', '1003', '1004']);
    const { told, hooks } = teller();
    expect((await lockouts.run(id, 'instance-a', hooks)).kind).to.equal('ended');
    const [many, one, none] = told;
    expect(many?.outcome).to.include({ ownerId: 'UANNA', protectedAccount: false });
    expect(many?.outcome.coOwners).to.deep.equal(['UBEN', 'UCHEN']);
    expect(many?.outcome.grant).to.include({ requesterId: 'UANNA', account: '1002', status: 'approved' });
    expect(one?.outcome).to.include({ ownerId: 'UBEN' });
    expect(one?.outcome.coOwners).to.deep.equal([]);
    expect(none?.outcome).to.deep.equal({ ownerId: null, coOwners: [], protectedAccount: false });
    expect(await grantsOf(store, 'UCHEN'), 'one grant a phone: the other owners get none').to.have.length(0);
    const items = await lockouts.items(id);
    expect(items.map((i) => [i.toldAt, i.notTold])).to.deep.equal([
      [T0, null],
      [T0 + 500, null],
      [T0 + 1_000, null],
    ]);
    expect(await lockouts.tally(id)).to.include({ ownersTold: 2, ownersNotTold: 0, withoutOwner: 1 });
  });

  it('tells, on taking a lock-out over, the owners a dead process made a grant for but never told, once, with that grant', async () => {
    const dead = instance();
    const id = await started(dead.lockouts, ['1002', '1003'], 'dead');
    // The process dies as it tells the first phone's owners: its grant is made, no DM has gone.
    let dying = 0;
    void dead.lockouts.run(id, 'dead', {
      tell: () => {
        dying += 1;
        return new Promise<boolean>(() => {});
      },
    });
    while (dying === 0) await new Promise((resolve) => setImmediate(resolve));
    const [made] = await grantsOf(dead.store, 'UANNA');
    expect(made, 'the grant was made before the process died').not.to.equal(undefined);

    const other = instance(dead.store.another(), dead.clock);
    const early = teller();
    expect((await other.lockouts.run(id, 'other', early.hooks)).kind, 'its lease still holds').to.equal(
      'elsewhere',
    );
    expect(early.told, 'nobody told while the lease is the dead process’s').to.deep.equal([]);

    dead.clock.now += LEASE_MS + 1;
    const { told, hooks } = teller();
    expect((await other.lockouts.run(id, 'other', hooks)).kind).to.equal('ended');
    expect(told.map((t) => t.account)).to.deep.equal(['1002', '1003']);
    expect(told[0]?.outcome.grant?.id, 'the grant the dead process made').to.equal(made?.id);
    expect(await grantsOf(other.store, 'UANNA')).to.have.length(1);
    expect(dead.vendor.calls.map((c) => c.account)).to.deep.equal(['1002']);
    expect(
      other.vendor.calls.map((c) => c.account),
      'never reset twice',
    ).to.deep.equal(['1003']);
    expect(await other.lockouts.tally(id)).to.include({ ownersTold: 2, ownersNotTold: 0 });

    const again = teller();
    await other.lockouts.run(id, 'other', again.hooks);
    await instance(other.store.another(), other.clock).lockouts.run(id, 'third', again.hooks);
    expect(again.told, 'told once').to.deep.equal([]);
  });

  it('takes up the grant a dead process made but did not record on the phone, and withdraws nothing twice', async () => {
    const dead = instance();
    // Alice asked for 1002 before: the lock-out withdraws it.
    const before = await dead.store.createRequest(newRequest({ account: '1002', requesterId: 'UALICE' }));
    const id = await started(dead.lockouts, ['1002'], 'dead');
    const moveItem = dead.store.moveItem.bind(dead.store);
    let died = false;
    // The process dies as it records the grant's ID on the phone: the grant is made, not recorded.
    sinon.stub(dead.store, 'moveItem').callsFake((...args: Parameters<MemoryStore['moveItem']>) => {
      if (args[5]?.ownerRequestId) {
        died = true;
        return new Promise(() => {});
      }
      return moveItem(...args);
    });
    void dead.lockouts.run(id, 'dead', teller().hooks);
    while (!died) await new Promise((resolve) => setImmediate(resolve));

    const shared = instance(dead.store.another(), dead.clock);
    dead.clock.now += LEASE_MS + 1;
    const { told, hooks } = teller();
    expect((await shared.lockouts.run(id, 'other', hooks)).kind).to.equal('ended');
    const [grant, ...more] = await grantsOf(shared.store, 'UANNA');
    expect(more, 'no second grant').to.deep.equal([]);
    expect(told[0]?.outcome.grant?.id).to.equal(grant?.id);
    expect(told[0]?.outcome.withdrawn?.id, 'the request withdrawn before, told again').to.equal(before.id);
    expect(await shared.store.getRequest(grant?.id ?? '')).to.include({ status: 'approved' });
    expect((await shared.lockouts.items(id))[0]).to.include({ ownerRequestId: grant?.id, notTold: null });
  });

  it('tells once the owners of a phone whose outcome a paused run held, on resuming, though recording that they were told fails', async () => {
    const { lockouts, store } = instance();
    const id = await started(lockouts, ['1002']);
    const moveItem = store.moveItem.bind(store);
    let down = true;
    // The database takes no outcome, past every retry: the run pauses, holding 1002's.
    sinon
      .stub(store, 'moveItem')
      .callsFake((...args: Parameters<MemoryStore['moveItem']>) =>
        down && args[3] === 'locked_out' && args[2].includes('resetting')
          ? Promise.reject(new Error('Connection terminated unexpectedly'))
          : moveItem(...args),
      );
    const { told, hooks } = teller();
    let paused = false;
    await lockouts.run(id, 'instance-a', hooks).catch(() => {
      paused = true;
    });
    expect(paused, 'the run paused').to.equal(true);
    expect(told).to.deep.equal([]);
    // Back, but for a moment: that the owners were told is not recorded.
    down = false;
    sinon.stub(store, 'markTold').onFirstCall().rejects(new Error('database is locked')).callThrough();
    expect((await lockouts.run(id, 'instance-a', hooks)).kind).to.equal('ended');
    expect(
      told.map((t) => t.account),
      'told once in the run that resumed it',
    ).to.deep.equal(['1002']);
  });

  it("tells the withdrawn requester when the owner's grant cannot be made, and records the owners not told, the phone named", async () => {
    const logs = captureLogger();
    const { lockouts, store } = instance(undefined, undefined, logs.logger);
    const before = await store.createRequest(newRequest({ account: '1002', requesterId: 'UALICE' }));
    const id = await started(lockouts, ['1002', '1003']);
    const createRequest = store.createRequest.bind(store);
    sinon
      .stub(store, 'createRequest')
      .callsFake((request, audit) =>
        request.account === '1002'
          ? Promise.reject(new Error('database is locked'))
          : createRequest(request, audit),
      );
    const { told, hooks } = teller((item) => item.account !== '1002');
    expect((await lockouts.run(id, 'instance-a', hooks)).kind).to.equal('ended');
    expect(told[0]?.outcome).to.include({ ownerId: 'UANNA', grantFailed: true });
    expect(told[0]?.outcome.withdrawn?.id, 'the withdrawn requester is still told').to.equal(before.id);
    expect(await store.getRequest(before.id)).to.include({ status: 'cancelled', failureCode: 'locked_out' });
    expect((await lockouts.items(id)).map((i) => [i.account, i.notTold])).to.deep.equal([
      ['1002', 'grant_failed'],
      ['1003', null],
    ]);
    expect(await lockouts.tally(id)).to.include({ lockedOut: 2, ownersTold: 1, ownersNotTold: 1 });
    expect(logs.lines().map((line) => line.message)).to.include(
      "could not give a locked-out phone's owner a new password; the run goes on",
    );
  });

  it('records the owners not told when Slack took not every DM, or the telling failed, and does not tell them again', async () => {
    const { lockouts, store, clock } = instance();
    const id = await started(lockouts, ['1002', '1003']);
    const hooks: LockoutRunHooks = {
      tell: async (item) => {
        if (item.account === '1003') throw new Error('slack is down');
        return false;
      },
    };
    await lockouts.run(id, 'instance-a', hooks);
    expect((await lockouts.items(id)).map((i) => i.notTold)).to.deep.equal(['dm_failed', 'dm_failed']);
    expect(await lockouts.tally(id)).to.include({ ownersTold: 0, ownersNotTold: 2 });
    // A later run (another instance, the sweep) leaves them to the agent: they are named, not retold.
    clock.now += LEASE_MS + 1;
    const { told, hooks: later } = teller();
    await instance(store.another(), clock).lockouts.run(id, 'b', later);
    expect(told).to.deep.equal([]);
  });

  it('tells the owners of a protected phone without a grant, naming its others', async () => {
    const { lockouts, store } = instance();
    const id = await started(lockouts, ['9001']);
    const { told, hooks } = teller();
    await lockouts.run(id, 'instance-a', hooks);
    expect(told[0]?.outcome).to.deep.equal({ ownerId: 'UANNA', coOwners: [], protectedAccount: true });
    expect(await store.findOpenRequest('9001', 'app1')).to.equal(undefined);
    expect(await lockouts.tally(id)).to.include({ ownersTold: 1 });
  });
});
