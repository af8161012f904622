import { expect } from 'chai';
import { CAST } from '../../sandbox/world.js';
import { zhCN } from '../../src/i18n/zh-CN/index.js';
import { en } from '../../src/i18n/en/index.js';
import { testWorld, type TestWorld, worldTest } from '../helpers/world.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

describe('e2e: each person reads their own language', () => {
  let world: TestWorld | undefined;
  afterEach(() => world?.stop());

  worldTest(
    'a zh-CN requester gets modal, pending note, grant DM and password in Chinese; the English approver and the channel get English',
    async () => {
      const w = (world = await testWorld({ locales: { [CAST.employee]: 'zh-CN' } }));
      await w.driver.command(CAST.employee, '1001', CAST.general);
      const modal = w.slack.views.at(-1)?.view as { title: { text: string }; blocks: unknown[] };
      expect(modal.title.text).to.equal('重置话机密码');
      expect(JSON.stringify(modal.blocks)).to.contain('话机账号').and.contain('申请原因');

      await w.driver.submitModal(CAST.employee, {
        account: '1001',
        app: HEAD_OFFICE,
        reason: '搬工位后密码失效',
      });
      const pending = w.lastPrivate(CAST.employee, 'sip_reset_cancel');
      expect(pending.text).to.contain('等待审批').and.contain('<#CAPPROVALS>');
      expect(JSON.stringify(pending.blocks))
        .to.contain('撤回申请')
        .and.contain('^{date_short_pretty} {time}|');

      const approval = w.lastMessage(CAST.approvals);
      const shownBefore = structuredClone(approval.blocks);
      expect(JSON.stringify(approval.blocks))
        .to.contain('SIP password reset request')
        .and.contain('Requested by');
      await w.driver.click(
        CAST.approver,
        { kind: 'message', channel: approval.channel, ts: approval.ts },
        'sip_reset_approve',
      );
      expect(JSON.stringify(w.lastMessage(CAST.approvals).blocks)).to.contain('Approved by <@UBOB>');

      const grant = w.lastMessage(CAST.employee);
      expect(grant.text).to.contain('你重置 *1001* （Head office）的申请已由 <@UBOB> 批准。');
      expect(JSON.stringify(grant.blocks)).to.contain('立即重置并显示密码').and.contain('<@UBOB>');

      // The approver's own replies stay English.
      await w.driver.click(
        CAST.approver,
        { kind: 'message', channel: approval.channel, ts: approval.ts, shown: shownBefore },
        'sip_reset_approve',
      );
      expect(w.slack.callsTo('response_url').at(-1)?.args.text).to.equal(en.errors.already_decided);

      await w.driver.click(
        CAST.employee,
        { kind: 'message', channel: grant.channel, ts: grant.ts },
        'sip_reset_claim',
      );
      const password = w.lastPrivate(CAST.employee, 'sip_reset_remove_password');
      expect(password.text).to.contain('新密码已生成');
      const shown = JSON.stringify(password.blocks);
      expect(shown).to.contain('新话机密码').and.contain('已保存，删除此消息');
      expect(shown).to.contain(w.vendor.passwords.get(`${HEAD_OFFICE}/1001`));
      expect(JSON.stringify(w.lastMessage(CAST.employee).blocks)).to.contain('话机密码已于');
      expect(JSON.stringify(w.lastMessage(CAST.approvals).blocks)).to.contain('Password reset');
    },
  );

  worldTest(
    "shows a zh-CN helpdesk agent an account's history, its usage and a refusal in Chinese",
    async () => {
      const w = (world = await testWorld({ locales: { [CAST.helpdesk]: 'zh-CN' } }));
      await w.driver.command(CAST.owner, '1002', CAST.general);
      await w.driver.submitModal(CAST.owner, { account: '1002', app: HEAD_OFFICE });

      await w.driver.command(CAST.helpdesk, 'history 1002', CAST.general);
      const shown = w.lastPrivate(CAST.helpdesk).text;
      expect(shown).to.contain(zhCN.history.title('1002'));
      expect(shown).to.contain(`<@${CAST.owner}>：${zhCN.history.event.requested}`);
      expect(shown).to.contain(zhCN.history.event.password_delivered);
      await w.driver.command(CAST.helpdesk, 'history', CAST.general);
      expect(w.lastPrivate(CAST.helpdesk).text).to.equal(zhCN.history.usage('/sip-reset'));
      // Mei is no helpdesk agent: refused, in her Chinese too.
      await w.driver.command(CAST.chineseEmployee, 'history 1002', CAST.general);
      expect(w.lastPrivate(CAST.chineseEmployee).text).to.equal(zhCN.history.refused);
      // The owner's Slack is in English: his own reset was told in English.
      expect(w.lastPrivate(CAST.owner).text).not.to.match(/\p{Script=Han}/u);
    },
  );

  worldTest('answers help, refusals and field errors in Chinese to a zh-TW user', async () => {
    const w = (world = await testWorld({ locales: { [CAST.stranger]: 'zh-TW' } }));
    const help = await w.driver.command(CAST.stranger, 'help', CAST.general);
    expect(String(help.json().text)).to.contain('重置话机账号的话机密码').and.contain('/sip-reset status');
    await w.driver.command(CAST.stranger, '', CAST.general);
    const errors = await w.driver.submitModal(CAST.stranger, { account: '1', app: HEAD_OFFICE });
    expect(errors.json()).to.deep.equal({
      response_action: 'errors',
      errors: { account: '话机账号至少 4 个字符。', reason: '此次重置需要审批，请填写申请原因。' },
    });
  });

  worldTest(
    'SIP_RESET_DEFAULT_LOCALE=zh-CN: the approval channel and people of other languages read Chinese',
    async () => {
      const w = (world = await testWorld({
        env: { SIP_RESET_DEFAULT_LOCALE: 'zh-CN' },
        locales: { [CAST.employee]: 'fr-FR', [CAST.approver]: 'en-GB' },
      }));
      await w.driver.command(CAST.employee, '1001', CAST.general);
      await w.driver.submitModal(CAST.employee, { account: '1001', app: HEAD_OFFICE, reason: 'perdu' });
      expect(w.lastPrivate(CAST.employee, 'sip_reset_cancel').text).to.contain('等待审批');
      const approval = w.lastMessage(CAST.approvals);
      expect(JSON.stringify(approval.blocks)).to.contain('重置话机密码申请').and.contain('批准');
      await w.driver.click(
        CAST.approver,
        { kind: 'message', channel: approval.channel, ts: approval.ts },
        'sip_reset_deny',
      );
      const deny = w.slack.views.at(-1)?.view as { title: { text: string } };
      expect(deny.title.text).to.equal('Deny request');
    },
  );
});
