import { expect } from 'chai';
import fc from 'fast-check';
import type { Button } from '@slack/types';
import { catalogueFor } from '../../src/i18n/index.js';
import { LIMITS } from '../../src/slack/blocks/format.js';
import { lockoutFormModal } from '../../src/slack/blocks/lockout-form.js';
import {
  REVIEW_SAMPLE,
  lockoutNotStartedModal,
  lockoutReviewModal,
  lockoutStartButton,
  lockoutStartedModal,
  type LockoutReview,
} from '../../src/slack/blocks/lockout-review.js';
import { readLockoutCampaignId } from '../../src/slack/platform/modal-metadata.js';
import { blocksProblem } from '../../sandbox/slack-stub.js';

const t = catalogueFor('en');
const zh = catalogueFor('zh-CN');
const headOffice = { label: 'Head office', appId: 'app1' };
const warehouse = { label: 'Warehouse', appId: 'app2' };
const labels: Record<string, string> = { app1: 'Head office', app2: 'Warehouse' };

type Block = { type: string; block_id?: string; element?: Record<string, unknown>; optional?: boolean };
const blocksOf = (view: { blocks: unknown[] }) => view.blocks as Block[];
const idsOf = (view: { blocks: unknown[] }) => blocksOf(view).map((b) => b.block_id ?? b.type);
const textOf = (view: { blocks: unknown[] }) => JSON.stringify(view.blocks);
const buttonOf = (view: { blocks: unknown[] }) =>
  (blocksOf(view).find((b) => b.type === 'actions') as unknown as { elements: Button[] })
    .elements[0] as Button;

const review = (count: number, extra: Partial<LockoutReview> = {}): LockoutReview => ({
  campaignId: 'camp-1',
  count,
  targets: Array.from({ length: count }, (_, i) => ({ account: String(1000 + i), appId: 'app1' })),
  reason: 'Credentials leaked',
  appLabel: (appId) => labels[appId] ?? appId,
  ...extra,
});

describe('Block Kit builders: the lock-out form', () => {
  it('takes a pasted list and the reason alone when the directory lists nothing (one voice application)', () => {
    const view = lockoutFormModal(t, { apps: [headOffice], pickers: [], wholeApps: [] });
    expect(idsOf(view)).to.deep.equal(['section', 'lockout_accounts', 'lockout_reason']);
    expect(view).to.include({ callback_id: 'sip_reset_lockout' });
    expect(view.submit?.text).to.equal('Review');
    const reason = blocksOf(view).find((b) => b.block_id === 'lockout_reason');
    expect(reason?.optional, 'the reason is required').to.equal(undefined);
    expect(blocksOf(view).find((b) => b.block_id === 'lockout_accounts')?.element).to.include({
      type: 'plain_text_input',
      multiline: true,
      max_length: 3000,
    });
  });

  it('with the directory: a multi-picker per voice application it lists, the app of a pasted list, and every phone of one', () => {
    const view = lockoutFormModal(t, {
      apps: [headOffice, warehouse],
      pickers: [headOffice, warehouse],
      wholeApps: [headOffice],
    });
    expect(idsOf(view)).to.deep.equal([
      'section',
      'account_phone:app1',
      'account_phone:app2',
      'lockout_accounts',
      'lockout_app',
      'lockout_whole_app',
      'lockout_reason',
    ]);
    const picker = blocksOf(view).find((b) => b.block_id === 'account_phone:app1');
    expect(picker?.element).to.include({
      type: 'multi_external_select',
      action_id: 'value',
      min_query_length: 1,
    });
    expect(picker?.optional).to.equal(true);
    const whole = blocksOf(view).find((b) => b.block_id === 'lockout_whole_app')?.element as {
      options: Array<{ value: string }>;
    };
    expect(
      whole.options.map((o) => o.value),
      'only the applications the directory lists',
    ).to.deep.equal(['app1']);
    expect(blocksProblem(view.blocks as never, 100)).to.equal(undefined);
  });

  it('says it all in Chinese for a Chinese Slack, titles within 24 characters', () => {
    const view = lockoutFormModal(zh, {
      apps: [headOffice, warehouse],
      pickers: [headOffice],
      wholeApps: [headOffice],
    });
    expect(textOf(view)).to.contain('粘贴话机账号').and.contain('Head office 的话机');
    for (const texts of [t, zh])
      for (const title of [
        texts.lockoutForm.title,
        texts.lockoutForm.submit,
        texts.lockoutForm.close,
        texts.lockoutForm.reviewTitle,
        texts.lockoutForm.startedTitle,
        texts.lockoutForm.notStartedTitle,
        texts.lockoutForm.closeDone,
      ])
        expect(title.length, title).to.be.at.most(LIMITS.modalTitle);
  });
});

describe('Block Kit builders: the lock-out review and its confirmation', () => {
  it('states the count, the application, the first 20 accounts and how many more, and the reason', () => {
    const view = lockoutReviewModal(t, review(240));
    const text = textOf(view);
    expect(text).to.contain('*240 phones* of Head office will be locked out:');
    expect(text)
      .to.contain('1000, 1001')
      .and.contain(`${1000 + REVIEW_SAMPLE - 1}, and 220 more`);
    expect(text).not.to.contain(String(1000 + REVIEW_SAMPLE));
    expect(text).to.contain('*Reason:* Credentials leaked');
    expect(view.submit, 'a submit cannot carry a confirmation').to.equal(undefined);
    expect(readLockoutCampaignId(view.private_metadata)).to.equal('camp-1');
  });

  it('has a danger button stating the count, behind a confirmation that says what it does', () => {
    const button = buttonOf(lockoutReviewModal(t, review(240)));
    expect(button).to.include({ action_id: 'sip_reset_lockout_start', style: 'danger' });
    expect(button.text.text).to.equal('Lock out 240 phones');
    expect(button.confirm).to.deep.equal({
      title: { type: 'plain_text', text: 'Lock out 240 phones?' },
      text: {
        type: 'plain_text',
        text: 'Lock out 240 phones? Their current passwords stop working at once; nobody sees the new ones.',
      },
      confirm: { type: 'plain_text', text: 'Lock out 240 phones' },
      deny: { type: 'plain_text', text: 'Go back' },
      style: 'danger',
    });
  });

  it('says one phone in the singular, thousands with a separator, and Chinese without plurals', () => {
    expect(buttonOf(lockoutReviewModal(t, review(1))).confirm?.text?.text).to.equal(
      'Lock out 1 phone? Its current password stops working at once; nobody sees the new one.',
    );
    expect(lockoutStartButton(t, 1240).text.text).to.equal('Lock out 1,240 phones');
    const chinese = lockoutStartButton(zh, 240);
    expect(chinese.text.text).to.equal('锁定 240 部话机');
    expect(chinese.confirm?.text?.text).to.equal(
      '确定锁定 240 部话机吗？当前话机密码将立即失效，新密码不会向任何人显示。',
    );
  });

  it('names each account’s application when the phones are of several, and every phone of one', () => {
    const mixed = review(3, {
      count: 3,
      targets: [
        { account: '1001', appId: 'app1' },
        { account: '1002', appId: 'app1' },
        { account: '2001', appId: 'app2' },
      ],
    });
    expect(textOf(lockoutReviewModal(t, mixed)))
      .to.contain('of Head office (2), Warehouse (1)')
      .and.contain('2001 (Warehouse)');
    expect(textOf(lockoutReviewModal(t, review(5, { wholeAppId: 'app1' })))).to.contain(
      'Every phone the phone directory lists for Head office.',
    );
  });

  it('escapes what a person typed: the reason and the accounts cannot mention or link', () => {
    const view = lockoutReviewModal(
      t,
      review(1, { reason: '<!channel> see <http://x|here>', targets: [{ account: '<@U1>', appId: 'app1' }] }),
    );
    expect(textOf(view)).not.to.contain('<!channel>').and.not.to.contain('<@U1>');
    expect(textOf(view)).to.contain('&lt;!channel&gt;');
  });

  it('keeps the review and its confirmation within Slack’s limits, whatever the count, reason, accounts and labels', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000_000 }),
        fc.string({ maxLength: 600 }),
        fc.array(fc.string({ minLength: 1, maxLength: 32 }), { minLength: 1, maxLength: 60 }),
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.constantFrom(t, zh),
        (count, reason, accounts, label, texts) => {
          const view = lockoutReviewModal(texts, {
            campaignId: 'c',
            count,
            reason,
            targets: accounts.map((account, i) => ({ account, appId: i % 2 ? 'app1' : 'app2' })),
            appLabel: (appId) => `${label}${appId}`,
          });
          expect(blocksProblem(view.blocks as never, 100)).to.equal(undefined);
          const { confirm, text } = buttonOf(view);
          expect(text.text.length).to.be.at.most(LIMITS.button);
          expect(confirm?.title?.text.length).to.be.at.most(LIMITS.confirmTitle);
          expect(confirm?.text?.text.length).to.be.at.most(LIMITS.confirmText);
          expect(confirm?.confirm?.text.length).to.be.at.most(LIMITS.confirmButton);
          expect(confirm?.deny?.text.length).to.be.at.most(LIMITS.confirmButton);
          // The count is stated in full, never cut.
          expect(confirm?.text?.text).to.contain(
            new Intl.NumberFormat(texts === t ? 'en' : 'zh-CN').format(count),
          );
        },
      ),
    );
  });

  it('after the click: where the progress is, or why it did not start', () => {
    expect(textOf(lockoutStartedModal(t, { kind: 'thread', channel: 'CAPPROVALS' }))).to.contain(
      'in its thread in <#CAPPROVALS>',
    );
    expect(textOf(lockoutStartedModal(zh, { kind: 'dm', channel: 'D1' }))).to.contain('私信');
    expect(textOf(lockoutNotStartedModal(t, 'Already started.'))).to.contain('Already started.');
  });
});
