import { expect } from 'chai';
import { findButton } from '../../sandbox/slack-driver.js';
import type { PublicMessage } from '../../sandbox/slack-stub.js';
import { CAST } from '../../sandbox/world.js';
import { en } from '../../src/i18n/en/index.js';
import { requestReset, testWorld, type TestWorld, worldTest } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';
const MINUTE = 60_000;

describe('e2e: approvals', () => {
  let world: TestWorld;
  let clock: number;

  beforeEach(async () => {
    clock = Date.now();
    world = await testWorld({ now: () => clock });
  });
  afterEach(() => world.stop());

  const approvalMessage = () => world.lastMessage(CAST.approvals);
  const click = (user: string, actionId: string, message = approvalMessage()) =>
    world.driver.click(user, { kind: 'message', channel: message.channel, ts: message.ts }, actionId);
  const grant = () => world.lastMessage(CAST.employee);
  /** Presses "Reset now" in the grant DM. */
  const claim = (user: string, dm: PublicMessage) => click(user, 'sip_reset_claim', dm);
  const stored = async () => (await world.store.listByRequester(CAST.employee, 1))[0];

  worldTest(
    'posts the request to the approval channel, escaped, and tells the requester privately',
    async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      const message = approvalMessage();
      const text = JSON.stringify(message.blocks);
      expect(text).to.contain(`<@${CAST.employee}>`).and.contain('1001').and.contain('Head office');
      expect(text).to.contain('&lt;!channel&gt;').and.not.contain('<!channel>');
      expect(findButton(message.blocks, 'sip_reset_approve')).to.not.equal(undefined);
      expect(findButton(message.blocks, 'sip_reset_deny')).to.not.equal(undefined);
      expect(text)
        .to.match(/Expires/)
        .and.match(/0 of 1/);
      const pending = world.lastPrivate(CAST.employee, 'sip_reset_cancel');
      expect(pending.text).to.match(/waiting for approval in <#CAPPROVALS>/);
      expect((await stored())?.status).to.equal('pending');
      expect(world.vendor.calls).to.have.length(0);
    },
  );

  worldTest(
    'escapes a typed account in every text Slack is sent, notification fallbacks included',
    async () => {
      await requestReset(world, CAST.employee, '<!here>', 'My phone lost its password <!channel>');
      await click(CAST.approver, 'sip_reset_approve');
      const dm = grant();
      await claim(CAST.employee, dm);
      // The modal's input holds it as plain text, which Slack never parses for mentions.
      const sent = JSON.stringify(world.slack.calls.filter((call) => call.method !== 'views.open'));
      expect(sent, 'the account was shown').to.contain('&lt;!here&gt;');
      expect(sent, 'and never raw, where it would ping the channel').not.to.contain('<!here>');
      expect(approvalMessage().text).to.contain('&lt;!here&gt;');
      expect(dm.text).to.contain('&lt;!here&gt;');
    },
  );

  worldTest('runs approve, then a DM with the button; the click resets and answers privately', async () => {
    await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
    await click(CAST.approver, 'sip_reset_approve');
    expect(JSON.stringify(approvalMessage().blocks)).to.contain('Approved by <@UBOB>');
    expect(findButton(approvalMessage().blocks, 'sip_reset_approve')).to.equal(undefined);
    const dm = grant();
    expect(dm.channel).to.equal(world.slack.dmOf(CAST.employee));
    expect(findButton(dm.blocks, 'sip_reset_claim')).to.not.equal(undefined);
    expect(JSON.stringify(dm.blocks)).to.contain('<@UBOB>');
    expect(world.vendor.calls, 'approval alone resets nothing').to.have.length(0);

    await claim(CAST.employee, dm);
    const password = world.vendor.passwords.get(`${HEAD_OFFICE}/1001`) as string;
    const reply = world.lastPrivate(CAST.employee, 'sip_reset_remove_password');
    expect(reply).to.include({ via: 'response_url', channel: dm.channel });
    expect(JSON.stringify(reply.blocks)).to.contain(password);
    expect(JSON.stringify(grant().blocks)).to.match(/was reset/);
    expect(findButton(grant().blocks, 'sip_reset_claim')).to.equal(undefined);
    expect(JSON.stringify(approvalMessage().blocks)).to.contain('Password reset');
    expect((await stored())?.status).to.equal('completed');
    expect(world.vendor.calls).to.have.length(1);
  });

  worldTest(
    'refuses, privately and without change, clicks by non-approvers and by the requester',
    async () => {
      await requestReset(world, CAST.approver, '1001', 'My phone lost its password <!channel>');
      const before = JSON.stringify(approvalMessage());
      await click(CAST.employee, 'sip_reset_approve');
      await click(CAST.approver, 'sip_reset_approve');
      await click(CAST.approver, 'sip_reset_deny');
      const replies = world.slack
        .callsTo('response_url')
        .slice(1)
        .map((c) => c.args.text);
      expect(replies).to.deep.equal([
        'Only approvers may approve or deny reset requests: this one waits for them.',
        'You cannot approve or deny your own request: another approver has to.',
        'You cannot approve or deny your own request: another approver has to.',
      ]);
      expect(world.slack.callsTo('response_url').every((c) => c.args.response_type === 'ephemeral')).to.equal(
        true,
      );
      expect(JSON.stringify(approvalMessage())).to.equal(before);
      expect(world.slack.callsTo('views.open')).to.have.length(1);
      expect((await world.store.listByRequester(CAST.approver, 1))[0]?.status).to.equal('pending');
    },
  );

  worldTest('tells the approver privately when the approval cannot reach the requester', async () => {
    await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
    world.slack.failNext('chat.postMessage', 'cannot_dm_bot');
    await click(CAST.approver, 'sip_reset_approve');
    expect(world.slack.callsTo('response_url').at(-1)?.args).to.deep.include({ response_type: 'ephemeral' });
    expect(world.slack.callsTo('response_url').at(-1)?.args.text).to.match(
      /would not let the app message <@UALICE>/,
    );
  });

  worldTest('lets only the requester use the reset button', async () => {
    await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
    await click(CAST.approver, 'sip_reset_approve');
    const dm = grant();
    await claim(CAST.approver, dm);
    expect(world.slack.callsTo('response_url').at(-1)?.args.text).to.match(/Only the person who asked/);
    expect(world.vendor.calls).to.have.length(0);
  });

  worldTest(
    'denies with a reason in a small modal, updates the channel and tells the requester',
    async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      await click(CAST.secondApprover, 'sip_reset_deny');
      const modal = world.slack.views.at(-1)?.view as { callback_id: string };
      expect(modal.callback_id).to.equal('sip_reset_deny_reason');
      await world.driver.submitModal(CAST.secondApprover, { deny_reason: 'Ask <@UHANA> & co' });
      const text = JSON.stringify(approvalMessage().blocks);
      expect(text).to.contain('Denied by <@UDAVE>').and.contain('Ask &lt;@UHANA&gt; &amp; co');
      expect(findButton(approvalMessage().blocks, 'sip_reset_deny')).to.equal(undefined);
      expect(grant().text)
        .to.match(/was denied by <@UDAVE>/)
        .and.contain('&lt;@UHANA&gt;');
      expect((await stored())?.status).to.equal('denied');
    },
  );

  worldTest('shows a field error when a deny comes too late', async () => {
    await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
    await click(CAST.secondApprover, 'sip_reset_deny');
    await click(CAST.approver, 'sip_reset_approve');
    const answer = await world.driver.submitModal(CAST.secondApprover, { deny_reason: '' });
    expect(answer.json()).to.deep.include({ response_action: 'errors' });
    expect((await stored())?.status).to.equal('approved');
  });

  worldTest(
    'withdraws a request it cannot post to the approval channel, and tells the requester',
    async () => {
      world.slack.failNext('chat.postMessage', 'internal_error');
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      expect((await stored())?.status).to.equal('cancelled');
      expect(world.lastPrivate(CAST.employee).text).to.match(/went wrong.*nothing was reset/);
      expect(world.logs.text()).to.contain('could not post to the approval channel');
    },
  );

  worldTest('tells the requester who must fix it when the bot is not in the approval channel', async () => {
    world.slack.botAbsent.add(CAST.approvals);
    await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
    expect((await stored())?.status, 'nothing left pending').to.equal('cancelled');
    expect(world.lastPrivate(CAST.employee).text).to.match(
      /could not be posted for approval: the app cannot post in <#CAPPROVALS>.*invite @sip-reset/,
    );
    const line = world.logs
      .lines()
      .find((l) => String(l.message).startsWith('cannot post to SIP_RESET_APPROVAL_CHANNEL'));
    expect(line).to.include({ level: 'error', error: 'not_in_channel' });
  });

  worldTest(
    'puts the pending note in the DM when no ephemeral route works, and its Cancel still works',
    async () => {
      const form = world.driver.commandForm(CAST.employee, '1001', CAST.elsewhere);
      await world.driver.post(form);
      world.slack.deadResponseUrls.add(form.response_url);
      world.slack.failNext('conversations.open', 'ratelimited');
      await world.driver.submitModal(CAST.employee, { account: '1001', app: HEAD_OFFICE, reason: 'lost' });
      const note = grant();
      expect(note.text).to.match(/waiting for approval/);
      await world.driver.click(
        CAST.employee,
        { kind: 'message', channel: note.channel, ts: note.ts },
        'sip_reset_cancel',
      );
      expect((await stored())?.status).to.equal('cancelled');
    },
  );

  worldTest('lets the requester cancel a pending request', async () => {
    await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
    const pending = world.lastPrivate(CAST.employee, 'sip_reset_cancel');
    await world.driver.click(CAST.employee, { kind: 'ephemeral', id: pending.id }, 'sip_reset_cancel');
    expect(pending.text).to.match(/is cancelled/);
    expect(JSON.stringify(approvalMessage().blocks)).to.contain('Cancelled by the requester');
    expect((await stored())?.status).to.equal('cancelled');
  });

  worldTest('needs two distinct approvers for a protected account', async () => {
    await requestReset(world, CAST.employee, '9000', 'My phone lost its password <!channel>');
    await click(CAST.approver, 'sip_reset_approve');
    await click(CAST.approver, 'sip_reset_approve');
    expect(world.slack.callsTo('response_url').at(-1)?.args.text).to.match(/already approved/);
    expect((await stored())?.status).to.equal('pending');
    await click(CAST.secondApprover, 'sip_reset_approve');
    expect((await stored())?.status).to.equal('approved');
    expect(JSON.stringify(grant().blocks)).to.contain('<@UBOB>, <@UDAVE>');
  });

  worldTest('limits requests per hour with a clear message', async () => {
    for (const account of ['1001', '1002', '1003', '9000', '2001']) {
      await requestReset(world, CAST.employee, account, 'My phone lost its password <!channel>');
      const pending = world.lastPrivate(CAST.employee, 'sip_reset_cancel');
      await world.driver.click(CAST.employee, { kind: 'ephemeral', id: pending.id }, 'sip_reset_cancel');
    }
    await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
    expect(world.slack.sightings.at(-1)?.text).to.match(/too many reset requests/);
  });

  worldTest(
    '20 concurrent Approve clicks and 20 concurrent reset clicks give exactly one vendor call',
    async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      const message = approvalMessage();
      const approvers = [CAST.approver, CAST.secondApprover, CAST.helpdesk];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => click(approvers[i % 3] as string, 'sip_reset_approve', message)),
      );
      expect(
        world.slack.messages.filter((m) => m.channel === world.slack.dmOf(CAST.employee)),
      ).to.have.length(1);
      const dm = grant();
      await Promise.all(Array.from({ length: 20 }, () => claim(CAST.employee, dm)));
      expect(world.vendor.calls).to.have.length(1);
      const withPassword = world.slack.ephemerals.filter((e) =>
        findButton(e.blocks, 'sip_reset_remove_password'),
      );
      expect(withPassword).to.have.length(1);
    },
  );

  worldTest(
    'loses nothing across a restart between request and approval, and between approval and reset',
    async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      const message = approvalMessage();
      await world.restart();
      await click(CAST.approver, 'sip_reset_approve', message);
      const dm = grant();
      await world.restart();
      await claim(CAST.employee, dm);
      expect((await stored())?.status).to.equal('completed');
      expect(world.vendor.resets).to.have.length(1);
    },
  );

  worldTest(
    'expires pending requests with the clock, updating the channel and telling the requester',
    async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      const shown = approvalMessage().blocks;
      clock += 59 * MINUTE;
      await world.sipReset.sweep();
      expect((await stored())?.status).to.equal('pending');
      clock += 2 * MINUTE;
      await world.sipReset.sweep();
      expect((await stored())?.status).to.equal('expired');
      expect(JSON.stringify(approvalMessage().blocks)).to.contain('Expired');
      expect(findButton(approvalMessage().blocks, 'sip_reset_approve')).to.equal(undefined);
      expect(grant().text).to.match(/expired before anyone decided/);
      await world.sipReset.sweep();
      expect(
        world.slack.messages.filter((m) => m.channel === world.slack.dmOf(CAST.employee)),
      ).to.have.length(1);
      const stale = approvalMessage();
      await world.driver.click(
        CAST.approver,
        { kind: 'message', channel: stale.channel, ts: stale.ts, shown },
        'sip_reset_approve',
      );
      expect(world.slack.callsTo('response_url').at(-1)?.args.text).to.match(/already been decided/);
    },
  );

  worldTest('expires an unused approval, across a restart, and the button then refuses', async () => {
    await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
    await click(CAST.approver, 'sip_reset_approve');
    const dm = grant();
    const shown = dm.blocks;
    clock += 481 * MINUTE;
    await world.restart();
    expect((await stored())?.status).to.equal('expired');
    expect(JSON.stringify(world.lastMessage(CAST.employee).blocks)).to.match(/expired unused/);
    await world.driver.click(
      CAST.employee,
      { kind: 'message', channel: dm.channel, ts: dm.ts, shown },
      'sip_reset_claim',
    );
    expect(world.slack.callsTo('response_url').at(-1)?.args.text).to.match(
      /already been used or is no longer valid/,
    );
    expect(world.vendor.calls).to.have.length(0);
    expect(JSON.stringify(approvalMessage().blocks)).to.contain('Expired');
  });

  worldTest(
    'settles a reset interrupted by a crash as outcome unknown at the next start, never retried',
    async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      await click(CAST.approver, 'sip_reset_approve');
      const pending = await stored();
      await world.store.transition(pending?.id as string, ['approved'], 'resetting', clock, {
        resetStartedAt: clock,
      });
      clock += 5 * MINUTE;
      await world.restart();
      expect((await stored())?.status).to.equal('outcome_unknown');
      expect(JSON.stringify(approvalMessage().blocks)).to.match(/outcome unknown/);
      const told = world.slack.messages
        .filter((m) => m.channel === world.slack.dmOf(CAST.employee))
        .map((m) => m.text);
      expect(told.some((text) => /interrupted/.test(text))).to.equal(true);
      expect(world.vendor.calls).to.have.length(0);
    },
  );

  describe('a reset whose end the app cannot know says both cases, in the requester’s language', () => {
    /** A reset of 1001 that a killed process left in flight, settled by a later sweep. */
    async function interrupted(requesterId: string): Promise<void> {
      await world.store.createRequest({
        id: 'crashed',
        requesterId,
        account: '1001',
        appId: HEAD_OFFICE,
        reason: '',
        status: 'resetting',
        requiredApprovals: 0,
        createdAt: clock,
        expiresAt: clock + MINUTE,
      });
      clock += 5 * MINUTE;
      await world.sipReset.sweep();
      expect((await world.store.getRequest('crashed'))?.status).to.equal('outcome_unknown');
    }

    worldTest('in English: the DM and the Home tab', async () => {
      await interrupted(CAST.employee);
      const dm = world.lastMessage(CAST.employee).text;
      expect(dm).to.contain("If you received a new password for *1001*, it is the phone's password now.");
      expect(dm).to.contain('If not').and.contain('/sip-reset');
      expect(dm).not.to.match(/may or may not/);
      await world.driver.openHome(CAST.employee);
      const home = JSON.stringify(world.slack.homes.get(CAST.employee)?.view);
      expect(home).to.contain('If you received a new password for *1001*');
    });

    worldTest('in Chinese', async () => {
      await interrupted(CAST.chineseEmployee);
      const dm = world.lastMessage(CAST.chineseEmployee).text;
      expect(dm).to.contain('如果你已收到 *1001* 的新密码，请以该密码为准');
      expect(dm).to.contain('/sip-reset');
    });
  });

  worldTest('tells the approval channel about an interrupted direct reset', async () => {
    const id = 'crashed-direct';
    await world.store.createRequest({
      id,
      requesterId: CAST.helpdesk,
      account: '1001',
      appId: HEAD_OFFICE,
      reason: '',
      status: 'resetting',
      requiredApprovals: 0,
      createdAt: clock,
      expiresAt: clock + MINUTE,
    });
    clock += 5 * MINUTE;
    await world.sipReset.sweep();
    expect(approvalMessage().text).to.match(/<@UHANA>.*interrupted/);
  });

  worldTest('says so privately when the password cannot be shown after a reset', async () => {
    await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
    await click(CAST.approver, 'sip_reset_approve');
    const dm = grant();
    // The "resetting" note got through; while the vendor works, every private route dies.
    world.vendor.duringReset.push(() => {
      world.slack.failNext('response_url', 'expired_url');
      world.slack.failNext('chat.postEphemeral', 'user_not_in_channel');
    });
    await claim(CAST.employee, dm);
    expect(world.vendor.resets).to.have.length(1);
    expect(world.lastMessage(CAST.employee).text).to.equal(en.passwordUndeliverable('1001', 'Head office'));
    // Recorded as what it is: issued, never shown; final, and the account free for a new request.
    expect((await stored())?.status).to.equal('undelivered');
    const types = (await world.store.auditOf('1001', 20)).map((row) => row.type);
    expect(types).to.include.members(['password_issued', 'undelivered']);
    expect(types).not.to.include('completed');
    expect(JSON.stringify(grant().blocks)).to.contain('could not be shown');
    await world.driver.openHome(CAST.employee);
    expect(JSON.stringify(world.slack.homes.get(CAST.employee)?.view)).to.contain(
      'Slack did not confirm it showed you the new one. If you do not have it, type /sip-reset',
    );
    clock += 1;
    await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
    expect((await stored())?.status, 'a new request at once').to.equal('pending');
  });

  worldTest(
    'resets nothing when "Reset now" finds no private way back, and keeps the approval usable',
    async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      await click(CAST.approver, 'sip_reset_approve');
      const dm = grant();
      world.slack.failNext('response_url', 'expired_url');
      world.slack.failNext('chat.postEphemeral', 'user_not_in_channel');
      await claim(CAST.employee, dm);
      expect(world.vendor.calls, 'no password nobody could see').to.have.length(0);
      expect((await stored())?.status).to.equal('approved');
      expect(world.lastMessage(CAST.employee).text).to.match(/was not reset\. Your approval still stands/);

      await claim(CAST.employee, dm);
      expect(world.vendor.resets).to.have.length(1);
      expect((await stored())?.status).to.equal('completed');
    },
  );

  describe('a "Reset now" that will be refused gets the refusal alone, never "Resetting…" first', () => {
    /** Everything the employee was shown privately or in their DM from now on, in order. */
    function shownFromNow(): () => string[] {
      const since = world.slack.sightings.length;
      return () =>
        world.slack.sightings
          .slice(since)
          .filter((s) => s.to === CAST.employee || s.to === world.slack.dmOf(CAST.employee))
          .filter((s) => s.action === 'posted')
          .map((s) => s.text);
    }

    worldTest('a second press after the reset', async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      await click(CAST.approver, 'sip_reset_approve');
      const dm = grant();
      const shown = dm.blocks;
      await claim(CAST.employee, dm);
      const seen = shownFromNow();
      await world.driver.click(
        CAST.employee,
        { kind: 'message', channel: dm.channel, ts: dm.ts, shown },
        'sip_reset_claim',
      );
      expect(seen()).to.deep.equal([en.errors.not_claimable]);
      expect(world.vendor.calls).to.have.length(1);
    });

    worldTest('a press on a cancelled approval', async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      await click(CAST.approver, 'sip_reset_approve');
      const dm = grant();
      const shown = dm.blocks;
      await world.store.transition((await stored())?.id as string, ['approved'], 'cancelled', clock);
      const seen = shownFromNow();
      await world.driver.click(
        CAST.employee,
        { kind: 'message', channel: dm.channel, ts: dm.ts, shown },
        'sip_reset_claim',
      );
      expect(seen()).to.deep.equal([en.errors.not_claimable]);
      expect(world.vendor.calls).to.have.length(0);
    });

    worldTest('a press on an approval past its time, before the sweep expired it', async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      await click(CAST.approver, 'sip_reset_approve');
      const dm = grant();
      clock += 481 * MINUTE;
      const seen = shownFromNow();
      await claim(CAST.employee, dm);
      expect(seen()).to.deep.equal([en.errors.grant_expired]);
      expect((await stored())?.status).to.equal('expired');
      expect(world.vendor.calls).to.have.length(0);
    });

    worldTest('a press by someone else', async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      await click(CAST.approver, 'sip_reset_approve');
      const dm = grant();
      const since = world.slack.sightings.length;
      await claim(CAST.approver, dm);
      const toApprover = world.slack.sightings
        .slice(since)
        .filter((s) => s.to === CAST.approver && s.action === 'posted')
        .map((s) => s.text);
      expect(toApprover).to.deep.equal([en.errors.not_requester]);
    });
  });

  worldTest(
    'removes the password message with its own button, and leaves the grant DM in place',
    async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password <!channel>');
      await click(CAST.approver, 'sip_reset_approve');
      const dm = grant();
      await claim(CAST.employee, dm);
      const password = world.lastPrivate(CAST.employee, 'sip_reset_remove_password');
      expect(JSON.stringify(password.blocks)).to.contain('Slack drops it when you reload');
      await world.driver.click(
        CAST.employee,
        { kind: 'ephemeral', id: password.id },
        'sip_reset_remove_password',
      );
      expect(password.deleted).to.equal(true);
      expect(world.slack.messages.find((m) => m.ts === dm.ts)?.deleted, 'the DM stays').to.equal(false);
      expect(JSON.stringify(grant().blocks)).to.match(/was reset/);
    },
  );
});
