import { expect } from 'chai';
import { en } from '../../src/i18n/en/index.js';
import { zhCN } from '../../src/i18n/zh-CN/index.js';
import { CAST } from '../../sandbox/world.js';
import { until } from '../helpers/until.js';
import { testWorld, worldTest, type TestWorld } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

describe('e2e: a graceful stop', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld();
  });
  afterEach(() => world.stop());

  worldTest('refuses each kind of new request kindly, and lets the reset in flight deliver', async () => {
    // A request waiting for approval, whose Approve button is clicked during the stop.
    await world.driver.command(CAST.employee, '1002', CAST.general);
    await world.driver.submitModal(CAST.employee, { account: '1002', app: HEAD_OFFICE, reason: 'new phone' });
    const approval = world.lastMessage(CAST.approvals);
    // A direct reset, held at the vendor when the stop begins.
    const held = world.vendor.hold();
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    const inFlight = world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    await held.arrived;

    const stopped = world.sipReset.stop();
    expect(world.sipReset.inFlight()).to.equal(1);
    const health = await fetch(`http://127.0.0.1:${world.sipReset.port()}/healthz`);
    expect(health.status).to.equal(503);

    const command = await world.driver.command(CAST.helpdesk, '1003', CAST.general);
    expect(command.json()).to.deep.equal({ response_type: 'ephemeral', text: en.restarting.command });

    const submission = await world.driver.submitModal(CAST.helpdesk, { account: '1003', app: HEAD_OFFICE });
    expect(submission.json(), 'the modal stays open with what was typed').to.deep.equal({
      response_action: 'errors',
      errors: { account: en.restarting.submission },
    });

    const clicked = await world.driver.click(
      CAST.approver,
      { kind: 'message', channel: approval.channel, ts: approval.ts },
      'sip_reset_approve',
    );
    expect(clicked.status).to.equal(200);
    expect(world.lastPrivate(CAST.approver).text).to.equal(en.restarting.click);
    expect((await world.store.listByRequester(CAST.employee, 1))[0]?.status, 'not approved').to.equal(
      'pending',
    );

    held.release();
    await Promise.all([inFlight, stopped]);
    expect(world.sipReset.inFlight()).to.equal(0);
    const password = world.vendor.passwords.get(`${HEAD_OFFICE}/1001`) as string;
    expect(JSON.stringify(world.lastPrivate(CAST.helpdesk, 'sip_reset_remove_password').blocks)).to.contain(
      password,
    );
    expect((await world.store.listByRequester(CAST.helpdesk, 1))[0]?.status).to.equal('completed');
    expect(world.vendor.calls, 'nothing new reached the vendor').to.have.length(1);
    expect(world.slack.views, 'no modal opened during the stop').to.have.length(2);
  });

  worldTest('tells one who clicks on the Home tab during the stop, by DM in their language', async () => {
    await world.driver.command(CAST.chineseEmployee, '1002', CAST.general);
    await world.driver.submitModal(CAST.chineseEmployee, {
      account: '1002',
      app: HEAD_OFFICE,
      reason: '新座机',
    });
    await world.driver.openHome(CAST.chineseEmployee);
    const id = (await world.store.listByRequester(CAST.chineseEmployee, 1))[0]?.id ?? '';
    // A direct reset held at the vendor keeps the app stopping while the Home is clicked.
    const held = world.vendor.hold();
    await world.driver.command(CAST.helpdesk, '1001', CAST.general);
    const inFlight = world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
    await held.arrived;
    const stopped = world.sipReset.stop();

    const clicked = await world.driver.homeClick(CAST.chineseEmployee, 'sip_reset_cancel', id);
    expect(clicked.status).to.equal(200);
    // The click is acknowledged before the DM is sent.
    const dm = () => world.slack.messages.filter((m) => m.text === zhCN.restarting.click);
    await until(() => dm().length > 0, 'the DM saying the app restarts');
    expect(world.lastMessage(CAST.chineseEmployee).text).to.equal(zhCN.restarting.click);
    expect((await world.store.listByRequester(CAST.chineseEmployee, 1))[0]?.status, 'not cancelled').to.equal(
      'pending',
    );

    held.release();
    await Promise.all([inFlight, stopped]);
  });
});
