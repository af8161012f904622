import { expect } from 'chai';
import type { Button, HomeView, KnownBlock, ModalView } from '@slack/types';
import { blocksProblem, type Blocks } from '../../sandbox/slack-stub.js';
import { findButton } from '../../sandbox/slack-driver.js';
import { formOutlook, type PolicyConfig } from '../../src/domain/policy.js';
import { DomainError, type DomainErrorCode } from '../../src/domain/errors.js';
import { REQUEST_STATUSES } from '../../src/domain/lifecycle.js';
import type { Approval, ResetRequest } from '../../src/domain/request.js';
import type { HomeContents, Page } from '../../src/domain/use-cases/queries.js';
import { LOCALES, catalogueFor, type Texts } from '../../src/i18n/index.js';
import { slackDate } from '../../src/slack/blocks/format.js';
import { historyText } from '../../src/slack/blocks/history.js';
import { FIRST_PAGES, homeView } from '../../src/slack/blocks/home-view.js';
import {
  approvalMessage,
  grantMessage,
  passwordMessage,
  pendingNotice,
  statusMessage,
  type SlackMessage,
} from '../../src/slack/blocks/requests.js';
import { denyReasonModal, resetModal } from '../../src/slack/blocks/modals.js';
import { refusalText } from '../../src/slack/blocks/refusals.js';
import { storedRequest, T0 } from '../helpers/requests.js';

/** Issue 20, "The people in Slack": each point, on the Block Kit the builders make, in both languages. */

const en = catalogueFor('en');
const zh = catalogueFor('zh-CN');
const HOUR = 3_600_000;
const apps = [{ label: 'Head office', appId: 'app1' }];
const appLabel = () => 'Head office';
const page = <T>(items: T[]): Page<T> => ({ items, position: 0, more: false });
const json = (value: unknown) => JSON.stringify(value);
const pending = (changes: Partial<ResetRequest> = {}) =>
  storedRequest({ requesterId: 'UALICE', account: '1001', reason: 'Desk phone', ...changes });

/** Every button of some blocks, sections' accessories included. */
function buttons(blocks: readonly unknown[] | undefined): Button[] {
  const found: Button[] = [];
  for (const block of (blocks ?? []) as Array<Record<string, unknown>>) {
    for (const element of [
      ...((block.elements as unknown[] | undefined) ?? []),
      ...(block.accessory ? [block.accessory] : []),
    ] as Array<{ type?: string }>)
      if (element.type === 'button') found.push(element as Button);
  }
  return found;
}
const buttonOf = (blocks: readonly unknown[] | undefined, actionId: string) =>
  buttons(blocks).find((b) => b.action_id === actionId);

const policy = (changes: Partial<PolicyConfig> = {}): PolicyConfig => ({
  helpdesk: ['SHELP'],
  approvers: ['SAPPROVERS'],
  owners: { UCAROL: ['1002'] },
  protectedAccounts: [],
  protectedApprovals: 2,
  ...changes,
});
const person = (userId: string, groupIds: string[] = []) => ({ userId, groupIds });

function approval(
  t: Texts,
  request: ResetRequest,
  extra: Partial<Parameters<typeof approvalMessage>[1]> = {},
) {
  return approvalMessage(t, {
    request,
    appLabel: 'Head office',
    approvals: [],
    protectedAccount: false,
    owners: ['UCAROL'],
    approvers: ['SAPPROVERS'],
    grantTtlMinutes: 480,
    ...extra,
  });
}

describe('issue 20: the people in Slack', () => {
  describe('1. the form says, before the click, what submitting does for this person', () => {
    it('knows it for the helpdesk, for a prefilled account, and says both outcomes otherwise', () => {
      const p = policy();
      expect(formOutlook(person('UHANA', ['SHELP']), undefined, p, true)).to.equal('direct');
      expect(formOutlook(person('UCAROL'), '1002', p, true)).to.equal('direct');
      expect(formOutlook(person('UALICE'), '1003', p, true)).to.equal('approval');
      expect(formOutlook(person('UALICE'), undefined, p, true)).to.equal('approval');
      // The prefilled account can still be changed, and the picker offers Carol's own phones
      // first: picking 1002 resets at once, so the form must not say that nothing is reset.
      expect(formOutlook(person('UCAROL'), '1003', p, true)).to.equal('either');
      // An owner, or the helpdesk where some accounts are protected: it depends on the account typed.
      expect(formOutlook(person('UCAROL'), undefined, p, true)).to.equal('either');
      const guarded = policy({ protectedAccounts: ['9*'] });
      expect(formOutlook(person('UHANA', ['SHELP']), undefined, guarded, true)).to.equal('either');
      // 9000 needs approval, but Hana could put 1003 instead and reset it at once.
      expect(formOutlook(person('UHANA', ['SHELP']), '9000', guarded, true)).to.equal('either');
      expect(formOutlook(person('UHANA', ['SHELP']), '1003', guarded, true)).to.equal('direct');
    });

    for (const locale of LOCALES) {
      it(`${locale}: names the submit button after it, within Slack's 24 characters`, () => {
        const t = catalogueFor(locale);
        for (const outlook of ['direct', 'approval', 'either'] as const) {
          const view = resetModal(t, { apps, metadata: {}, outlook });
          expect(view.submit?.text).to.equal(t.modalSubmit[outlook]);
          expect(view.submit?.text.length).to.be.at.most(24);
          const intro = view.blocks[0] as { type: string; text: { text: string } };
          expect(intro.type).to.equal('section');
          expect(intro.text.text).to.equal(t.modalOutlook[outlook]);
          // The intro names the button it speaks of.
          expect(intro.text.text).to.contain(`*${t.modalSubmit[outlook]}*`);
        }
      });
    }

    it('says the old password dies on a direct reset, and that nothing is reset before approval', () => {
      expect(en.modalSubmit).to.deep.include({ direct: 'Reset password now', approval: 'Send request' });
      expect(zh.modalSubmit).to.deep.include({ direct: '立即重置密码', approval: '提交申请' });
      expect(en.modalOutlook.direct).to.contain('the old password stops working straight away');
      expect(en.modalOutlook.approval).to.contain('Nothing is reset until one approves');
      expect(en.modalOutlook.either).to.contain('If you own this phone, or are on the helpdesk');
      expect(zh.modalOutlook.direct).to.contain('旧密码立即失效');
    });
  });

  describe('2. a confirmation dialog before a click that kills a password', () => {
    const approved = pending({ status: 'approved', grantExpiresAt: T0 + 8 * HOUR, decidedBy: 'UBOB' });

    for (const locale of LOCALES) {
      const t = catalogueFor(locale);
      it(`${locale}: "Reset now and show password" in the grant DM and on the Home tab`, () => {
        const dm = grantMessage(t, { request: approved, appLabel: 'Head office', approvedBy: ['UBOB'] });
        const home = homeView(
          t,
          { viewerId: 'UALICE', mine: page([approved]) },
          { appLabel, paging: FIRST_PAGES },
        );
        for (const blocks of [dm.blocks, home.blocks]) {
          const claim = buttonOf(blocks, 'sip_reset_claim');
          expect(claim?.confirm?.text.text).to.equal(t.confirm.claim('1001', 'Head office'));
          expect(claim?.confirm?.confirm?.text).to.equal(t.confirm.claimButton);
          expect(blocksProblem(blocks as unknown as Blocks, 100)).to.equal(undefined);
        }
      });

      it(`${locale}: Approve on a protected account, and only there`, () => {
        const guarded = approval(t, pending({ account: '9000', requiredApprovals: 2 }), {
          protectedAccount: true,
        });
        expect(buttonOf(guarded.blocks, 'sip_reset_approve')?.confirm?.text.text).to.equal(
          t.confirm.approve('9000', 'Head office'),
        );
        const queue = homeView(
          t,
          {
            viewerId: 'UBOB',
            mine: page([]),
            queue: page([{ request: pending({ account: '9000' }), approvals: [] }]),
          },
          { appLabel, paging: FIRST_PAGES, protectedAccount: (account) => account.startsWith('9') },
        );
        expect(buttonOf(queue.blocks, 'sip_reset_approve')?.confirm).to.not.equal(undefined);
        expect(buttonOf(approval(t, pending()).blocks, 'sip_reset_approve')?.confirm).to.equal(undefined);
      });
    }

    it('names the account and says the old password stops working at once', () => {
      expect(en.confirm.claim('1001', 'Head office'))
        .to.contain('1001')
        .and.contain('the old one stops working at once');
      expect(en.confirm.approve('9000', 'Head office'))
        .to.contain('9000')
        .and.contain('stops working at once');
      expect(zh.confirm.claim('1001', '总部')).to.contain('1001').and.contain('旧密码立即失效');
      expect(zh.confirm.approve('9000', '总部')).to.contain('9000').and.contain('旧密码会立即失效');
    });

    it('the Slack stand-in refuses a dialog Slack would refuse', () => {
      const withConfirm = (confirm: unknown) => [
        {
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: 'Go' }, confirm }],
        },
      ];
      const plain = (text: string) => ({ type: 'plain_text', text });
      const good = { title: plain('T'), text: plain('x'), confirm: plain('Yes'), deny: plain('No') };
      expect(blocksProblem(withConfirm(good), 50)).to.equal(undefined);
      expect(blocksProblem(withConfirm({ ...good, deny: undefined }), 50)).to.match(/confirm/);
      expect(blocksProblem(withConfirm({ ...good, confirm: plain('y'.repeat(31)) }), 50)).to.match(/confirm/);
      expect(blocksProblem(withConfirm({ ...good, text: plain('y'.repeat(301)) }), 50)).to.match(/confirm/);
      expect(blocksProblem(withConfirm({ ...good, title: plain('y'.repeat(101)) }), 50)).to.match(/confirm/);
    });
  });

  describe('3. the approval message shows what an approver needs', () => {
    it('whose phone, who asks, why, which application, what Approve does and when it expires', () => {
      const message = approval(en, pending());
      const text = json(message.blocks);
      expect(text)
        .to.contain('*Owner*\\n<@UCAROL>')
        .and.contain('*Requested by*\\n<@UALICE>')
        .and.contain('Desk phone')
        .and.contain('*Voice application*\\nHead office')
        .and.contain(`*Expires*\\n${slackDate(T0 + HOUR, en.dateFormat)}`);
      expect(text).to.contain(
        'Approve sends <@UALICE> a button to reset the password at the phone, valid for 8 hours.',
      );
      expect(json(approval(zh, pending()).blocks)).to.contain(
        '批准后，<@UALICE> 会收到一个按钮，可在话机旁重置密码，8 小时内有效。',
      );
    });

    it('after approval, shows the deadline that now applies instead of the old expiry', () => {
      const message = approval(
        en,
        pending({ status: 'approved', decidedBy: 'UBOB', decidedAt: T0, grantExpiresAt: T0 + 8 * HOUR }),
        { approvals: [{ requestId: 'req-1', approverId: 'UBOB', at: T0 }] },
      );
      const text = json(message.blocks);
      expect(text).to.contain(`*Reset possible until*\\n${slackDate(T0 + 8 * HOUR, en.dateFormat)}`);
      expect(text)
        .not.to.contain('*Expires*')
        .and.not.to.contain(slackDate(T0 + HOUR, en.dateFormat));
      expect(text).to.contain(
        `The requester can reset the password until ${slackDate(T0 + 8 * HOUR, en.dateFormat)}`,
      );
    });
  });

  describe('4. who can approve, and a Deny that is not "danger"', () => {
    it('names the approvers (a user group by its mention) in the first post', () => {
      expect(json(approval(en, pending()).blocks)).to.contain('Who can approve: <!subteam^SAPPROVERS>.');
      expect(json(approval(zh, pending()).blocks)).to.contain('审批人：<!subteam^SAPPROVERS>。');
    });

    it('styles Deny like any other button, in the channel and on the Home tab', () => {
      const channel = approval(en, pending());
      const home = homeView(
        en,
        { viewerId: 'UBOB', mine: page([]), queue: page([{ request: pending(), approvals: [] }]) },
        { appLabel, paging: FIRST_PAGES },
      );
      for (const blocks of [channel.blocks, home.blocks]) {
        expect(buttonOf(blocks, 'sip_reset_deny')?.style).to.equal(undefined);
        expect(buttons(blocks).some((b) => b.style === 'danger')).to.equal(false);
      }
    });
  });

  describe('5. the top-level text says what the blocks say', () => {
    it('the approval message: requester, account, reason, deadline, what Approve does; then the outcome', () => {
      const waiting = approval(en, pending());
      expect(waiting.text)
        .to.contain('<@UALICE>')
        .and.contain('1001')
        .and.contain('Desk phone')
        .and.contain(slackDate(T0 + HOUR, en.dateFormat))
        .and.contain('Approve sends <@UALICE> a button');
      const approved = approval(
        en,
        pending({ status: 'approved', decidedBy: 'UBOB', decidedAt: T0, grantExpiresAt: T0 + 8 * HOUR }),
      );
      expect(approved.text).not.to.equal(waiting.text);
      expect(approved.text)
        .to.contain('Approved by <@UBOB>')
        .and.contain(slackDate(T0 + 8 * HOUR, en.dateFormat));
    });

    it('the grant DM: who approved, the deadline and the warning', () => {
      const dm = grantMessage(en, {
        request: pending({ status: 'approved', grantExpiresAt: T0 + 8 * HOUR }),
        appLabel: 'Head office',
        approvedBy: ['UBOB'],
      });
      expect(dm.text)
        .to.contain('<@UBOB>')
        .and.contain('the old password stops working at once')
        .and.contain(slackDate(T0 + 8 * HOUR, en.dateFormat));
    });

    it('the password message: never the password, but where it is and that the old one is dead', () => {
      for (const t of [en, zh]) {
        const message = passwordMessage(t, {
          account: '1001',
          appLabel: 'Head office',
          password: 'Zi6CsOka',
        });
        expect(message.text).not.to.contain('Zi6CsOka');
        expect(message.text).to.equal(t.passwordReadyText('1001', 'Head office'));
      }
      expect(en.passwordReadyText('1001', 'A'))
        .to.contain('read its code block')
        .and.contain('no longer works');
    });

    it('the pending note', () => {
      const note = pendingNotice(en, {
        request: pending(),
        appLabel: 'Head office',
        approvalChannel: 'CAPPROVALS',
      });
      expect(note.text)
        .to.contain('1001')
        .and.contain(slackDate(T0 + HOUR, en.dateFormat));
    });
  });

  describe('6. buttons repeated in a list name their request for screen readers', () => {
    for (const locale of LOCALES) {
      it(`${locale}: Approve, Deny and Cancel on the Home tab`, () => {
        const t = catalogueFor(locale);
        const view = homeView(
          t,
          {
            viewerId: 'UBOB',
            mine: page([pending({ id: 'mine', requesterId: 'UBOB', account: '2002' })]),
            queue: page([{ request: pending(), approvals: [] }]),
          },
          { appLabel, paging: FIRST_PAGES },
        );
        expect(buttonOf(view.blocks, 'sip_reset_approve')?.accessibility_label).to.equal(
          t.accessibility.approve('1001', 'Head office'),
        );
        expect(buttonOf(view.blocks, 'sip_reset_deny')?.accessibility_label).to.equal(
          t.accessibility.deny('1001', 'Head office'),
        );
        expect(buttonOf(view.blocks, 'sip_reset_cancel')?.accessibility_label).to.equal(
          t.accessibility.cancel('2002', 'Head office'),
        );
        for (const b of buttons(view.blocks)) expect((b.accessibility_label ?? '').length).to.be.at.most(75);
      });
    }

    it('as "Approve reset of 1001 (Head office)", cut within 75 characters for a long label', () => {
      expect(en.accessibility.approve('1001', 'Head office')).to.equal('Approve reset of 1001 (Head office)');
      const long = homeView(
        en,
        {
          viewerId: 'UBOB',
          mine: page([]),
          queue: page([{ request: pending({ account: 'x'.repeat(32) }), approvals: [] }]),
        },
        { appLabel: () => 'y'.repeat(80), paging: FIRST_PAGES },
      );
      expect(buttonOf(long.blocks, 'sip_reset_approve')?.accessibility_label?.length).to.equal(75);
      expect(blocksProblem(long.blocks as unknown as Blocks, 100)).to.equal(undefined);
      const tooLong = [
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'A' }, accessibility_label: 'z'.repeat(76) },
          ],
        },
      ];
      expect(blocksProblem(tooLong, 50)).to.match(/accessibility_label/);
    });
  });

  describe('7. no directional or sensory words: buttons are named', () => {
    const DIRECTIONAL = /\b(below|above|underneath|beneath)\b|the button\b|下面|下方|上方|上面|下列/i;
    for (const locale of LOCALES) {
      it(`${locale}: no text points to a place`, () => {
        for (const [path, text] of catalogueTexts(catalogueFor(locale), () => 'X'))
          expect(text, path).not.to.match(DIRECTIONAL);
      });

      it(`${locale}: a text that tells to press a button names it exactly`, () => {
        const t = catalogueFor(locale);
        expect(t.grantBody('1', 'A', 'B', 'D')).to.contain(`*${t.grantButton}*`);
        expect(t.passwordFooter).to.contain(`*${t.passwordRemoveButton}*`);
        expect(t.home.approved('D')).to.contain(`*${t.grantButton}*`);
        expect(t.statusOpen.approved('D')).to.contain(`*${t.grantButton}*`);
        expect(t.unreachableGrant('1', 'A')).to.contain(`*${t.grantButton}*`);
        expect(t.home.intro('/sip-reset')).to.contain(`*${t.home.resetButton}*`);
      });
    }
  });

  describe('8. Chinese reads full-width punctuation', () => {
    it('no half-width : , ( ) in any Chinese message the app can send, outside code, mentions, dates and accounts', () => {
      const sent = everythingSentIn(zh);
      expect(sent.length, 'every builder and text was drawn').to.be.above(400);
      expect(halfWidth(sent)).to.deep.equal([]);
      // The same drawing in English finds plenty: the check looks where it should.
      expect(halfWidth(everythingSentIn(en)).length).to.be.above(100);
    });

    it('lists names with 、 and separates the Chinese sentences with nothing', () => {
      expect(zh.listSeparator).to.equal('、');
      expect(zh.sentenceSeparator).to.equal('');
      const message = approval(zh, pending({ requiredApprovals: 2 }), {
        approvals: [
          { requestId: 'req-1', approverId: 'UBOB', at: T0 },
          { requestId: 'req-1', approverId: 'UDAVE', at: T0 },
        ] satisfies Approval[],
      });
      expect(json(message.blocks)).to.contain('<@UBOB>、<@UDAVE>');
    });

    it('the check finds a half-width comma or colon where one was joined in code', () => {
      const sample = 'xx，yy: zz <@U1> `a, b` :warning:';
      const words = sample
        .replace(/`[^`]*`/g, '')
        .replace(/<[^>]*>/g, '')
        .replace(/:[a-z0-9_+-]+:/g, '');
      expect(words.match(/[:,()]/g)).to.deep.equal([':']);
    });
  });

  describe('9. no raw codes in front of a person', () => {
    const codes = ['account_not_found', 'no_private_route', 'timeout', 'database_failed', 'interrupted'];
    it('the approval channel and the history say why in words', () => {
      for (const t of [en, zh]) {
        for (const failureCode of codes) {
          const failed = approval(t, pending({ status: 'failed', failureCode, finishedAt: T0 }));
          const withdrawn = approval(t, pending({ status: 'cancelled', failureCode, updatedAt: T0 }));
          for (const message of [failed, withdrawn]) {
            expect(json(message.blocks)).not.to.contain(failureCode);
            expect(message.text).not.to.contain(failureCode);
          }
        }
        const history = historyText(t, '1003', [
          {
            seq: 1,
            requestId: 'r',
            at: T0,
            type: 'failed',
            actor: 'UHANA',
            detail: '{"failureCode":"timeout"}',
          },
          {
            seq: 2,
            requestId: 'r',
            at: T0,
            type: 'cancelled',
            actor: 'system',
            detail: '{"reason":"no_private_route"}',
          },
          {
            seq: 3,
            requestId: 'r',
            at: T0,
            type: 'password_delivered',
            actor: 'UHANA',
            detail: '{"route":"response_url","timedOut":"ephemeral"}',
          },
        ] as never);
        expect(history).not.to.match(/timeout|no_private_route|response_url|ephemeral/);
        expect(history).to.contain(t.failureReasons.timeout).and.contain(t.failureReasons.no_private_route);
      }
    });

    it('an unknown code reads as an unexpected error, not as itself', () => {
      const failed = approval(
        en,
        pending({ status: 'failed', failureCode: 'brand_new_code', finishedAt: T0 }),
      );
      expect(json(failed.blocks)).to.contain(en.failureReasonOther).and.not.contain('brand_new_code');
    });
  });

  describe('10. 审批 is the process, 批准 the approval granted', () => {
    it('uses 批准 for the approval a requester holds', () => {
      for (const text of [
        zh.unreachableGrant('1001', '总部'),
        zh.errors.grant_expired,
        zh.errors.not_claimable,
        zh.grantExpired('1001', '总部'),
        zh.grantUnusable('1001', '总部'),
        zh.approvalFields.approvals,
      ]) {
        expect(text).to.contain('批准');
        expect(text).not.to.contain('审批');
      }
      expect(zh.approvalFields.approvers).to.equal('审批人');
      expect(zh.home.queue).to.equal('待审批的申请');
    });
  });

  describe('11. every refusal says what to do next, to the person reading it', () => {
    it('a requester is told to contact the helpdesk, never to check a variable', () => {
      for (const t of [en, zh]) {
        for (const [code, text] of Object.entries(t.vendorFailures)) {
          expect(text, code).not.to.match(/ITNIO_[A-Z_]+/);
          expect(text, code).to.match(/helpdesk|服务台|try again|重试|再试/i);
        }
      }
      expect(en.vendorFailures.parameter_error).to.contain('Check the account number');
      expect(zh.vendorFailures.parameter_error).to.contain('请核对账号');
    });

    it('an open request says to wait or ask its requester to cancel it', () => {
      const open = new DomainError('open_request_exists', pending());
      expect(refusalText(en, open)).to.contain('wait for it to be decided, or ask them to cancel it');
      expect(refusalText(zh, open)).to.contain('请等待审批结果，或请申请人撤回');
      expect(refusalText(en, new DomainError('open_request_exists'))).to.contain('Wait for it to be decided');
    });
  });

  describe('12. the reason field and the account field', () => {
    for (const locale of LOCALES) {
      it(`${locale}: says who may leave the reason empty; the account takes at most 32 characters`, () => {
        const t = catalogueFor(locale);
        const view = resetModal(t, { apps, metadata: {}, outlook: 'approval' });
        const input = (id: string) =>
          view.blocks.find((b) => b.block_id === id) as unknown as {
            label: { text: string };
            element: { max_length: number };
          };
        expect(input('account').element.max_length).to.equal(32);
        expect(input('reason').label.text).to.equal(t.reasonLabel);
      });
    }
    it('in the words the issue asks for', () => {
      expect(en.reasonLabel).to.equal("Reason (not needed for the helpdesk or the account's owner)");
      expect(zh.reasonLabel).to.contain('服务台').and.contain('可不填');
    });
  });

  describe('13. the Home tab', () => {
    it('has a "Reset a SIP password" button that opens the form', () => {
      for (const t of [en, zh]) {
        const view = homeView(t, { viewerId: 'UALICE', mine: page([]) }, { appLabel, paging: FIRST_PAGES });
        const open = findButton(view.blocks as unknown as Blocks, 'sip_reset_home_reset');
        expect(open?.text).to.equal(t.home.resetButton);
      }
    });

    it('puts the queue first for approvers, and their own requests first for anyone else', () => {
      const headers = (view: HomeView) =>
        (view.blocks as KnownBlock[])
          .filter((b) => b.type === 'header')
          .map((b) => (b as { text: { text: string } }).text.text);
      const approver = homeView(
        en,
        { viewerId: 'UBOB', mine: page([]), queue: page([]), decisions: page([]) },
        { appLabel, paging: FIRST_PAGES },
      );
      expect(headers(approver).slice(1, 3)).to.deep.equal([en.home.queue, en.home.mine]);
      const requester = homeView(
        en,
        { viewerId: 'UALICE', mine: page([]) },
        { appLabel, paging: FIRST_PAGES },
      );
      expect(headers(requester).slice(1)).to.deep.equal([en.home.mine]);
    });

    it('points to the shortcut as Slack shows it now, named in the reader’s language beside its English name', () => {
      expect(en.home.intro('/sip-reset')).to.contain('*Reset a SIP password*').and.contain('the `/` button');
      expect(en.home.intro('/sip-reset')).not.to.contain('⚡');
      expect(zh.home.intro('/sip-reset'))
        .to.contain('“Reset a SIP password”（重置话机密码）')
        .and.contain('`/` 按钮');
    });
  });
});

/** Where a text shows a half-width `:`, `,`, `(` or `)` outside code, mentions, dates and emoji. */
function halfWidth(sent: Array<[string, string]>): string[] {
  const found: string[] = [];
  for (const [where, text] of sent) {
    const words = text
      .replace(/```[\s\S]*?```|`[^`]*`/g, '') // code
      .replace(/<[^>]*>/g, '') // mentions, channels, user groups and dates
      .replace(/:[a-z0-9_+-]+:/g, '') // emoji
      .replace(/\{date_short_pretty\}|\{time\}/g, '');
    if (/[:,()]/.test(words)) found.push(`${where}: ${text}`);
  }
  return found;
}

/** Each text of a catalogue by its path, its functions called with `arg` for every argument. */
function catalogueTexts(catalogue: unknown, arg: (i: number) => string, path = ''): Array<[string, string]> {
  if (typeof catalogue === 'string') return [[path, catalogue]];
  if (typeof catalogue === 'function') {
    const args = Array.from({ length: catalogue.length }, (_, i) => arg(i));
    return [[`${path}()`, String((catalogue as (...a: string[]) => unknown)(...args))]];
  }
  if (typeof catalogue === 'object' && catalogue !== null)
    return Object.entries(catalogue).flatMap(([key, value]) =>
      catalogueTexts(value, arg, path ? `${path}.${key}` : key),
    );
  return [];
}

/** Every string a Slack payload shows: texts, labels, a dialog's words, and a message's `text`. */
function shownStrings(value: unknown, where: string): Array<[string, string]> {
  if (typeof value === 'string') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => shownStrings(item, `${where}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]): Array<[string, string]> =>
    typeof inner === 'string' && ['text', 'accessibility_label', 'initial_value'].includes(key)
      ? [[`${where}.${key}`, inner]]
      : shownStrings(inner, `${where}.${key}`),
  );
}

/**
 * What the app can send in this language: every catalogue text (sample values in its placeholders:
 * a mention, which the check leaves out as it does any mention) and every builder's output in each
 * state, with sample data.
 */
function everythingSentIn(t: Texts): Array<[string, string]> {
  const out: Array<[string, string]> = catalogueTexts(t, () => '<@USAMPLE>');
  const add = (where: string, message: SlackMessage | ModalView | HomeView) =>
    out.push(...shownStrings(message, where));
  const app = '总部';
  const requests = REQUEST_STATUSES.map((status) =>
    pending({
      id: status,
      status,
      decidedBy: 'UBOB',
      decidedAt: T0,
      grantExpiresAt: T0 + 8 * HOUR,
      finishedAt: T0,
      resetStartedAt: T0,
      denyReason: status === 'denied' ? '不是你的话机' : null,
      failureCode: status === 'failed' ? 'timeout' : status === 'cancelled' ? 'no_private_route' : null,
    }),
  );
  const approvals: Approval[] = [
    { requestId: 'x', approverId: 'UBOB', at: T0 },
    { requestId: 'x', approverId: 'UDAVE', at: T0 },
  ];
  for (const request of requests) {
    for (const protectedAccount of [false, true])
      add(`approval ${request.status}`, approval(t, request, { appLabel: app, protectedAccount, approvals }));
    add(
      `grant ${request.status}`,
      grantMessage(t, { request, appLabel: app, approvedBy: ['UBOB', 'UDAVE'] }),
    );
  }
  add(
    'approval with a phone',
    approval(t, pending(), { phone: { phoneName: '前台', groupName: '总部' }, accountUnchecked: true }),
  );
  add('password', passwordMessage(t, { account: '1001', appLabel: app, password: 'p', repeated: true }));
  add('pending', pendingNotice(t, { request: pending(), appLabel: app, approvalChannel: 'CAPPROVALS' }));
  add('status', statusMessage(t, { requests: requests.slice(0, 3), appLabel: () => app }));
  for (const outlook of ['direct', 'approval', 'either'] as const)
    add(
      `form ${outlook}`,
      resetModal(t, {
        apps: [
          { label: app, appId: 'a' },
          { label: '仓库', appId: 'b' },
        ],
        metadata: {},
        outlook,
      }),
    );
  add('deny form', denyReasonModal(t, pending()));
  const contents: HomeContents = {
    viewerId: 'UBOB',
    mine: {
      items: requests,
      position: 10,
      more: true,
      next: { at: requests[0]!.createdAt, id: requests[0]!.id },
    },
    queue: {
      items: [
        { request: pending({ requesterId: 'UBOB' }), approvals },
        { request: pending({ account: '9000' }), approvals },
      ],
      position: 0,
      more: true,
    },
    decisions: page(requests.filter((r) => r.status === 'denied' || r.status === 'approved')),
    resets: page(requests),
  };
  add(
    'home',
    homeView(t, contents, { appLabel: () => app, paging: FIRST_PAGES, protectedAccount: () => true }),
  );
  out.push([
    'history',
    historyText(t, '1003', [
      { seq: 1, requestId: 'r', at: T0, type: 'requested', actor: 'UALICE', detail: '{"path":"approval"}' },
      {
        seq: 2,
        requestId: 'r',
        at: T0,
        type: 'password_delivered',
        actor: 'UALICE',
        detail: '{"route":"dm_ephemeral","timedOut":"response_url"}',
      },
      {
        seq: 3,
        requestId: 'r',
        at: T0,
        type: 'owner_notified',
        actor: 'system',
        detail: '{"owner":"UCAROL"}',
      },
      {
        seq: 4,
        requestId: 'r',
        at: T0,
        type: 'failed',
        actor: 'system',
        detail: '{"failureCode":"timeout"}',
      },
    ] as never),
  ]);
  const codes: DomainErrorCode[] = Object.keys(t.errors) as DomainErrorCode[];
  for (const code of codes) {
    out.push([`refusal ${code}`, refusalText(t, new DomainError(code, pending()))]);
    out.push([`refusal ${code} (no detail)`, refusalText(t, new DomainError(code))]);
  }
  return out;
}
