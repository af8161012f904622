import { expect } from 'chai';
import type { Acknowledgement, Driver } from '../../sandbox/slack-driver.js';
import { CAST } from '../../sandbox/world.js';
import { en } from '../../src/i18n/en/index.js';
import { ACTION, BLOCK, VIEW } from '../../src/slack/platform/ids.js';
import { Cleanup } from '../helpers/cleanup.js';
import { expectNoSecret } from '../helpers/leaks.js';
import { startedByDeadInstance } from '../helpers/dead-instance.js';
import { HEAD_OFFICE } from '../helpers/requests.js';
import {
  requestReset,
  databaseContents,
  testWorld,
  worldOn,
  worldOnPostgres,
  worldTest,
  type TestSocketWorld,
  type TestWorld,
} from '../helpers/world.js';
import { expectNoServerError, expectStillServing } from './attack.js';

// Paced fast: the pacing itself is the domain's test, on a fake clock.
const FAST = { SIP_RESET_LOCKOUT_RATE_PER_SECOND: '50', SIP_RESET_AUDIT_CHANNEL: CAST.audit };

type AnyWorld = TestWorld | TestSocketWorld;
const driverOf = (w: AnyWorld) => w.driver as Driver<Acknowledgement>;
type View = Record<string, unknown> & { blocks?: Array<Record<string, unknown>> };

/** The lock-out form, opened by the helpdesk agent and submitted: its answer (the review, or errors). */
async function submitLockout(w: TestWorld, values: Record<string, string>, user: string = CAST.helpdesk) {
  await w.driver.command(CAST.helpdesk, 'lockout', CAST.general);
  return w.driver.sendInteraction(
    w.driver.modalSubmission(user, values, w.driver.openedModal(CAST.helpdesk)),
  );
}

/** The review as Slack shows it to the helpdesk agent after a submission that prepared a lock-out. */
async function review(w: AnyWorld, accounts = '1001 1002 1003', reason = 'SIP credentials leaked') {
  await driverOf(w).command(CAST.helpdesk, 'lockout', CAST.general);
  const answer = await driverOf(w).submitModal(CAST.helpdesk, {
    [BLOCK.lockoutAccounts]: accounts,
    [BLOCK.lockoutApp]: HEAD_OFFICE,
    [BLOCK.lockoutReason]: reason,
  });
  expect(answer.json()).to.include({ response_action: 'update' });
  const opened = driverOf(w).openedModal(CAST.helpdesk);
  expect((opened?.view as View).callback_id).to.equal(VIEW.lockoutReview);
  return opened as NonNullable<typeof opened>;
}

/**
 * A click on the review's start button as a payload carries it, with what an attacker may change:
 * who clicks, the view's private_metadata, the workspace.
 */
function startClick(
  w: AnyWorld,
  opened: { id: string; view: Record<string, unknown>; hash?: string },
  forged: { user?: string; metadata?: string; team?: string } = {},
): Record<string, unknown> {
  const user = forged.user ?? CAST.helpdesk;
  const team = forged.team ?? 'T1';
  return {
    type: 'block_actions',
    team: { id: team, domain: 'example' },
    user: { id: user, username: user, name: user, team_id: team },
    api_app_id: 'A1',
    token: 'verification-token-unused',
    trigger_id: w.slack.issueTrigger(user),
    container: { type: 'view', view_id: opened.id },
    view: {
      ...opened.view,
      id: opened.id,
      team_id: team,
      app_id: 'A1',
      bot_id: 'BBOT',
      hash: opened.hash,
      state: { values: {} },
      private_metadata: forged.metadata ?? opened.view.private_metadata,
    },
    actions: [
      {
        type: 'button',
        action_id: ACTION.lockoutStart,
        block_id: 'actions',
        value: '',
        text: { type: 'plain_text', text: 'Lock out' },
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** A Stop click on a progress message, its value forged. */
function stopClick(w: AnyWorld, user: string, value: unknown, channel = CAST.approvals) {
  return {
    type: 'block_actions',
    team: { id: 'T1', domain: 'example' },
    user: { id: user, username: user, name: user, team_id: 'T1' },
    api_app_id: 'A1',
    token: 'verification-token-unused',
    trigger_id: w.slack.issueTrigger(user),
    container: { type: 'message', channel_id: channel, message_ts: '1700000000.000100' },
    channel: { id: channel, name: 'phone-approvals' },
    message: { ts: '1700000000.000100', text: 'progress', blocks: [] },
    response_url: w.slack.issueResponseUrl(user, channel),
    actions: [
      {
        type: 'button',
        action_id: ACTION.lockoutStop,
        block_id: 'actions',
        value,
        text: { type: 'plain_text', text: 'Stop' },
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

const campaignIdOf = (opened: { view: Record<string, unknown> }) =>
  (JSON.parse(String(opened.view.private_metadata)) as { lockoutCampaignId: string }).lockoutCampaignId;

const reviewText = (w: AnyWorld) => JSON.stringify(driverOf(w).openedModal(CAST.helpdesk)?.view);

describe('attack: the lock-out form’s submission', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld({ env: FAST });
  });
  afterEach(() => world.stop());

  worldTest(
    'a pasted list over its limit, and 3,000 separators: field errors, nothing prepared',
    async () => {
      const huge = Array.from({ length: 5_000 }, (_, i) => String(100_000 + i)).join('\n');
      const tooMany = await submitLockout(world, {
        [BLOCK.lockoutAccounts]: huge,
        [BLOCK.lockoutApp]: HEAD_OFFICE,
        [BLOCK.lockoutReason]: 'leak',
      });
      expectNoServerError(tooMany, 'a huge list');
      const errors = tooMany.json().errors as Record<string, string>;
      expect(errors[BLOCK.lockoutAccounts]).to.contain('3,000');
      for (const separators of [',;，；、 \n\t'.repeat(375).slice(0, 3_000), '\u3000'.repeat(3_000)]) {
        const answer = await submitLockout(world, {
          [BLOCK.lockoutAccounts]: separators,
          [BLOCK.lockoutApp]: HEAD_OFFICE,
          [BLOCK.lockoutReason]: 'leak',
        });
        expectNoServerError(answer, 'separators alone');
        expect(answer.json()).to.deep.equal({
          response_action: 'errors',
          errors: { [BLOCK.lockoutAccounts]: en.lockoutForm.nothingChosen },
        });
      }
      expect(await world.store.listUnattended(Date.now() + 1e9)).to.have.length(0);
      expect(world.vendor.calls).to.have.length(0);
      await expectStillServing(world);
    },
  );

  worldTest('look-alike digits are never read as the account they resemble', async () => {
    // Full-width, Arabic-Indic and mathematical digits: none of them is 1001 or 1002.
    const lookAlikes = ['１００１', '١٠٠٢', '𝟏𝟎𝟎𝟑'];
    const opened = await review(world, lookAlikes.join(' '));
    await driverOf(world).sendInteraction(startClick(world, opened));
    await world.sipReset.lockoutRuns.settled();
    const asked = world.vendor.calls.map((c) => c.account);
    for (const real of ['1001', '1002', '1003']) expect(asked).not.to.include(real);
    expect(asked).to.deep.equal(lookAlikes);
    // ITNIO knows none of them: listed as failed, and no owner told.
    const summary = world.slack.messages.find((m) => m.text.includes('Lock-out finished'));
    expect(summary?.text).to.contain('0 of 3 phones locked out');
    expect(world.slack.messages.filter((m) => m.channel === world.slack.dmOf(CAST.owner))).to.have.length(0);
  });

  worldTest('mentions and markup in the reason reach no message as a mention or a link', async () => {
    const reason = '<!channel> <!here|here> <@UEVE> <https://evil.example|click> *bold* &lt;';
    const opened = await review(world, '1002', reason);
    await driverOf(world).sendInteraction(startClick(world, opened));
    await world.sipReset.lockoutRuns.settled();
    const shown = JSON.stringify([
      ...world.slack.calls.filter((c) =>
        ['chat.postMessage', 'chat.update', 'views.update'].includes(c.method),
      ),
      { review: opened.view },
    ]);
    for (const markup of ['<!channel>', '<!here', '<@UEVE>', '<https://evil.example']) {
      expect(shown, markup).not.to.contain(markup);
    }
    expect(world.lastMessage(CAST.owner).text).to.contain('&lt;!channel&gt;');
  });

  worldTest(
    'someone not in the helpdesk submitting the form directly is refused; nothing prepared',
    async () => {
      for (const user of [CAST.employee, CAST.stranger]) {
        const answer = await submitLockout(
          world,
          {
            [BLOCK.lockoutAccounts]: '1001 1002',
            [BLOCK.lockoutApp]: HEAD_OFFICE,
            [BLOCK.lockoutReason]: 'mischief',
          },
          user,
        );
        expectNoServerError(answer, `${user} submitting`);
        expect(answer.json()).to.deep.equal({
          response_action: 'errors',
          errors: { [BLOCK.lockoutAccounts]: en.errors.not_helpdesk },
        });
      }
      expect(world.vendor.calls).to.have.length(0);
    },
  );

  worldTest('the lock-out form from another workspace is refused before Bolt', async () => {
    await driverOf(world).command(CAST.helpdesk, 'lockout', CAST.general);
    const payload = driverOf(world).modalSubmission(CAST.helpdesk, {
      [BLOCK.lockoutAccounts]: '1001',
      [BLOCK.lockoutApp]: HEAD_OFFICE,
      [BLOCK.lockoutReason]: 'x',
    });
    payload.team = { id: 'T2', domain: 'other' };
    (payload.user as Record<string, unknown>).team_id = 'T2';
    (payload.view as Record<string, unknown>).team_id = 'T2';
    const answer = await world.driver.sendInteraction(payload);
    expect(answer.status).to.be.within(200, 499);
    expect(answer.body).not.to.contain('response_action');
    const opened = await review(world, '1001');
    const foreign = await world.driver.sendInteraction(startClick(world, opened, { team: 'T2' }));
    expect(foreign.status).to.be.within(200, 499);
    await world.sipReset.lockoutRuns.settled();
    expect(world.vendor.calls).to.have.length(0);
  });
});

describe('attack: the lock-out review’s button', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld({ env: FAST });
  });
  afterEach(() => world.stop());

  worldTest('a forged or foreign private_metadata starts nothing and says why', async () => {
    const opened = await review(world, '1001');
    const forgeries = [
      '',
      'not json',
      '{',
      JSON.stringify({ lockoutCampaignId: 'no-such-campaign' }),
      JSON.stringify({ lockoutCampaignId: ['x'] }),
      JSON.stringify({ lockoutCampaignId: 'a'.repeat(100_000) }),
      JSON.stringify({ lockoutCampaignId: 'x\u0000y' }),
      JSON.stringify({ responseUrl: 'https://evil.example' }),
    ];
    for (const metadata of forgeries) {
      const answer = await world.driver.sendInteraction(startClick(world, opened, { metadata }));
      expectNoServerError(answer, `metadata ${metadata.slice(0, 30)}`);
    }
    await world.sipReset.lockoutRuns.settled();
    expect(world.vendor.calls).to.have.length(0);
    expect(reviewText(world)).to.contain(en.errors.lockout_not_found.slice(0, 20));
    await expectStillServing(world);
  });

  worldTest(
    'another agent’s campaign ID, and anyone outside the helpdesk clicking start: refused',
    async () => {
      const opened = await review(world, '1001 1002');
      const theirs = campaignIdOf(opened);
      // Eve is not in the helpdesk; Alice neither. Both forge a click on Hana's review.
      for (const user of [CAST.stranger, CAST.employee]) {
        const answer = await world.driver.sendInteraction(startClick(world, opened, { user }));
        expectNoServerError(answer, `${user} starting`);
      }
      await world.sipReset.lockoutRuns.settled();
      expect(world.vendor.calls).to.have.length(0);
      expect((await world.store.getCampaign(theirs))?.state).to.equal('draft');
      // Another draft of Hana's, named in a forged click by Eve: not hers to start.
      const second = await world.sipReset.services.lockouts.prepare({
        agentId: CAST.helpdesk,
        targets: [{ account: '1003', appId: HEAD_OFFICE }],
        reason: 'second',
      });
      const byEve = await world.driver.sendInteraction(
        startClick(world, opened, {
          user: CAST.stranger,
          metadata: JSON.stringify({ lockoutCampaignId: second.campaignId }),
        }),
      );
      expectNoServerError(byEve, 'Eve naming another draft');
      await world.sipReset.lockoutRuns.settled();
      expect(world.vendor.calls).to.have.length(0);
      expect((await world.store.getCampaign(second.campaignId))?.state).to.equal('draft');
    },
  );

  worldTest('a replayed click (Slack’s retry, byte for byte) starts it once', async () => {
    const opened = await review(world, '1001 1002');
    await world.driver.sendInteraction(startClick(world, opened));
    const replayed = await world.driver.replay();
    expectNoServerError(replayed, 'a replay');
    await world.sipReset.lockoutRuns.settled();
    expect(world.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1002']);
    const started = await world.store.auditOf('1001', 20);
    expect(started.filter((e) => e.type === 'locked_out')).to.have.length(1);
  });
});

for (const mode of ['http', 'socket'] as const) {
  describe(`attack: the review’s button clicked twice at once, over ${mode === 'http' ? 'HTTP' : 'Socket Mode'}`, () => {
    let world: AnyWorld;
    beforeEach(async () => {
      world =
        mode === 'socket' ? await testWorld({ env: FAST, mode: 'socket' }) : await testWorld({ env: FAST });
    });
    afterEach(() => world.stop());

    worldTest('starts one lock-out, each phone reset once; the review says it started', async () => {
      const opened = await review(world, '1001 1002 1003');
      const first = startClick(world, opened);
      const second = startClick(world, opened);
      await Promise.all([driverOf(world).sendInteraction(first), driverOf(world).sendInteraction(second)]);
      await world.sipReset.lockoutRuns.settled();
      expect(world.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1002', '1003']);
      const parents = world.slack.messages.filter((m) => m.text.includes('Lock-out of 3 phones started'));
      expect(parents, 'one progress thread').to.have.length(1);
      expect(reviewText(world)).to.contain(`in its thread in <#${CAST.approvals}>`);
    });
  });
}

describe('attack: Stop', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld({ env: FAST });
  });
  afterEach(() => world.stop());

  worldTest('a forged value is refused privately in words; the running lock-out goes on', async () => {
    const held = world.vendor.hold('sipReset');
    const opened = await review(world, '1001 1002');
    await world.driver.sendInteraction(startClick(world, opened));
    await held.arrived;
    for (const value of ['', 'no-such', 'x'.repeat(50_000), 'a\u0000b']) {
      const before = world.slack.ephemerals.length;
      const answer = await world.driver.sendInteraction(stopClick(world, CAST.helpdesk, value));
      expectNoServerError(answer, `Stop ${value.slice(0, 20)}`);
      const told = world.slack.ephemerals.slice(before).map((e) => e.text);
      expect(told, `told about ${value.slice(0, 20)}`).to.deep.equal([en.errors.lockout_not_found]);
    }
    // Not a string: malformed, refused before Bolt.
    for (const value of [42, null, ['a'], { id: 'x' }]) {
      const answer = await world.driver.sendInteraction(stopClick(world, CAST.helpdesk, value));
      expect(answer.status, JSON.stringify(value)).to.equal(400);
    }
    held.release();
    await world.sipReset.lockoutRuns.settled();
    expect(world.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1002']);
    await expectStillServing(world);
  });

  worldTest(
    'racing the last phone: it is locked out and its owner told, the lock-out ends once',
    async () => {
      const opened = await review(world, '1001 1002');
      const campaignId = campaignIdOf(opened);
      const first = world.vendor.hold('sipReset');
      const last = world.vendor.hold('sipReset');
      await world.driver.sendInteraction(startClick(world, opened));
      await first.arrived;
      first.release();
      // The second (last) phone's call is in flight when Stop arrives.
      await last.arrived;
      const answer = await world.driver.sendInteraction(stopClick(world, CAST.helpdesk, campaignId));
      expectNoServerError(answer, 'Stop');
      last.release();
      await world.sipReset.lockoutRuns.settled();
      expect(world.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1002']);
      const items = await world.store.listItems(campaignId);
      expect(items.map((i) => i.state)).to.deep.equal(['locked_out', 'locked_out']);
      const campaign = await world.store.getCampaign(campaignId);
      expect(campaign?.state).to.equal('stopped');
      expect(JSON.stringify(world.lastMessage(CAST.owner).blocks)).to.contain(
        en.lockoutRun.getPasswordButton,
      );
      const summaries = world.slack
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === CAST.audit && String(c.args.text).includes('Lock-out'));
      expect(summaries, 'one summary in the audit channel').to.have.length(1);
    },
  );

  worldTest('the owner’s Get a new password clicked by someone else resets nothing', async () => {
    const opened = await review(world, '1002');
    await world.driver.sendInteraction(startClick(world, opened));
    await world.sipReset.lockoutRuns.settled();
    const dm = world.lastMessage(CAST.owner);
    const host = { kind: 'message' as const, channel: dm.channel, ts: dm.ts };
    for (const intruder of [CAST.stranger, CAST.helpdesk, CAST.employee]) {
      const answer = await world.driver.click(intruder, host, ACTION.claim);
      expectNoServerError(answer, `${intruder} clicking`);
    }
    expect(world.vendor.calls, 'only the lock-out’s own call').to.have.length(1);
    for (const intruder of [CAST.stranger, CAST.helpdesk, CAST.employee]) {
      expect(world.privateTo(intruder)).not.to.contain(ACTION.removePassword);
    }
    await world.driver.click(CAST.owner, host, ACTION.claim);
    expect(world.vendor.calls).to.have.length(2);
  });
});

describe('attack: two instances and a restart (PostgreSQL)', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  worldTest('a second instance sweeping while the first runs it calls nothing', async function () {
    const w = await worldOnPostgres(this, cleanup, { env: FAST });
    await w.addInstance();
    const held = w.vendor.hold('sipReset');
    const opened = await review(w, '1001 1002 1003');
    await w.driver.sendInteraction(startClick(w, opened));
    await held.arrived;
    await w.sweepAll();
    await w.sweepAll();
    held.release();
    await w.lockoutsSettledEverywhere();
    expect(w.vendor.calls.map((c) => c.account)).to.deep.equal(['1001', '1002', '1003']);
  });

  worldTest(
    'a process killed mid-call: that phone is unknown, never called again; the rest resume',
    async function () {
      const w = await worldOnPostgres(this, cleanup, { env: FAST });
      // A process that claimed 1001, called ITNIO and died: its lease has run out.
      const { campaignId, now } = await startedByDeadInstance(
        w,
        ['1001', '1002', '1003'].map((account) => ({ account, appId: HEAD_OFFICE })),
        'leak',
      );
      await w.store.moveItem(campaignId, 0, ['queued'], 'resetting', now, { startedAt: now });
      await w.sweepAll();
      await w.lockoutsSettledEverywhere();
      expect(w.vendor.calls.map((c) => c.account)).to.deep.equal(['1002', '1003']);
      const items = await w.store.listItems(campaignId);
      expect(items.map((i) => [i.state, i.failureCode])).to.deep.equal([
        ['unknown', 'interrupted'],
        ['locked_out', null],
        ['locked_out', null],
      ]);
    },
  );
});

describe('attack: NUL and other bytes PostgreSQL refuses in text', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  worldTest(
    'in a Stop value, a review’s campaign ID and the reason: said in words, nothing started',
    async function () {
      const w = await worldOnPostgres(this, cleanup, { env: FAST });
      const before = w.slack.ephemerals.length;
      const stop = await w.driver.sendInteraction(stopClick(w, CAST.helpdesk, 'a\u0000b'));
      expectNoServerError(stop, 'Stop with NUL');
      expect(w.slack.ephemerals.slice(before).map((e) => e.text)).to.deep.equal([
        en.errors.lockout_not_found,
      ]);

      const opened = await review(w, '1001');
      const start = await w.driver.sendInteraction(
        startClick(w, opened, { metadata: JSON.stringify({ lockoutCampaignId: 'x\u0000y' }) }),
      );
      expectNoServerError(start, 'start with NUL');
      expect(reviewText(w)).to.contain(en.errors.lockout_not_found.slice(0, 20));

      // A reason with a NUL pasted in is kept, the NUL replaced; so is a single reset's.
      await review(w, '1002', 'toll\u0000fraud');
      await w.driver.sendInteraction(startClick(w, w.driver.openedModal(CAST.helpdesk) as never));
      await w.sipReset.lockoutRuns.settled();
      await requestReset(w, CAST.employee, '1003', 'new\u0000desk');
      expect(w.lastMessage(CAST.owner).text).to.contain('toll\uFFFDfraud');
      expect((await w.store.listByRequester(CAST.employee, 1))[0]?.reason).to.equal('new\uFFFDdesk');
      await w.sipReset.lockoutRuns.settled();
      expect(
        w.vendor.calls.map((c) => c.account),
        'only the real lock-out',
      ).to.deep.equal(['1002']);
      expect(w.logs.text()).not.to.contain('invalid byte sequence');
      await expectStillServing(w);
    },
  );
});

describe('attack: no lock-out password anywhere', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  for (const [name, kind] of [
    ['sqlite', 'SQLite'],
    ['postgres', 'PostgreSQL'],
  ] as const) {
    worldTest(`in no log line, Slack call or database row (${name}), in any encoding`, async function () {
      const w = await worldOn(this, cleanup, kind, (databaseUrl) => testWorld({ env: FAST, databaseUrl }));
      const opened = await review(w, '1001 1002 1003 2001');
      // 2001 is Warehouse's: pasted for Head office it is ITNIO's "no such account".
      await w.driver.sendInteraction(startClick(w, opened));
      await w.sipReset.lockoutRuns.settled();
      const discarded = [...w.vendor.issued];
      expect(discarded).to.have.length(3);
      // The owner of 1002 gets a new password: that one, and only that one, reaches them privately.
      const dm = w.lastMessage(CAST.owner);
      await w.driver.click(CAST.owner, { kind: 'message', channel: dm.channel, ts: dm.ts }, ACTION.claim);
      const fresh = w.vendor.issued.at(-1) as string;
      expect(discarded).not.to.include(fresh);
      const secrets = Object.fromEntries(discarded.map((p, i) => [`lock-out password ${i}`, p]));
      expectNoSecret(w.logs.text(), secrets);
      expectNoSecret(JSON.stringify(w.slack.calls), secrets);
      expectNoSecret(JSON.stringify([w.slack.messages, w.slack.ephemerals, w.slack.views]), secrets);
      expectNoSecret(await databaseContents(w.config.databaseUrl), secrets);
      expectNoSecret(await databaseContents(w.config.databaseUrl), { 'new password': fresh });
      expectNoSecret(w.logs.text(), { 'new password': fresh });
      expect(w.privateTo(CAST.owner)).to.contain(fresh);
    });
  }
});
