import { expect } from 'chai';
import { CAST } from '../../sandbox/world.js';
import { ACTION } from '../../src/slack/platform/ids.js';
import { sqliteDatabase } from '../helpers/databases.js';
import { startedByDeadInstance } from '../helpers/dead-instance.js';
import { HEAD_OFFICE } from '../helpers/requests.js';
import { testWorld, worldTest, type TestWorld } from '../helpers/world.js';

// Paced fast: the pacing itself is the domain's test, on a fake clock.
const FAST = { SIP_RESET_LOCKOUT_RATE_PER_SECOND: '50' };
const REASON = 'SIP credentials leaked';

/** The samples of one scrape, by series (name and labels as exposed), e.g. `x_total{how="stopped"}`. */
async function scrape(port: number | undefined) {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).to.equal(200);
  const text = await response.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\S+) (\S+)$/.exec(line);
    if (match && !line.startsWith('#')) samples.set(match[1] as string, Number(match[2]));
  }
  return { text, samples, value: (series: string) => samples.get(series) ?? 0 };
}

const lockoutSeries = (samples: Map<string, number>) =>
  [...samples.keys()].filter((series) => series.startsWith('sip_reset_lockout')).sort();

async function lockOut(w: TestWorld, accounts: string[]) {
  const { lockouts } = w.sipReset.services;
  const targets = accounts.map((account) => ({ account, appId: HEAD_OFFICE }));
  const { campaignId } = await lockouts.prepare({ agentId: CAST.helpdesk, targets, reason: REASON });
  return { campaignId, place: await lockouts.start(campaignId, CAST.helpdesk) };
}

describe('ops: lock-out metrics', () => {
  let world: TestWorld | undefined;
  afterEach(() => world?.stop());

  worldTest(
    'count lock-outs started, stopped and ended (finished or stopped), and each phone by its outcome, with no account, user or reason in a label',
    async () => {
      const w = (world = await testWorld({ env: FAST }));
      const before = await scrape(w.sipReset.port());
      expect(before.value('sip_reset_lockouts_started_total')).to.equal(0);
      expect(before.value('sip_reset_lockout_phones_queued')).to.equal(0);

      // 1001's answer is lost (unknown), 1002 is locked out, ITNIO has no 1004 (failed).
      w.vendor.faults.push({ kind: 'reset' });
      const finished = await lockOut(w, ['1001', '1002', '1004']);
      await w.sipReset.lockoutRuns.settled();
      const once = await scrape(w.sipReset.port());
      expect(once.value('sip_reset_lockouts_started_total')).to.equal(1);
      expect(once.value('sip_reset_lockouts_stopped_total')).to.equal(0);
      expect(once.value('sip_reset_lockouts_ended_total{how="finished"}')).to.equal(1);
      expect(once.value('sip_reset_lockout_phones_total{outcome="locked_out"}')).to.equal(1);
      expect(once.value('sip_reset_lockout_phones_total{outcome="failed"}')).to.equal(1);
      expect(once.value('sip_reset_lockout_phones_total{outcome="unknown"}')).to.equal(1);

      // A second, stopped by a helpdesk agent while its first phone is in its call.
      const held = w.vendor.hold('sipReset');
      const stopped = await lockOut(w, ['1001', '1002', '1003']);
      await held.arrived;
      const during = await scrape(w.sipReset.port());
      expect(during.value('sip_reset_lockout_phones_queued'), 'the two after the one in its call').to.equal(
        2,
      );
      const progress = { kind: 'message' as const, channel: stopped.place.channel, ts: stopped.place.ts };
      await w.driver.click(CAST.helpdesk, progress, ACTION.lockoutStop);
      held.release();
      await w.sipReset.lockoutRuns.settled();

      const after = await scrape(w.sipReset.port());
      expect(after.value('sip_reset_lockouts_started_total')).to.equal(2);
      expect(after.value('sip_reset_lockouts_stopped_total')).to.equal(1);
      expect(after.value('sip_reset_lockouts_ended_total{how="finished"}')).to.equal(1);
      expect(after.value('sip_reset_lockouts_ended_total{how="stopped"}')).to.equal(1);
      expect(after.value('sip_reset_lockout_phones_total{outcome="locked_out"}')).to.equal(2);
      expect(after.value('sip_reset_lockout_phones_total{outcome="failed"}')).to.equal(1);
      expect(after.value('sip_reset_lockout_phones_total{outcome="unknown"}')).to.equal(1);
      expect(after.value('sip_reset_lockout_phones_queued')).to.equal(0);
      expect(lockoutSeries(after.samples), 'a second lock-out adds no series').to.deep.equal(
        lockoutSeries(once.samples).concat('sip_reset_lockouts_ended_total{how="stopped"}').sort(),
      );

      const labelValues = [...after.text.matchAll(/="([^"]*)"/g)].map((match) => match[1]).join(' ');
      for (const forbidden of [
        ...Object.values(CAST),
        '1001',
        '1002',
        '1003',
        '1004',
        finished.campaignId,
        stopped.campaignId,
        'leaked',
      ]) {
        expect(labelValues).not.to.contain(forbidden);
      }
    },
  );

  worldTest(
    'count the queued phones on the instance that runs the lock-out only: another on the same database says 0',
    async () => {
      const databaseUrl = sqliteDatabase().url;
      const w = (world = await testWorld({ env: FAST, databaseUrl }));
      const other = await testWorld({ env: FAST, databaseUrl });
      try {
        const held = w.vendor.hold('sipReset');
        await lockOut(w, ['1001', '1002', '1003', '9000']);
        await held.arrived;
        expect((await scrape(w.sipReset.port())).value('sip_reset_lockout_phones_queued')).to.equal(3);
        const elsewhere = await scrape(other.sipReset.port());
        expect(elsewhere.samples.get('sip_reset_lockout_phones_queued'), 'present, and 0').to.equal(0);
        held.release();
        await w.sipReset.lockoutRuns.settled();
        expect((await scrape(w.sipReset.port())).value('sip_reset_lockout_phones_queued')).to.equal(0);
      } finally {
        await other.stopAndCheck();
      }
    },
  );

  worldTest(
    'count a lock-out stopped before its first call, Slack having taken no progress message to stop it from',
    async () => {
      const w = (world = await testWorld({ env: FAST }));
      // The approval channel's parent, then the agent's DM: both refused.
      w.slack.failNext('chat.postMessage', 'ratelimited');
      w.slack.failNext('chat.postMessage', 'ratelimited');
      const refused = await lockOut(w, ['1001', '1002']).catch((error: unknown) => error);
      expect(refused).to.be.instanceOf(Error);
      await w.sipReset.lockoutRuns.settled();

      expect(w.vendor.calls).to.have.length(0);
      const { value } = await scrape(w.sipReset.port());
      expect(value('sip_reset_lockouts_started_total')).to.equal(1);
      expect(value('sip_reset_lockouts_stopped_total')).to.equal(1);
      expect(value('sip_reset_lockouts_ended_total{how="stopped"}')).to.equal(1);
      expect(value('sip_reset_lockouts_ended_total{how="finished"}')).to.equal(0);
      expect(value('sip_reset_lockout_phones_total{outcome="locked_out"}')).to.equal(0);
    },
  );

  worldTest(
    'count a phone a dead process left in its call as unknown, once, when the lock-out it resumed ends',
    async () => {
      const w = (world = await testWorld({ env: FAST }));
      // Started by an instance that died in 1001's call.
      const { campaignId, now } = await startedByDeadInstance(
        w,
        ['1001', '1002'].map((account) => ({ account, appId: HEAD_OFFICE })),
        REASON,
      );
      await w.store.moveItem(campaignId, 0, ['queued'], 'resetting', now, { startedAt: now });
      await w.sipReset.sweep();
      await w.sipReset.lockoutRuns.settled();

      expect(
        w.vendor.calls.map((c) => c.account),
        'never asked again',
      ).to.deep.equal(['1002']);
      const { value } = await scrape(w.sipReset.port());
      expect(value('sip_reset_lockout_phones_total{outcome="unknown"}')).to.equal(1);
      expect(value('sip_reset_lockout_phones_total{outcome="locked_out"}')).to.equal(1);
      expect(value('sip_reset_lockouts_ended_total{how="finished"}')).to.equal(1);
      expect(value('sip_reset_lockouts_started_total'), 'started by the dead one').to.equal(0);
    },
  );
});
