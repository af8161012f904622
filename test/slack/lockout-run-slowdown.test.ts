import { expect } from 'chai';
import sinon from 'sinon';
import { catalogueFor } from '../../src/i18n/index.js';
import { ItnioError } from '../../src/itnio/failures.js';
import type { LockoutRuns } from '../../src/slack/flows/lockout-run.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { lockoutRunsOver, phones, slackClientStub } from '../helpers/lockout-world.js';
import { T0 } from '../helpers/requests.js';
import { FakeVendor, memoryUseCases } from '../helpers/use-cases.js';

const en = catalogueFor('en');
const tooFrequent = () => new ItnioError('too_frequent', 'not_processed', 'too frequent', '-15');
const note = (seconds: number) => en.lockoutRun.slowedDown(seconds);

/**
 * A lock-out's Slack side over the use cases in memory, on sinon's fake clock: the run's waits are
 * timers the test's ticks end. Each chat.update it sends is kept, with when it was sent.
 */
function slackSide(ratePerSecond = 2) {
  const store = new MemoryStore();
  const vendor = new FakeVendor();
  const useCases = memoryUseCases({
    store,
    vendor,
    settings: { lockoutRatePerSecond: ratePerSecond },
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  const updates: { at: number; text: string }[] = [];
  const client = slackClientStub((message) => updates.push({ at: Date.now() - T0, text: message.text }));
  const runs = lockoutRunsOver(useCases, store, {
    client,
    messages: { sendGrant: () => Promise.resolve(true), refresh: () => Promise.resolve() },
    notices: { tell: () => Promise.resolve(true) },
  });
  return { runs, updates, vendor };
}

async function start(runs: LockoutRuns, accounts: string[]): Promise<string> {
  const { campaignId } = await runs.prepare({
    agentId: 'UHELP',
    targets: phones(...accounts),
    reason: 'leaked',
  });
  await runs.start(campaignId, 'UHELP');
  return campaignId;
}

describe('flow: the progress says when ITNIO makes a lock-out wait (fake time)', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.restore());

  it('says so for a wait as long as the redraw interval, and drops it when the phone is done; shorter waits pass unsaid', async () => {
    const { runs, updates, vendor } = slackSide();
    // 1001 is answered -15 three times (waits of 1, 2 and 5 s), then locked out.
    vendor.faults.push(tooFrequent(), tooFrequent(), tooFrequent());
    await start(runs, ['1001', '1003', '1004']);
    await clock.tickAsync(60_000);
    await runs.settled();

    expect(vendor.calls.map((c) => c.account)).to.deep.equal([
      '1001',
      '1001',
      '1001',
      '1001',
      '1003',
      '1004',
    ]);
    expect(updates.map((u) => u.at)).to.deep.equal([3_000, 8_000, 9_000]);
    const [waiting, done, summary] = updates.map((u) => u.text);
    expect(waiting, 'drawn as the 5 s wait begins').to.equal(
      `${en.lockoutRun.progress(0, 3, 0, 0)}\n${note(5)}`,
    );
    expect(done, 'the phone done: the note goes').to.equal(en.lockoutRun.progress(1, 3, 0, 0));
    expect(summary).to.contain('Lock-out finished: 3 of 3 phones locked out');
    expect(updates.map((u) => u.text).join('\n'))
      .not.to.contain(note(1))
      .and.not.to.contain(note(2));
  });

  it('keeps to one redraw every 3 s: the notes of long waits and the redraws of phones done alike', async () => {
    const { runs, updates, vendor } = slackSide(0.5);
    // 1001 locked out at 0 s; 1003, asked at 2 s, is answered -15 four times: its 5 s wait begins
    // at 5 s, its 10 s wait at 10 s, and it is locked out at 20 s; 1004 at 22 s.
    vendor.faults.push(undefined, tooFrequent(), tooFrequent(), tooFrequent(), tooFrequent());
    await start(runs, ['1001', '1003', '1004']);
    await clock.tickAsync(60_000);
    await runs.settled();

    expect(vendor.calls.map((c) => c.account)).to.deep.equal([
      '1001',
      '1003',
      '1003',
      '1003',
      '1003',
      '1003',
      '1004',
    ]);
    const progress = updates.slice(0, -1);
    expect(progress).to.deep.equal([
      { at: 5_000, text: `${en.lockoutRun.progress(1, 3, 0, 0)}\n${note(5)}` },
      { at: 10_000, text: `${en.lockoutRun.progress(1, 3, 0, 0)}\n${note(10)}` },
      { at: 20_000, text: en.lockoutRun.progress(2, 3, 0, 0) },
    ]);
    expect(updates.at(-1)?.text).to.contain('Lock-out finished: 3 of 3 phones locked out');
  });

  it('a Stop during the wait is drawn over the note, and the summary after it', async () => {
    const { runs, updates, vendor } = slackSide();
    vendor.faults.push(tooFrequent(), tooFrequent(), tooFrequent());
    const campaignId = await start(runs, ['1001', '1003']);
    await clock.tickAsync(4_000);
    expect(updates.map((u) => u.text)).to.deep.equal([`${en.lockoutRun.progress(0, 2, 0, 0)}\n${note(5)}`]);
    await runs.stop(campaignId, 'UHELP');
    await clock.tickAsync(60_000);
    await runs.settled();

    expect(vendor.calls, 'not asked again after the stop').to.have.length(3);
    const [, stopping, summary] = updates.map((u) => u.text);
    expect(stopping).to.contain('<@UHELP> stopped the lock-out').and.not.to.contain(':snail:');
    expect(summary).to.contain('Lock-out stopped by <@UHELP>: 0 of 2 phones locked out');
    expect(updates).to.have.length(3);
  });
});
