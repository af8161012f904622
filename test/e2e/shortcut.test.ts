import { expect } from 'chai';
import { CAST } from '../../sandbox/world.js';
import { testWorld, type TestWorld, worldTest } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

describe('e2e: the global shortcut "Reset a SIP password"', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld({ locales: { [CAST.employee]: 'zh-CN' } });
  });
  afterEach(() => world.stop());

  worldTest('opens the same modal, with the trigger_id it came with, in the person’s language', async () => {
    expect((await world.driver.shortcut(CAST.employee)).status).to.equal(200);
    const [open] = world.slack.callsTo('views.open');
    expect(String(open?.args.trigger_id)).to.match(/^trigger-/);
    const view = world.slack.views.at(-1)?.view as {
      callback_id: string;
      title: { text: string };
      private_metadata: string;
      blocks: Array<{ block_id: string }>;
    };
    expect(view.callback_id).to.equal('sip_reset_request');
    expect(view.title.text).to.equal('重置话机密码');
    expect(view.private_metadata).to.equal('{}');
    expect(view.blocks.map((b) => b.block_id)).to.deep.equal([undefined, 'account', 'app', 'reason']);
  });

  worldTest(
    "delivers a direct reset's password by an ephemeral message in the app's DM, the only route there is",
    async () => {
      await world.driver.shortcut(CAST.helpdesk);
      await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
      const password = world.vendor.passwords.get(`${HEAD_OFFICE}/1001`) as string;
      const message = world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password');
      expect(message).to.include({ via: 'chat.postEphemeral', channel: world.slack.dmOf(CAST.helpdesk) });
      expect(JSON.stringify(message.blocks)).to.contain(password);
      expect(world.slack.callsTo('response_url')).to.have.length(0);
    },
  );

  worldTest('tells a requester in their DM that the request waits for approval', async () => {
    await world.driver.shortcut(CAST.employee);
    await world.driver.submitModal(CAST.employee, { account: '1001', app: HEAD_OFFICE, reason: '丢了' });
    expect(world.lastMessage(CAST.approvals).text).to.contain('Reset request from <@UALICE> for 1001');
    const pending = world.lastMessage(CAST.employee);
    expect(pending.text).to.contain('等待审批');
    expect(JSON.stringify(pending.blocks)).to.contain('sip_reset_cancel');
  });
});
