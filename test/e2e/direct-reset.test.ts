import { expect } from 'chai';
import { CAST } from '../../sandbox/world.js';
import { testWorld, worldTest, type TestWorld } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

describe('e2e: direct resets and private delivery', () => {
  let world: TestWorld;
  afterEach(() => world.stop());

  async function reset(
    user: string,
    account: string,
    channel: string = CAST.general,
    deadResponseUrl = false,
  ) {
    const form = world.driver.commandForm(user, account, channel);
    await world.driver.post(form);
    if (deadResponseUrl) world.slack.deadResponseUrls.add(form.response_url);
    return world.driver.submitModal(user, { account, app: HEAD_OFFICE });
  }

  describe('with the stand-ins answering normally', () => {
    beforeEach(async () => {
      world = await testWorld();
    });

    worldTest(
      'resets for a helpdesk agent (through their user group) with exactly one vendor call',
      async () => {
        const answer = await reset(CAST.helpdesk, '1001');
        expect(answer.status).to.equal(200);
        expect(answer.body).to.equal('');
        expect(world.vendor.calls).to.deep.equal([{ account: '1001', appId: HEAD_OFFICE, answered: '0' }]);
        const password = world.vendor.passwords.get(`${HEAD_OFFICE}/1001`) as string;
        const message = world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password');
        expect(message).to.include({ via: 'response_url', user: CAST.helpdesk, deleted: false });
        expect(JSON.stringify(message.blocks)).to.contain(password).and.contain('Head office');
        expect(message.text, 'the notification fallback leaves the password out').not.to.contain(password);
        expect(world.privateTo(CAST.employee)).not.to.contain(password);
        expect(world.slack.messages, 'nothing public').to.have.length(0);
        expect((await world.store.listByRequester(CAST.helpdesk, 1))[0]?.status).to.equal('completed');
      },
    );

    worldTest(
      'shows the reset under way, then the result as a new message, as a command response_url does',
      async () => {
        await reset(CAST.helpdesk, '1001');
        const seen = world.slack.sightings.filter((s) => s.to === CAST.helpdesk && s.action !== 'opened');
        expect(seen.map((s) => s.action)).to.deep.equal(['posted', 'posted']);
        expect(seen[0]?.text).to.match(/Resetting the password of \*1001\*/);
        const sent = world.slack.callsTo('response_url');
        expect(sent.map((call) => call.args.replace_original)).to.deep.equal([false, false]);
      },
    );

    worldTest('lets an owner reset their own account directly, without telling themselves', async () => {
      await reset(CAST.owner, '1002');
      expect(world.vendor.resets).to.have.length(1);
      expect(world.slack.messages).to.have.length(0);
    });

    worldTest('tells the owner, without the password, when someone else resets their account', async () => {
      await reset(CAST.helpdesk, '1002');
      const dm = world.lastMessage(CAST.owner);
      expect(dm.text).to.contain('1002').and.contain(`<@${CAST.helpdesk}>`);
    });

    worldTest(
      'promises no removal it cannot perform, and never asks a command response_url to delete',
      async () => {
        await reset(CAST.helpdesk, '1001');
        const message = world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password');
        expect(JSON.stringify(message.blocks)).to.contain('Slack drops it when you reload');
        expect(JSON.stringify(message.blocks)).not.to.match(/removed in \d+ minutes/);
        expect(
          world.slack.callsTo('response_url').filter((call) => call.args.delete_original),
        ).to.have.length(0);
      },
    );

    worldTest('removes the password message when its button is pressed', async () => {
      await reset(CAST.helpdesk, '1001');
      const message = world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password');
      await world.driver.click(
        CAST.helpdesk,
        { kind: 'ephemeral', id: message.id },
        'sip_reset_remove_password',
      );
      expect(message.deleted).to.equal(true);
    });

    worldTest('falls back to chat.postEphemeral in the channel when the response_url is dead', async () => {
      await reset(CAST.helpdesk, '1001', CAST.general, true);
      const message = world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password');
      expect(message).to.include({ via: 'chat.postEphemeral', channel: CAST.general });
      expect(JSON.stringify(message.blocks), 'it can be removed only by its button').to.contain(
        'press *I have saved it: remove* to remove it now',
      );
    });

    worldTest(
      "falls back to an ephemeral message in the app's DM when the bot is not in the channel",
      async () => {
        await reset(CAST.helpdesk, '1001', CAST.elsewhere, true);
        const message = world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password');
        expect(message).to.include({ via: 'chat.postEphemeral', channel: world.slack.dmOf(CAST.helpdesk) });
      },
    );

    worldTest('resets nothing when no private way to the requester works, and says so in a DM', async () => {
      world.slack.failNext('conversations.open', 'ratelimited');
      await reset(CAST.helpdesk, '1001', CAST.elsewhere, true);
      expect(world.vendor.calls).to.have.length(0);
      expect(world.lastMessage(CAST.helpdesk).text).to.match(/was not reset/);
      expect((await world.store.listByRequester(CAST.helpdesk, 1))[0]?.status).to.equal('cancelled');
    });

    worldTest('explains a vendor refusal privately, and marks the request failed', async () => {
      world.vendor.faults.push({ kind: 'status', status: '-24' });
      await reset(CAST.helpdesk, '1001');
      const seen = world.slack.sightings.filter((s) => s.to === CAST.helpdesk).at(-1);
      expect(seen?.text).to.match(/was not reset\. There is no such SIP account/);
      expect((await world.store.listByRequester(CAST.helpdesk, 1))[0]).to.include({
        status: 'failed',
        failureCode: 'account_not_found',
      });
      expect(world.vendor.calls).to.have.length(1);
    });

    worldTest('says plainly when the outcome is unknown, and never retries', async () => {
      world.vendor.faults.push({ kind: 'status', status: '-18' });
      await reset(CAST.helpdesk, '1001');
      const seen = world.slack.sightings.filter((s) => s.to === CAST.helpdesk).at(-1);
      expect(seen?.text).to.match(
        /did not finish cleanly.*may or may not have been reset.*Check with the helpdesk/,
      );
      expect(world.vendor.calls).to.have.length(1);
      expect((await world.store.listByRequester(CAST.helpdesk, 1))[0]?.status).to.equal('outcome_unknown');
    });

    worldTest('acts once on a replayed submission, across a restart', async () => {
      await reset(CAST.helpdesk, '1001');
      const first = world.slack.ephemerals.length;
      const replayed = await world.driver.replay();
      expect(replayed.status).to.equal(200);
      await world.restart();
      await world.driver.replay();
      expect(world.vendor.calls, 'one reset').to.have.length(1);
      expect(world.slack.ephemerals, 'and nothing more shown').to.have.length(first);
      expect(await world.store.listByRequester(CAST.helpdesk, 5)).to.have.length(1);
    });

    worldTest('points a second reset of the same account to the open request', async () => {
      await world.driver.command(CAST.employee, '', CAST.general);
      await world.driver.submitModal(CAST.employee, { account: '1001', app: HEAD_OFFICE, reason: 'lost' });
      await reset(CAST.helpdesk, '1001');
      expect(world.slack.sightings.at(-1)?.text).to.match(
        /already has an open request, so no new one was made\. It was requested by <@UALICE>/,
      );
      expect(world.vendor.calls).to.have.length(0);
    });
  });

  for (const [who, user, line] of [
    [
      'an employee',
      CAST.stranger,
      /already has an open request, so no new one was made\. Wait for it to be decided\. If you asked for it, you can cancel it on the app's Home tab; if not, the helpdesk can see who did\./,
    ],
    [
      'an employee in Chinese',
      CAST.chineseEmployee,
      /这个话机账号已有一个未完成的申请，本次没有新建申请。请等待审批结果。/,
    ],
  ] as const) {
    worldTest(`tells ${who} that a request is open and who can help, without naming who asked`, async () => {
      world = await testWorld();
      await world.driver.command(CAST.employee, '', CAST.general);
      await world.driver.submitModal(CAST.employee, { account: '1001', app: HEAD_OFFICE, reason: 'lost' });
      await world.driver.command(user, '', CAST.general);
      await world.driver.submitModal(user, { account: '1001', app: HEAD_OFFICE, reason: 'mine too' });
      const said = String(world.slack.sightings.at(-1)?.text);
      expect(said).to.match(line);
      expect(said).not.to.contain(CAST.employee);
      expect(world.vendor.calls).to.have.length(0);
    });
  }

  worldTest('reports a vendor timeout as an unknown outcome, once', async () => {
    world = await testWorld({ env: { ITNIO_TIMEOUT_MS: '200' } });
    world.vendor.faults.push({ kind: 'hang' });
    await reset(CAST.helpdesk, '1001');
    expect(world.slack.sightings.at(-1)?.text).to.match(/did not answer in time/);
    expect(world.vendor.calls).to.have.length(1);
  });

  worldTest(
    'tells a user who may not reset directly, when there is no approval channel, to ask the helpdesk',
    async () => {
      world = await testWorld({ env: { SIP_RESET_APPROVAL_CHANNEL: '' } });
      await world.driver.command(CAST.employee, '', CAST.general);
      const answer = await world.driver.submitModal(CAST.employee, {
        account: '1001',
        app: HEAD_OFFICE,
        reason: 'x',
      });
      expect(answer.body).to.equal('');
      expect(world.lastPrivate(CAST.employee).text).to.match(/Ask a helpdesk agent/);
      expect(world.vendor.calls).to.have.length(0);
    },
  );
});
