import { expect } from 'chai';
import { en } from '../../src/i18n/en.js';
import { CAST } from '../../sandbox/world.js';
import { testWorld, type TestWorld, worldTest } from '../helpers/world.js';

const HEAD_OFFICE = '4luaKsL2';

describe('e2e: the audit trail', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld();
  });
  afterEach(() => world.stop());

  worldTest(
    "records a reset of someone else's account: who did what, the route of the password, the owner told",
    async () => {
      await world.driver.command(CAST.helpdesk, '1002', CAST.general);
      await world.driver.submitModal(CAST.helpdesk, { account: '1002', app: HEAD_OFFICE });
      const rows = await world.store.auditOf('1002', 20);
      expect(rows.map((r) => r.type).sort()).to.deep.equal(
        [
          'completed',
          'owner_notified',
          'password_delivered',
          'password_issued',
          'requested',
          'reset_started',
        ].sort(),
      );
      for (const row of rows) expect(row).to.include({ account: '1002', appId: HEAD_OFFICE });
      expect(rows.find((r) => r.type === 'password_delivered')).to.include({
        actor: CAST.helpdesk,
        detail: '{"route":"response_url"}',
      });
      expect(rows.find((r) => r.type === 'owner_notified')?.detail).to.equal(`{"owner":"${CAST.owner}"}`);
      const [password] = world.vendor.issued;
      expect(JSON.stringify(rows)).not.to.contain(password);
      expect(await world.store.verifyAudit()).to.deep.equal({ ok: true, rows: 6 });

      const logged = world.logs.lines().filter((line) => String(line.message).startsWith('audit '));
      expect(logged.map((line) => line.message)).to.include('audit completed');
      expect(logged.find((line) => line.message === 'audit requested')?.audit).to.include({
        actor: CAST.helpdesk,
        account: '1002',
        appId: HEAD_OFFICE,
        type: 'requested',
      });
    },
  );

  worldTest('records the approval path with its approver', async () => {
    await world.driver.command(CAST.employee, '1003', CAST.general);
    await world.driver.submitModal(CAST.employee, { account: '1003', app: HEAD_OFFICE, reason: 'new phone' });
    const approval = world.lastMessage(CAST.approvals);
    const message = { kind: 'message', channel: approval.channel, ts: approval.ts } as const;
    await world.driver.click(CAST.approver, message, 'sip_reset_approve');
    const rows = (await world.store.auditOf('1003', 20)).reverse();
    expect(rows.map((r) => `${r.type}:${r.actor}`)).to.deep.equal([
      `requested:${CAST.employee}`,
      `approval_counted:${CAST.approver}`,
      `approved:${CAST.approver}`,
    ]);
  });
});

describe('e2e: /sip-reset history', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await testWorld();
  });
  afterEach(() => world.stop());

  worldTest(
    'shows a helpdesk agent the latest events of an account, privately, and refuses anyone else',
    async () => {
      await world.driver.command(CAST.owner, '1002', CAST.general);
      await world.driver.submitModal(CAST.owner, { account: '1002', app: HEAD_OFFICE });
      const publicBefore = world.slack.messages.length;

      await world.driver.command(CAST.helpdesk, 'history 1002', CAST.general);
      const shown = world.lastPrivate(CAST.helpdesk);
      expect(shown.via).to.equal('response_url');
      expect(shown.text).to.contain(en.history.title('1002'));
      expect(shown.text).to.contain(`<@${CAST.owner}>: ${en.history.event.requested} (direct)`);
      expect(shown.text).to.contain(`${en.history.event.password_delivered} (response_url)`);
      expect(shown.text).not.to.contain(world.vendor.issued[0]);

      await world.driver.command(CAST.employee, 'history 1002', CAST.general);
      expect(world.lastPrivate(CAST.employee).text).to.equal(en.history.refused);
      await world.driver.command(CAST.helpdesk, 'history', CAST.general);
      expect(world.lastPrivate(CAST.helpdesk).text).to.equal(en.history.usage('/sip-reset'));
      expect(world.slack.messages, 'nothing public').to.have.length(publicBefore);
      expect(world.slack.views, 'no modal for a history').to.have.length(1);
    },
  );
});
