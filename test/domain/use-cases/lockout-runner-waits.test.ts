import { expect } from 'chai';
import sinon from 'sinon';
import type { LockoutItem } from '../../../src/domain/lockout.js';
import { LockoutRunner, TOO_FREQUENT_WAITS_MS } from '../../../src/domain/use-cases/lockout-runner.js';
import { ItnioError } from '../../../src/itnio/failures.js';
import { captureLogger } from '../../helpers/logs.js';
import { lockoutWorld, phones } from '../../helpers/lockout-world.js';
import { T0 } from '../../helpers/requests.js';

const tooFrequent = () => new ItnioError('too_frequent', 'not_processed', 'too frequent', '-15');

/**
 * The runner on sinon's fake clock: its waits are real timers, which only the test's ticks end.
 * The campaign is prepared and started through the use cases (on the same store), run by a runner
 * whose clock is Date.now.
 */
async function fakeTimeRun(accounts: string[], log = captureLogger().logger) {
  const world = lockoutWorld();
  const campaign = await world.lockoutCampaigns.prepare({
    agentId: 'UHELP',
    targets: phones(...accounts),
    reason: 'leaked',
  });
  await world.lockoutCampaigns.start(campaign.id, 'UHELP', 'instance-a');
  const calledAt: number[] = [];
  const sipReset = world.vendor.sipReset.bind(world.vendor);
  world.vendor.sipReset = (request) => {
    calledAt.push(Date.now() - T0);
    return sipReset(request);
  };
  const runner = new LockoutRunner({
    store: world.store,
    vendor: world.vendor,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    settings: {
      appIds: ['app1'],
      lockoutRatePerSecond: 2,
      lockoutGrantDays: 7,
      lockoutLeaseMs: 120_000,
    },
    log,
    grantOwner: () => Promise.resolve({ ownerId: null, coOwners: [], protectedAccount: false }),
  });
  return { world, id: campaign.id, runner, calledAt };
}

describe('use case: a lock-out says when ITNIO makes it wait (fake time)', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.restore());

  it('hears each wait after -15 as it begins, with the phone, and asks again only once the wait is over', async () => {
    const { world, id, runner, calledAt } = await fakeTimeRun(['1001', '1003']);
    world.vendor.faults.push(tooFrequent(), tooFrequent(), tooFrequent());
    const heard: { seq: number; account: string; waitMs: number; at: number; calls: number }[] = [];
    let items = 0;
    const running = runner.run(id, 'instance-a', {
      onTooFrequent: (item: LockoutItem, waitMs: number) => {
        heard.push({
          seq: item.seq,
          account: item.account,
          waitMs,
          at: Date.now() - T0,
          calls: world.vendor.calls.length,
        });
        return Promise.resolve();
      },
      onItem: () => {
        items += 1;
        return Promise.resolve();
      },
    });

    await clock.tickAsync(999);
    expect(heard).to.have.length(1);
    expect(world.vendor.calls, 'not asked again before the wait is over').to.have.length(1);
    await clock.tickAsync(1);
    expect(world.vendor.calls).to.have.length(2);
    await clock.tickAsync(10_000);
    const result = await running;

    expect(result.kind).to.equal('ended');
    expect(heard).to.deep.equal([
      { seq: 0, account: '1001', waitMs: TOO_FREQUENT_WAITS_MS[0], at: 0, calls: 1 },
      { seq: 0, account: '1001', waitMs: TOO_FREQUENT_WAITS_MS[1], at: 1_000, calls: 2 },
      { seq: 0, account: '1001', waitMs: TOO_FREQUENT_WAITS_MS[2], at: 3_000, calls: 3 },
    ]);
    // The retries after 1, 2 and 5 s; then the next phone, paced half a second after the last call.
    expect(calledAt).to.deep.equal([0, 1_000, 3_000, 8_000, 8_500]);
    expect(items).to.equal(2);
    expect((await world.lockoutCampaigns.items(id)).map((i) => i.state)).to.deep.equal([
      'locked_out',
      'locked_out',
    ]);
  });

  it('waits as long as ITNIO asked while the Slack side takes its time to say so, not the sum of both', async () => {
    const { world, id, runner, calledAt } = await fakeTimeRun(['1001']);
    world.vendor.faults.push(tooFrequent());
    const running = runner.run(id, 'instance-a', {
      // A slow chat.update: 700 ms of the 1 s wait.
      onTooFrequent: () => new Promise((resolve) => setTimeout(resolve, 700)),
    });
    await clock.tickAsync(1_000);
    expect(calledAt).to.deep.equal([0, 1_000]);
    await running;

    // Slower than the wait: the retry waits for it, so its redraw lands before the next phone's.
    const slow = await fakeTimeRun(['1003']);
    slow.world.vendor.faults.push(tooFrequent());
    const slowRun = slow.runner.run(slow.id, 'instance-a', {
      onTooFrequent: () => new Promise((resolve) => setTimeout(resolve, 2_500)),
    });
    await clock.tickAsync(2_499);
    expect(slow.calledAt).to.have.length(1);
    await clock.tickAsync(1);
    expect(slow.calledAt).to.have.length(2);
    await slowRun;
  });

  it('goes on waiting and asking again when the hook fails: logged, and the phone is locked out', async () => {
    const logs = captureLogger();
    const { world, id, runner, calledAt } = await fakeTimeRun(['1001'], logs.logger);
    world.vendor.faults.push(tooFrequent(), tooFrequent());
    const running = runner.run(id, 'instance-a', {
      onTooFrequent: () => Promise.reject(new Error('Slack is down')),
    });
    await clock.tickAsync(3_000);
    expect((await running).kind).to.equal('ended');
    expect(calledAt).to.deep.equal([0, 1_000, 3_000]);
    expect((await world.lockoutCampaigns.items(id))[0]?.state).to.equal('locked_out');
    const warned = logs.lines().filter((line) => String(line.message).includes('wait after -15'));
    expect(warned).to.have.length(2);
    expect(warned[0]).to.include({ campaignId: id, seq: 0, error: 'Slack is down' });
  });
});
