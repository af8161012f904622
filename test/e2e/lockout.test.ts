import { expect } from 'chai';
import sinon from 'sinon';
import { CAST } from '../../sandbox/world.js';
import { en } from '../../src/i18n/en/index.js';
import { zhCN } from '../../src/i18n/zh-CN/index.js';
import { ACTION } from '../../src/slack/platform/ids.js';
import { Cleanup } from '../helpers/cleanup.js';
import { startedByDeadInstance } from '../helpers/dead-instance.js';
import { HEAD_OFFICE } from '../helpers/requests.js';
import { requestReset, testWorld, worldOnPostgres, worldTest, type TestWorld } from '../helpers/world.js';

const phones = (...accounts: string[]) => accounts.map((account) => ({ account, appId: HEAD_OFFICE }));
// Paced fast here: the pacing itself is the domain's test, on a fake clock.
const FAST = { SIP_RESET_LOCKOUT_RATE_PER_SECOND: '50', SIP_RESET_AUDIT_CHANNEL: CAST.audit };

async function lockOut(w: TestWorld, accounts: string[], reason = 'SIP credentials leaked') {
  const { lockouts } = w.sipReset.services;
  const prepared = await lockouts.prepare({ agentId: CAST.helpdesk, targets: phones(...accounts), reason });
  expect(prepared.count).to.equal(accounts.length);
  return { prepared, place: await lockouts.start(prepared.campaignId, CAST.helpdesk) };
}

describe('e2e: a lock-out', () => {
  let world: TestWorld | undefined;
  afterEach(() => world?.stop());

  worldTest(
    'locks three phones out, discards their passwords, tells the zh-CN owner, who gets a new one privately; the summary names the failure',
    async () => {
      const w = (world = await testWorld({ locales: { [CAST.owner]: 'zh-CN' }, env: FAST }));
      // Alice asked for 1001 before: the lock-out withdraws it, so she gets no password it meant to kill.
      await requestReset(w, CAST.employee, '1001', 'new desk');
      const { prepared, place } = await lockOut(w, ['1001', '1002', '1004']);
      expect(place).to.include({ kind: 'thread', channel: CAST.approvals });
      await w.sipReset.lockoutRuns.settled();

      expect(w.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1002', '1004']);
      const parent = w.slack.messages.find(
        (m) => m.channel === CAST.approvals && m.text.includes('Lock-out of 3'),
      );
      expect(parent?.text).to.equal(
        ':lock: Lock-out of 3 phones started by <@UHANA>: SIP credentials leaked',
      );
      const progress = w.slack.messages.find((m) => m.ts === place.ts);
      expect(progress?.threadTs).to.equal(parent?.ts);
      expect(progress?.text).to.contain('Lock-out finished: 2 of 3 phones locked out');
      const summary = JSON.stringify(progress?.blocks);
      expect(summary).to.contain('*1004* (Head office): ITNIO has no such account');
      expect(summary).to.contain('The owners of 1 phone were told by DM').and.contain('1 phone has no owner');
      expect(summary).not.to.contain(ACTION.lockoutStop);
      expect(w.lastMessage(CAST.audit).text).to.contain('Lock-out finished: 2 of 3');

      expect(w.lastMessage(CAST.employee).text).to.equal(en.lockoutRun.withdrawn('1001', 'Head office'));
      const dm = w.lastMessage(CAST.owner);
      expect(dm.text)
        .to.contain('IT 服务台锁定了你的话机 *1002* （Head office）')
        .and.contain('SIP credentials leaked');
      expect(JSON.stringify(dm.blocks)).to.contain(zhCN.lockoutRun.getPasswordButton);

      await w.driver.click(CAST.owner, { kind: 'message', channel: dm.channel, ts: dm.ts }, ACTION.claim);
      const shown = w.lastPrivate(CAST.owner, ACTION.removePassword);
      const issued = w.vendor.issued;
      expect(issued).to.have.length(3);
      expect(JSON.stringify(shown.blocks)).to.contain(issued.at(-1)).and.not.contain(issued[1]);
      for (const discarded of issued.slice(0, 2)) expect(w.privateTo(CAST.owner)).not.to.contain(discarded);

      const audit = await w.store.auditOf('1002', 20);
      expect(audit.map((e) => e.type)).to.include.members(['locked_out', 'requested', 'password_delivered']);
      const lockedOut = audit.find((e) => e.type === 'locked_out');
      expect(JSON.parse(lockedOut?.detail ?? '{}')).to.deep.equal({ campaignId: prepared.campaignId });
      // A second click on the review's button starts nothing.
      const again = await w.sipReset.services.lockouts
        .start(prepared.campaignId, CAST.helpdesk)
        .catch((e: unknown) => e);
      expect(again).to.include({ code: 'lockout_not_startable' });
    },
  );

  worldTest(
    'runs from the form: `/sip-reset lockout`, its review, the confirmed button, the engine and the owner told',
    async () => {
      const w = (world = await testWorld({ env: FAST }));
      await w.driver.command(CAST.helpdesk, 'lockout', CAST.general);
      const review = await w.driver.submitModal(CAST.helpdesk, {
        lockout_accounts: '1001 1002\n1003',
        lockout_app: HEAD_OFFICE,
        lockout_reason: 'Left the company',
      });
      expect(review.json()).to.include({ response_action: 'update' });
      expect(w.vendor.calls, 'nothing is reset before the confirmed click').to.have.length(0);
      await w.driver.clickInModal(CAST.helpdesk, ACTION.lockoutStart);
      await w.sipReset.lockoutRuns.settled();
      expect(w.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1002', '1003']);
      expect(JSON.stringify(w.driver.openedModal(CAST.helpdesk)?.view)).to.contain(
        `in its thread in <#${CAST.approvals}>`,
      );
      const summary = w.slack.messages.find((m) => m.text.includes('Lock-out finished'));
      expect(summary?.text).to.contain('3 of 3 phones locked out');
      expect(w.lastMessage(CAST.owner).text).to.contain('Left the company');
      for (const password of w.vendor.issued) expect(JSON.stringify(w.slack.calls)).not.to.contain(password);
    },
  );

  worldTest(
    'stops before its next phone when a helpdesk agent presses Stop; anyone else is refused in words',
    async () => {
      const w = (world = await testWorld({ env: FAST }));
      const held = w.vendor.hold('sipReset');
      const { place } = await lockOut(w, ['1001', '1002', '1003']);
      await held.arrived;
      const progress = { kind: 'message' as const, channel: place.channel, ts: place.ts };
      await w.driver.click(CAST.employee, progress, ACTION.lockoutStop);
      expect(w.lastPrivate(CAST.employee).text).to.equal(en.errors.not_helpdesk);
      await w.driver.click(CAST.helpdesk, progress, ACTION.lockoutStop);
      held.release();
      await w.sipReset.lockoutRuns.settled();
      expect(w.vendor.calls.map((c) => c.account)).to.deep.equal(['1001']);
      const summary = w.slack.messages.find((m) => m.ts === place.ts);
      expect(summary?.text).to.contain('Lock-out stopped by <@UHANA>: 1 of 3 phones locked out');
      expect(summary?.text).to.contain('2 not started');
    },
  );

  worldTest(
    'tells the owner whose own reset of the phone is in flight that it was locked out, though no button can be given',
    async () => {
      const w = (world = await testWorld({ env: FAST }));
      // The owner's own direct reset of 1002, in flight when the lock-out reaches it.
      const held = w.vendor.hold('sipReset');
      const clicking = requestReset(w, CAST.owner, '1002', 'new desk');
      await held.arrived;
      await lockOut(w, ['1002'], 'SIP credentials leaked');
      await w.sipReset.lockoutRuns.settled();
      held.release();
      await clicking;
      const told = w.slack.messages.filter(
        (m) => m.channel === w.slack.dmOf(CAST.owner) && m.text.includes('SIP credentials leaked'),
      );
      expect(told, 'the owner hears of the lock-out').to.have.length(1);
      expect(told[0]?.text).to.equal(
        en.lockoutRun.ownerBusy('1002', 'Head office', 'SIP credentials leaked'),
      );
    },
  );

  worldTest(
    'goes on to the next phone when the database fails during a progress redraw, and logs it',
    async () => {
      // Each vendor call moves the clock past the redraw interval, so each phone redraws the progress.
      const vendorCalls = { count: () => 0 };
      const now = () => Date.now() + 3_500 * vendorCalls.count();
      const w = (world = await testWorld({ env: FAST, now }));
      vendorCalls.count = () => w.vendor.calls.length;
      const listItems = w.store.listItems.bind(w.store);
      // The redraw after the first phone reads the tally, and the database is gone for it.
      sinon
        .stub(w.store, 'listItems')
        .callsFake((id: string) =>
          vendorCalls.count() === 1 ? Promise.reject(new Error('connection lost')) : listItems(id),
        );
      const { place } = await lockOut(w, ['1001', '1002', '1003']);
      await w.sipReset.lockoutRuns.settled();
      expect(w.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1002', '1003']);
      expect(w.slack.messages.find((m) => m.ts === place.ts)?.text).to.contain('3 of 3 phones locked out');
      expect(w.logs.lines().map((line) => line.message)).to.include("could not redraw a lock-out's progress");
      expect(w.lastMessage(CAST.owner).text).to.contain('SIP credentials leaked');
    },
  );

  worldTest(
    "resumes at the next sweep, not after its lease, when the database refused a phone's outcome past the retries: locked out, its owner told",
    async () => {
      const w = (world = await testWorld({ env: FAST, recordRetryDelaysMs: [1] }));
      const moveItem = w.store.moveItem.bind(w.store);
      let refusals = 2;
      sinon.stub(w.store, 'moveItem').callsFake((...args: Parameters<typeof moveItem>) => {
        if (args[3] === 'locked_out' && args[2].includes('resetting') && refusals > 0) {
          refusals -= 1;
          return Promise.reject(new Error('connection lost'));
        }
        return moveItem(...args);
      });
      const { place, prepared } = await lockOut(w, ['1002', '1003']);
      await w.sipReset.lockoutRuns.settled();
      expect((await w.store.listItems(prepared.campaignId)).map((i) => i.state)).to.deep.equal([
        'resetting',
        'queued',
      ]);
      await w.sweepAll();
      await w.sipReset.lockoutRuns.settled();
      expect(
        w.vendor.calls.map((c) => c.account),
        'never asked again',
      ).to.deep.equal(['1002', '1003']);
      expect((await w.store.listItems(prepared.campaignId)).map((i) => i.state)).to.deep.equal([
        'locked_out',
        'locked_out',
      ]);
      expect(JSON.stringify(w.lastMessage(CAST.owner).blocks)).to.contain(en.lockoutRun.getPasswordButton);
      expect(w.slack.messages.find((m) => m.ts === place.ts)?.text).to.contain('2 of 2 phones locked out');
    },
  );

  worldTest(
    'logs a run that failed with something not an Error (no unhandled rejection), and resumes it at the next sweep',
    async () => {
      const w = (world = await testWorld({ env: FAST }));
      const stray: unknown[] = [];
      const onStray = (reason: unknown) => stray.push(reason);
      process.on('unhandledRejection', onStray);
      try {
        const takeLease = w.store.takeLease.bind(w.store);
        let refusals = 1;
        sinon.stub(w.store, 'takeLease').callsFake((...args: Parameters<typeof takeLease>) => {
          if (refusals-- > 0) return Promise.reject(undefined);
          return takeLease(...args);
        });
        const { place } = await lockOut(w, ['1001']);
        await w.sipReset.lockoutRuns.settled();
        await new Promise((resolve) => setImmediate(resolve));
        expect(stray).to.deep.equal([]);
        const failed = w.logs
          .lines()
          .find((line) => line.message === 'a lock-out run failed; the next sweep resumes it');
        expect(failed).to.include({ error: 'undefined' });
        await w.sweepAll();
        await w.sipReset.lockoutRuns.settled();
        expect(w.slack.messages.find((m) => m.ts === place.ts)?.text).to.contain('Lock-out finished: 1 of 1');
      } finally {
        process.off('unhandledRejection', onStray);
      }
    },
  );

  worldTest('resumes after a restart with the first phone not started, each phone reset once', async () => {
    const w = (world = await testWorld({ env: FAST }));
    const held = w.vendor.hold('sipReset');
    const { place } = await lockOut(w, ['1001', '1002', '1003']);
    await held.arrived;
    const restarted = w.restart();
    held.release();
    await restarted;
    await w.sipReset.lockoutRuns.settled();
    expect(w.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1002', '1003']);
    expect(w.slack.messages.find((m) => m.ts === place.ts)?.text).to.contain('3 of 3 phones locked out');
  });
});

describe('e2e: a lock-out on PostgreSQL, with two instances', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  worldTest('runs once when both instances find it unattended: each phone reset once', async function () {
    const w = await worldOnPostgres(this, cleanup, { env: FAST });
    await w.addInstance();
    const accounts = ['1001', '1002', '1003', '9000', '2001'].map((account) => ({
      account,
      appId: account === '2001' ? 'Xy12ab' : HEAD_OFFICE,
    }));
    // Started by an instance that died at once.
    const { campaignId } = await startedByDeadInstance(w, accounts, 'left the company');
    await w.sweepAll();
    await w.sweepAll();
    await w.lockoutsSettledEverywhere();
    expect((await w.store.getCampaign(campaignId))?.state).to.equal('finished');
    expect(w.vendor.calls.map((c) => c.account).sort()).to.deep.equal([
      '1001',
      '1002',
      '1003',
      '2001',
      '9000',
    ]);
    expect(w.vendor.issued).to.have.length(5);
  });
});

describe('e2e: a lock-out whose progress message Slack refuses', () => {
  let world: TestWorld | undefined;
  afterEach(() => world?.stop());

  worldTest(
    'resets nothing and says so in the review when neither the approval channel nor the DM takes its progress (no Stop to press)',
    async () => {
      const w = (world = await testWorld({ env: FAST }));
      await w.driver.command(CAST.helpdesk, 'lockout', CAST.general);
      await w.driver.submitModal(CAST.helpdesk, {
        lockout_accounts: '1001 1002',
        lockout_app: HEAD_OFFICE,
        lockout_reason: 'Left the company',
      });
      // The approval channel's parent, then the agent's DM: both refused.
      w.slack.failNext('chat.postMessage', 'ratelimited');
      w.slack.failNext('chat.postMessage', 'ratelimited');
      await w.driver.clickInModal(CAST.helpdesk, ACTION.lockoutStart);
      await w.sipReset.lockoutRuns.settled();
      expect(w.vendor.calls, 'no phone is locked out without a Stop button to end it').to.have.length(0);
      const review = JSON.stringify(w.driver.openedModal(CAST.helpdesk)?.view);
      expect(review).to.contain(en.lockoutForm.notStartedTitle).and.contain(en.lockoutForm.progressUnposted);
      expect(review).not.to.contain(en.lockoutForm.startFailed);
    },
  );
});

describe('e2e: a lock-out whose summary Slack refuses at first (its last chat.update)', () => {
  let world: TestWorld | undefined;
  afterEach(() => world?.stop());

  /**
   * One phone on a clock that stands still: no progress redraw, so the one chat.update is the
   * summary's. The waits for Slack's Retry-After are recorded, and wait for nothing.
   */
  async function summaryWorld() {
    const waits: number[] = [];
    const at = Date.now();
    const w = (world = await testWorld({
      env: FAST,
      now: () => at,
      slackSleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    }));
    return { w, waits };
  }
  const updates = (w: TestWorld) => w.slack.calls.filter((call) => call.method === 'chat.update').length;
  const shown = (w: TestWorld, ts: string) => w.slack.messages.find((m) => m.ts === ts);

  worldTest("draws it after Slack's Retry-After when the first try is rate limited (429)", async () => {
    const { w, waits } = await summaryWorld();
    w.slack.failNext('chat.update', 'ratelimited');
    const { place } = await lockOut(w, ['1001']);
    await w.sipReset.lockoutRuns.settled();
    expect(waits, "Slack's Retry-After: 30").to.deep.equal([30_000]);
    expect(updates(w)).to.equal(2);
    expect(shown(w, place.ts)?.text).to.contain('Lock-out finished: 1 of 1 phone');
    expect(JSON.stringify(shown(w, place.ts)?.blocks)).not.to.contain(ACTION.lockoutStop);
    expect(await w.store.slackStore().unsettledLockoutSummaries()).to.deep.equal([]);
  });

  worldTest(
    'leaves it to the sweep when Slack refuses every try, which draws it after a restart; the audit channel gets it at once',
    async () => {
      const { w, waits } = await summaryWorld();
      for (let i = 0; i < 3; i += 1) w.slack.failNext('chat.update', 'ratelimited');
      const { place, prepared } = await lockOut(w, ['1001']);
      await w.sipReset.lockoutRuns.settled();
      expect(waits, 'three tries, two waits').to.deep.equal([30_000, 30_000]);
      expect(JSON.stringify(shown(w, place.ts)?.blocks), 'still the progress').to.contain(ACTION.lockoutStop);
      expect(w.lastMessage(CAST.audit).text).to.contain('Lock-out finished: 1 of 1');
      expect(w.logs.lines().map((line) => line.message)).to.include(
        "could not draw a lock-out's summary; the sweep draws it",
      );
      expect(await w.store.slackStore().unsettledLockoutSummaries()).to.deep.equal([
        { campaignId: prepared.campaignId, ref: place },
      ]);

      await w.restart();
      await w.sweepAll();
      expect(shown(w, place.ts)?.text).to.contain('Lock-out finished: 1 of 1 phone');
      expect(JSON.stringify(shown(w, place.ts)?.blocks)).not.to.contain(ACTION.lockoutStop);
      expect(await w.store.slackStore().unsettledLockoutSummaries()).to.deep.equal([]);
      const drawn = updates(w);
      await w.sweepAll();
      expect(updates(w), 'drawn once').to.equal(drawn);
      expect(w.vendor.calls, 'never reset again').to.have.length(1);
    },
  );

  worldTest(
    'draws it when Stop is pressed on the stale progress of a lock-out that has ended, and says it has ended',
    async () => {
      const { w } = await summaryWorld();
      for (let i = 0; i < 3; i += 1) w.slack.failNext('chat.update', 'ratelimited');
      const { place } = await lockOut(w, ['1001']);
      await w.sipReset.lockoutRuns.settled();
      const progress = { kind: 'message' as const, channel: place.channel, ts: place.ts };
      await w.driver.click(CAST.helpdesk, progress, ACTION.lockoutStop);
      expect(w.lastPrivate(CAST.helpdesk).text).to.equal(en.errors.lockout_not_running);
      expect(shown(w, place.ts)?.text).to.contain('Lock-out finished: 1 of 1 phone');
      expect(await w.store.slackStore().unsettledLockoutSummaries()).to.deep.equal([]);
    },
  );

  worldTest(
    'gives up at once when Slack refuses it for good (the message deleted), and logs it',
    async () => {
      const { w, waits } = await summaryWorld();
      w.slack.failNext('chat.update', 'message_not_found');
      await lockOut(w, ['1001']);
      await w.sipReset.lockoutRuns.settled();
      await w.sweepAll();
      expect(waits).to.deep.equal([]);
      expect(updates(w), 'not asked again').to.equal(1);
      const refused = "Slack refused a lock-out's summary; it is not drawn again";
      expect(w.logs.lines().find((line) => line.message === refused)).to.include({
        error: 'message_not_found',
      });
    },
  );
});

describe('e2e: a lock-out whose summary meets a stop', () => {
  let world: TestWorld | undefined;
  afterEach(() => world?.stop());
  // The app's clock stands still in each test, at the time it starts: set when the file loads, it
  // would be minutes old by then in a whole run, and ITNIO refuses a signature that old (-16).
  let at = 0;
  beforeEach(() => {
    at = Date.now();
  });
  const updates = (w: TestWorld) => w.slack.calls.filter((call) => call.method === 'chat.update').length;
  const shown = (w: TestWorld, ts: string) => w.slack.messages.find((m) => m.ts === ts);

  worldTest(
    "a process stopping while the summary waits out Slack's Retry-After asks Slack nothing more: the sweep draws it",
    async () => {
      let waiting = () => {};
      const waited = new Promise<void>((resolve) => (waiting = resolve));
      const w = (world = await testWorld({
        env: FAST,
        now: () => at,
        // Waits until the process stops, as the real sleep does past a Retry-After of 30 s.
        slackSleep: (_ms, signal) =>
          new Promise<void>((resolve) => {
            waiting();
            signal.addEventListener('abort', () => resolve(), { once: true });
          }),
      }));
      for (let i = 0; i < 3; i += 1) w.slack.failNext('chat.update', 'ratelimited');
      const { place, prepared } = await lockOut(w, ['1001']);
      await waited;
      await w.sipReset.lockoutRuns.halt();
      expect(updates(w), 'no call inside the Retry-After Slack asked for').to.equal(1);
      expect(w.logs.lines().map((line) => line.message)).to.include(
        "could not draw a lock-out's summary; the sweep draws it",
      );
      expect(await w.store.slackStore().unsettledLockoutSummaries()).to.deep.equal([
        { campaignId: prepared.campaignId, ref: place },
      ]);
    },
  );

  worldTest(
    'a Stop whose "stopping" redraw lands after the summary leaves the summary shown, not a stale "stopping"',
    async () => {
      const w = (world = await testWorld({ env: FAST, now: () => at }));
      const call = w.vendor.hold('sipReset');
      const { place, prepared } = await lockOut(w, ['1001']);
      await call.arrived;
      // The Stop's redraw reaches Slack late: the run ends and draws its summary meanwhile.
      const stopping = w.slack.hold('chat.update');
      const stop = w.sipReset.lockoutRuns.stop(prepared.campaignId, CAST.helpdesk);
      await stopping.arrived;
      call.release();
      await w.sipReset.lockoutRuns.settled();
      expect(shown(w, place.ts)?.text).to.contain('Lock-out stopped by <@UHANA>: 1 of 1 phone');
      stopping.release();
      await stop;
      await w.sipReset.lockoutRuns.settled();
      await w.sweepAll();
      expect(shown(w, place.ts)?.text).to.contain('Lock-out stopped by <@UHANA>: 1 of 1 phone');
      expect(JSON.stringify(shown(w, place.ts)?.blocks)).not.to.contain('ends after the phone in progress');
      expect(w.vendor.calls, 'one call').to.have.length(1);
    },
  );
});
