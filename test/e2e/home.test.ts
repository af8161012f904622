import { expect } from 'chai';
import { findButton } from '../../sandbox/slack-driver.js';
import type { Blocks } from '../../sandbox/slack-stub.js';
import { CAST } from '../../sandbox/world.js';
import type { RequestStatus } from '../../src/domain/lifecycle.js';
import { HEAD_OFFICE, newRequest } from '../helpers/requests.js';
import { requestReset, testWorld, type TestWorld, worldTest } from '../helpers/world.js';

const MINUTE = 60_000;

describe('e2e: the App Home', () => {
  let world: TestWorld;
  let clock: number;

  beforeEach(async () => {
    clock = Date.now();
    world = await testWorld({ now: () => clock });
  });
  afterEach(() => world.stop());

  /** The person's Home tab as last published: its blocks, and all its text as one string. */
  function home(user: string): { blocks: Blocks; text: string; publishes: number } {
    const tab = world.slack.homes.get(user);
    if (!tab) throw new Error(`no Home was published for ${user}`);
    const blocks = tab.view.blocks as Blocks;
    return { blocks, text: JSON.stringify(blocks), publishes: tab.publishes };
  }

  /** Requests straight into the store, each a minute older than the one before. */
  async function seed(count: number, fields: (i: number) => { requesterId: string; status: RequestStatus }) {
    for (let i = 0; i < count; i += 1) {
      const { requesterId, status } = fields(i);
      const at = clock - (i + 1) * MINUTE;
      const id = `seed-${String(i).padStart(3, '0')}`;
      await world.store.createRequest(
        newRequest({
          id,
          requesterId,
          account: String(5000 + i),
          appId: HEAD_OFFICE,
          status: status === 'completed' ? 'resetting' : status,
          createdAt: at,
          expiresAt: clock + 60 * MINUTE,
        }),
      );
      if (status === 'completed')
        await world.store.transition(id, ['resetting'], 'completed', at, { finishedAt: at });
    }
  }

  const approvalMessage = () => world.lastMessage(CAST.approvals);

  worldTest(
    'opens the form from the Home tab\'s "Reset a SIP password", saying what it will do, and goes on by DM',
    async () => {
      await world.driver.openHome(CAST.employee);
      await world.driver.homeClick(CAST.employee, 'sip_reset_home_reset');
      const form = world.slack.views.at(-1);
      expect(form?.user).to.equal(CAST.employee);
      expect((form?.view.submit as { text: string }).text).to.equal('Send request');
      await world.driver.submitModal(CAST.employee, { account: '1001', app: HEAD_OFFICE, reason: 'Swapped' });
      expect(approvalMessage().text).to.contain('Reset request from <@UALICE> for 1001');
      // No channel and no response_url from a Home tab: the pending note comes by DM.
      expect(world.lastMessage(CAST.employee).text).to.contain('is waiting for approval');

      await world.driver.openHome(CAST.helpdesk);
      await world.driver.homeClick(CAST.helpdesk, 'sip_reset_home_reset');
      expect((world.slack.views.at(-1)?.view.submit as { text: string }).text).to.equal(
        'Reset or send request',
      );
    },
  );

  worldTest(
    'lets the requester reset from the Home tab once approved, the password shown to them alone',
    async () => {
      await world.driver.openHome(CAST.employee);
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password');
      await world.driver.click(
        CAST.approver,
        { kind: 'message', channel: approvalMessage().channel, ts: approvalMessage().ts },
        'sip_reset_approve',
      );
      const claim = findButton(home(CAST.employee).blocks, 'sip_reset_claim');
      expect(claim, 'Reset now on the Home tab').to.not.equal(undefined);
      await world.driver.homeClick(CAST.employee, 'sip_reset_claim');
      expect(world.vendor.issued).to.have.length(1);
      const password = world.lastPrivate(CAST.employee, 'sip_reset_remove_password');
      expect(JSON.stringify(password.blocks)).to.contain(world.vendor.issued[0]);
      expect(password.channel).to.equal(world.slack.dmOf(CAST.employee));
      expect(world.slack.nonPrivateText()).not.to.contain(world.vendor.issued[0]);
    },
  );

  /** The person's request 1001 was withdrawn by the app for this reason: stored, on their Home, audited. */
  async function expectWithdrawn(user: string, reason: string): Promise<void> {
    expect((await stored(user))?.status).to.equal('cancelled');
    expect(home(user).text)
      .to.contain('*1001* (Head office)')
      .and.contain('Withdrawn by sip-reset')
      .and.not.contain('Cancelled by the requester');
    const [withdrawal] = await world.store.auditOf('1001', 1);
    expect(withdrawal).to.deep.include({
      type: 'cancelled',
      actor: 'system',
      detail: JSON.stringify({ reason }),
    });
  }
  const stored = async (user: string = CAST.employee) => (await world.store.listByRequester(user, 1))[0];

  describe('a requester', () => {
    worldTest('with no request is told so plainly, and sees no queue', async () => {
      await world.driver.openHome(CAST.employee);
      const { text, blocks } = home(CAST.employee);
      expect(text).to.contain('You have not asked for a reset yet');
      expect(text).not.to.contain('Waiting for a decision');
      expect(blocks.length).to.be.at.most(100);
    });

    worldTest(
      'cancels on the pending note whose response_url Slack refuses: the Home and the channel still show it',
      async () => {
        await requestReset(world, CAST.employee, '1001', 'My phone lost its password');
        await world.driver.openHome(CAST.employee);
        const pending = world.lastPrivate(CAST.employee, 'sip_reset_cancel');
        world.slack.failNext('response_url', 'expired');
        await world.driver.click(CAST.employee, { kind: 'ephemeral', id: pending.id }, 'sip_reset_cancel');
        expect((await stored())?.status).to.equal('cancelled');
        expect(world.lastPrivate(CAST.employee).text, 'told on another route').to.match(/is cancelled/);
        expect(home(CAST.employee).text).to.contain('Cancelled by the requester');
        expect(JSON.stringify(approvalMessage().blocks)).to.contain('Cancelled by the requester');
      },
    );

    worldTest('with one request sees it pending, and cancels it from the Home tab', async () => {
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password');
      await world.driver.openHome(CAST.employee);
      expect(home(CAST.employee).text).to.contain('*1001* (Head office)').and.contain('Waiting for approval');
      const id = (await stored())?.id ?? '';

      await world.driver.homeClick(CAST.employee, 'sip_reset_cancel', id);
      expect((await stored())?.status).to.equal('cancelled');
      expect(home(CAST.employee).text).to.contain('Cancelled by the requester');
      expect(findButton(home(CAST.employee).blocks, 'sip_reset_cancel')).to.equal(undefined);
      // The decision shows in the approval channel too.
      expect(JSON.stringify(approvalMessage().blocks)).to.contain('Cancelled by the requester');
      expect(findButton(approvalMessage().blocks, 'sip_reset_approve')).to.equal(undefined);
    });

    worldTest(
      'with 250 requests sees the newest 10, within 100 blocks, and pages with Show older',
      async () => {
        await seed(250, () => ({ requesterId: CAST.employee, status: 'cancelled' }));
        await world.driver.openHome(CAST.employee);
        const first = home(CAST.employee);
        expect(first.blocks.length).to.be.at.most(100);
        expect(first.text).to.contain('*5000*').and.contain('*5009*').and.not.contain('*5010*');

        await world.driver.homeClick(CAST.employee, 'sip_reset_home_older');
        const second = home(CAST.employee);
        expect(second.text).to.contain('*5010*').and.contain('*5019*').and.not.contain('*5009*');
        expect(second.text).to.contain('11 to 20');

        await world.driver.homeClick(CAST.employee, 'sip_reset_home_newest');
        expect(home(CAST.employee).text).to.contain('*5000*');
      },
    );

    worldTest(
      "answers a forged paging button with the first pages and why, never a crash or another person's requests",
      async () => {
        await seed(30, (i) => ({ requesterId: i % 2 ? CAST.employee : CAST.owner, status: 'cancelled' }));
        await world.driver.openHome(CAST.employee);
        const first = { n: 0 };
        // A well-formed key taken from another person's request: it seeks in this person's own only.
        const theirs = (await world.store.listByRequester(CAST.owner, 1))[0];
        const key = { n: 5, at: theirs?.createdAt ?? 0, id: theirs?.id ?? '' };
        const borrowed = JSON.stringify({ mine: key, queue: key, decisions: key, resets: key });
        await world.driver.homeClick(CAST.employee, 'sip_reset_home_older', borrowed, true);
        const seen = home(CAST.employee).text;
        expect(seen).to.contain('6 to 15');
        for (const request of await world.store.listByRequester(CAST.owner, 100))
          expect(seen).not.to.contain(`*${request.account}*`);
        expect(seen, 'no queue for a requester, whatever the button says').not.to.contain(
          'Waiting for a decision',
        );

        for (const forged of [
          'x'.repeat(2000),
          JSON.stringify({ mine: 10, queue: 0, decisions: 0, resets: 0 }),
          JSON.stringify({
            mine: { n: 1, at: 'now', id: "' or 1=1 --" },
            queue: first,
            decisions: first,
            resets: first,
          }),
        ]) {
          await world.driver.homeClick(CAST.employee, 'sip_reset_home_older', forged, true);
          const answered = home(CAST.employee).text;
          expect(answered).to.contain('That page could not be found').and.contain('*5001*');
          expect(answered).not.to.contain('*5000*');
        }
        // The word of why goes with the click that earned it: the next change republishes without it.
        clock += 120 * MINUTE; // past the per-hour limit the seeded requests count against
        await requestReset(world, CAST.employee, '1001', 'My phone lost its password');
        expect(home(CAST.employee).text).to.contain('*1001*').and.not.contain('That page could not be found');
        expect(world.logs.text()).not.to.match(/unhandled|TypeError/i);
      },
    );

    worldTest('reads it in Chinese when Slack is set to Chinese', async () => {
      await requestReset(world, CAST.chineseEmployee, '1001', '新座机');
      await world.driver.openHome(CAST.chineseEmployee);
      const { text } = home(CAST.chineseEmployee);
      expect(text).to.contain('重置话机密码').and.contain('我的申请').and.contain('等待审批');
      expect(text).to.contain('撤回申请');
    });

    worldTest('opening the Messages tab publishes nothing', async () => {
      await world.driver.openHome(CAST.employee, 'messages');
      expect(world.slack.homes.has(CAST.employee)).to.equal(false);
      expect(world.slack.callsTo('views.publish')).to.have.length(0);
    });
  });

  describe('an approver', () => {
    worldTest('with an empty queue is told so', async () => {
      await world.driver.openHome(CAST.approver);
      const { text } = home(CAST.approver);
      expect(text).to.contain('No request is waiting for a decision');
      expect(text).to.contain('Nobody has approved or denied a request yet');
      expect(text).not.to.contain('Latest resets');
    });

    worldTest(
      'approves from the Home tab: the channel message shows it, and the requester gets the grant',
      async () => {
        await world.driver.openHome(CAST.approver);
        await requestReset(world, CAST.employee, '1001', 'My phone lost its password');
        // The new request reached the open Home by itself.
        expect(home(CAST.approver).text).to.contain('*1001* (Head office), asked by <@UALICE>');
        const id = (await stored())?.id ?? '';

        await world.driver.homeClick(CAST.approver, 'sip_reset_approve', id);
        expect((await stored())?.status).to.equal('approved');
        expect(JSON.stringify(approvalMessage().blocks)).to.contain('Approved by <@UBOB>');
        expect(findButton(world.lastMessage(CAST.employee).blocks, 'sip_reset_claim')).to.not.equal(
          undefined,
        );
        const after = home(CAST.approver);
        expect(findButton(after.blocks, 'sip_reset_approve')).to.equal(undefined);
        expect(after.text).to.contain('Approved by <@UBOB>');
      },
    );

    worldTest('sees a decision made in the channel on their Home tab, and the requester too', async () => {
      await world.driver.openHome(CAST.approver);
      await world.driver.openHome(CAST.employee);
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password');
      const message = approvalMessage();
      await world.driver.click(
        CAST.secondApprover,
        { kind: 'message', channel: message.channel, ts: message.ts },
        'sip_reset_deny',
      );
      await world.driver.submitModal(CAST.secondApprover, { deny_reason: 'Not your phone' });
      const approverHome = home(CAST.approver).text;
      expect(approverHome).to.contain('No request is waiting').and.contain('Denied by <@UDAVE>');
      expect(approverHome).to.contain('Not your phone');
      expect(home(CAST.employee).text).to.contain('Denied by <@UDAVE>');
    });

    worldTest(
      'denies from the Home tab through the same modal: the channel and both Homes show it',
      async () => {
        await world.driver.openHome(CAST.approver);
        await world.driver.openHome(CAST.employee);
        await requestReset(world, CAST.employee, '1001', 'My phone lost its password');
        await world.driver.homeClick(CAST.approver, 'sip_reset_deny', (await stored())?.id ?? '');
        await world.driver.submitModal(CAST.approver, { deny_reason: 'Ask <!here> first' });
        expect((await stored())?.status).to.equal('denied');
        expect(JSON.stringify(approvalMessage().blocks)).to.contain('Denied by <@UBOB>');
        expect(home(CAST.approver).text)
          .to.contain('Denied by <@UBOB>')
          .and.contain('Ask &lt;!here&gt; first');
        expect(home(CAST.employee).text).to.contain('Denied by <@UBOB>');
        expect(home(CAST.employee).text).not.to.contain('<!here>');
      },
    );

    worldTest('a click on a stale Home button is refused and the Home brought up to date', async () => {
      await world.driver.openHome(CAST.approver);
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password');
      const id = (await stored())?.id ?? '';
      const message = approvalMessage();
      await world.driver.click(
        CAST.secondApprover,
        { kind: 'message', channel: message.channel, ts: message.ts },
        'sip_reset_approve',
      );
      // Bob's Home still showed the button before the republish; a click sent from it now:
      await world.driver.homeClick(CAST.approver, 'sip_reset_approve', id, true);
      expect(JSON.stringify(world.lastMessage(CAST.approver).blocks)).to.contain('already been decided');
      expect(findButton(home(CAST.approver).blocks, 'sip_reset_approve')).to.equal(undefined);
      expect((await world.store.listApprovals(id)).map((a) => a.approverId)).to.deep.equal([
        CAST.secondApprover,
      ]);
    });

    worldTest('cannot approve their own request from the Home tab', async () => {
      await requestReset(world, CAST.approver, '1001', 'My phone lost its password');
      await world.driver.openHome(CAST.approver);
      const id = (await stored(CAST.approver))?.id ?? '';
      const { blocks, text } = home(CAST.approver);
      expect(findButton(blocks, 'sip_reset_approve', id), 'no button is offered').to.equal(undefined);
      expect(text).to.contain('Your own request: another approver decides it.');

      // Sent all the same (a crafted click): the server's own check refuses it.
      await world.driver.homeClick(CAST.approver, 'sip_reset_approve', id, true);
      expect((await stored(CAST.approver))?.status).to.equal('pending');
      expect(JSON.stringify(world.lastMessage(CAST.approver).blocks)).to.contain(
        'You cannot approve or deny your own request',
      );
      expect(findButton(approvalMessage().blocks, 'sip_reset_approve')).to.not.equal(undefined);
    });

    worldTest(
      'with 250 pending requests sees the first to expire, within 100 blocks, and pages',
      async () => {
        await seed(250, (i) => ({ requesterId: i % 2 ? CAST.employee : CAST.owner, status: 'pending' }));
        await world.driver.openHome(CAST.approver);
        const first = home(CAST.approver);
        expect(first.blocks.length).to.be.at.most(100);
        // The oldest first: it expires first.
        expect(first.text).to.contain('*5249*').and.not.contain('*5239*');
        await world.driver.homeClick(CAST.approver, 'sip_reset_home_older');
        const second = home(CAST.approver);
        expect(second.blocks.length).to.be.at.most(100);
        expect(second.text).to.contain('*5239*').and.not.contain('*5249*');
      },
    );
  });

  describe('a helpdesk agent', () => {
    worldTest('with no reset yet is told so', async () => {
      await world.driver.openHome(CAST.helpdesk);
      expect(home(CAST.helpdesk).text).to.contain('No password has been reset yet');
    });

    worldTest('sees their reset in the latest resets once it is done', async () => {
      await world.driver.openHome(CAST.helpdesk);
      await world.driver.command(CAST.helpdesk, '1001', CAST.general);
      await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
      expect(home(CAST.helpdesk).text).to.contain('*1001* (Head office), asked by <@UHANA>');
      // The password itself is only ever in the private message.
      for (const password of world.vendor.issued) expect(home(CAST.helpdesk).text).not.to.contain(password);
    });

    worldTest('with 250 resets sees the latest 10, within 100 blocks, and pages', async () => {
      await seed(250, () => ({ requesterId: CAST.employee, status: 'completed' }));
      await world.driver.openHome(CAST.helpdesk);
      const first = home(CAST.helpdesk);
      expect(first.blocks.length).to.be.at.most(100);
      expect(first.text).to.contain('*5000*').and.not.contain('*5010*');
      await world.driver.homeClick(CAST.helpdesk, 'sip_reset_home_older');
      expect(home(CAST.helpdesk).text).to.contain('*5010*').and.not.contain('*5000*');
    });
  });

  worldTest('a Home that Slack refuses is logged, and the approval it followed stands', async () => {
    await world.driver.openHome(CAST.approver);
    await requestReset(world, CAST.employee, '1001', 'My phone lost its password');
    world.slack.failNext('views.publish', 'internal_error');
    await world.driver.homeClick(CAST.approver, 'sip_reset_approve', (await stored())?.id ?? '');
    expect((await stored())?.status).to.equal('approved');
    expect(world.logs.text()).to.contain('could not publish the Home tab');
    expect(findButton(world.lastMessage(CAST.employee).blocks, 'sip_reset_claim')).to.not.equal(undefined);
  });

  worldTest(
    'a request withdrawn as the approval channel refused it shows so on its requester’s Home',
    async () => {
      await world.driver.openHome(CAST.employee);
      world.slack.failNext('chat.postMessage', 'not_in_channel');
      await requestReset(world, CAST.employee, '1001', 'My phone lost its password');
      await expectWithdrawn(CAST.employee, 'approval_channel_refused');
    },
  );

  worldTest('a direct request withdrawn for want of a private route shows so on the Home', async () => {
    await world.driver.openHome(CAST.helpdesk);
    world.slack.failNext('response_url', 'expired');
    world.slack.failNext('chat.postEphemeral', 'user_not_found');
    world.slack.failNext('chat.postEphemeral', 'user_not_found');
    world.slack.failNext('conversations.open', 'user_not_found');
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    await expectWithdrawn(CAST.helpdesk, 'no_private_route');
  });

  worldTest(
    'the sweep forgets who has not opened their Home within a day, and keeps the others',
    async () => {
      await world.driver.openHome(CAST.approver);
      clock += 12 * 60 * MINUTE;
      await world.driver.openHome(CAST.employee);
      clock += 12 * 60 * MINUTE + 1;
      await world.sipReset.sweep();
      expect(await world.store.slackStore().homeViewersSince(0, 10)).to.deep.equal([CAST.employee]);
    },
  );

  worldTest('Slack checks the request URL (url_verification) and gets its challenge back', async () => {
    const answer = await world.driver.postRaw(
      JSON.stringify({ token: 'unused', challenge: 'c-123', type: 'url_verification' }),
      'application/json',
    );
    expect(answer.status).to.equal(200);
    expect(answer.body).to.contain('c-123');
    const broken = await world.driver.postRaw(
      JSON.stringify({ type: 'event_callback', event: { type: 'app_home_opened', user: null, tab: 'home' } }),
      'application/json',
    );
    expect(broken.status).to.equal(400);
  });

  worldTest('works the same in Socket Mode: the event comes as an events_api envelope', async () => {
    const socket = await testWorld({ mode: 'socket', now: () => clock });
    await socket.driver.command(CAST.employee, '1001', CAST.general);
    await socket.driver.submitModal(CAST.employee, {
      account: '1001',
      app: HEAD_OFFICE,
      reason: 'Moved desk',
    });
    await socket.driver.openHome(CAST.approver);
    const tab = socket.slack.homes.get(CAST.approver);
    expect(JSON.stringify(tab?.view.blocks)).to.contain('*1001* (Head office)');
    const id = (await socket.store.listByRequester(CAST.employee, 1))[0]?.id ?? '';
    await socket.driver.homeClick(CAST.approver, 'sip_reset_approve', id);
    expect((await socket.store.getRequest(id))?.status).to.equal('approved');
  });
});
