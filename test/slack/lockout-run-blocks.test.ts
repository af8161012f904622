import { expect } from 'chai';
import type { LockoutCampaign, LockoutItem } from '../../src/domain/lockout.js';
import { tallyOf } from '../../src/domain/lockout.js';
import { catalogueFor } from '../../src/i18n/index.js';
import {
  lockoutStartedText,
  progressMessage,
  SUMMARY_LIST_MAX,
  summaryMessage,
  summaryText,
} from '../../src/slack/blocks/lockout-run.js';
import { claimButton, grantMessage } from '../../src/slack/blocks/requests.js';
import { ACTION } from '../../src/slack/platform/ids.js';
import { lockoutItem, runningLockout } from '../helpers/lockout-world.js';
import { storedRequest, T0 } from '../helpers/requests.js';

const en = catalogueFor('en');
const zh = catalogueFor('zh-CN');

const campaign = (over: Partial<LockoutCampaign> = {}) =>
  runningLockout({ agentId: 'UHANA', reason: 'leaked <!channel> & more', count: 4, ...over });

const item = (seq: number, state: LockoutItem['state'], over: Partial<LockoutItem> = {}) =>
  lockoutItem(seq, { state, ...over });

const label = () => 'Head office';

describe('blocks: a lock-out', () => {
  it('names the count, the agent and the reason, escaped, in the parent message', () => {
    expect(lockoutStartedText(en, campaign())).to.equal(
      ':lock: Lock-out of 4 phones started by <@UHANA>: leaked &lt;!channel&gt; &amp; more',
    );
  });

  it('shows progress as counts, its text the same line, with a confirmed Stop while it runs', () => {
    const items = [item(0, 'locked_out'), item(1, 'failed'), item(2, 'unknown'), item(3, 'queued')];
    const message = progressMessage(en, campaign(), tallyOf(items));
    expect(message.text).to.equal(':hourglass_flowing_sand: 1 of 4 locked out, 1 failed, 1 unknown.');
    const stop = JSON.stringify(message.blocks);
    expect(stop).to.contain(ACTION.lockoutStop).and.contain('"value":"c1"').and.contain('"confirm"');
    const stopping = progressMessage(zh, campaign(), tallyOf(items), { stoppedBy: 'UBOB' });
    expect(JSON.stringify(stopping.blocks)).not.to.contain(ACTION.lockoutStop);
    expect(stopping.text).to.contain('<@UBOB> 停止了锁定');
  });

  it('sums up: failed and unknown phones with their reasons in words, owners told and phones without', () => {
    const items = [
      item(0, 'locked_out', { ownerId: 'UCAROL', ownerRequestId: 'r1', toldAt: T0 }),
      item(1, 'locked_out'),
      item(2, 'failed', { failureCode: 'account_not_found' }),
      item(3, 'unknown', { failureCode: 'timeout' }),
    ];
    const message = summaryMessage(en, campaign({ state: 'finished' }), tallyOf(items), items, label);
    const text = JSON.stringify(message.blocks);
    expect(message.text).to.contain('Lock-out finished: 2 of 4 phones locked out.');
    expect(text).to.contain('*1002* (Head office): ITNIO has no such account');
    expect(text).to.contain('*1003* (Head office): ITNIO did not answer in time');
    expect(text).to.contain(en.lockoutRun.owners(1, 1));
    expect(text).to.contain('Reason: leaked &lt;!channel&gt;');
    expect(text).not.to.contain(ACTION.lockoutStop);
    const forAudit = summaryText(
      summaryMessage(en, campaign({ state: 'finished' }), tallyOf(items), items, label, false),
    );
    expect(forAudit).to.contain('1002').and.not.contain('leaked');
  });

  it('names each locked-out phone whose owners were not told, with why in words, in either language; owners told counts phones', () => {
    const items = [
      item(0, 'locked_out', { ownerId: 'UCAROL', toldAt: T0, notTold: 'grant_failed' }),
      item(1, 'locked_out', { ownerId: 'UCAROL', toldAt: T0, notTold: 'dm_failed' }),
      item(2, 'locked_out', { ownerId: 'UCAROL' }),
      item(3, 'locked_out', { ownerId: 'UCAROL', toldAt: T0 }),
    ];
    const tally = tallyOf(items);
    expect(tally).to.include({ ownersTold: 1, ownersNotTold: 3, withoutOwner: 0 });
    const text = summaryText(summaryMessage(en, campaign({ state: 'finished' }), tally, items, label, false));
    expect(text).to.contain(
      [
        '*Locked out; owner not told* (tell them yourself):',
        '• *1000* (Head office): *Get a new password* could not be offered (a database error)',
        '• *1001* (Head office): Slack did not deliver the DM to every owner',
        '• *1002* (Head office): whether they were told is not known',
      ].join('\n'),
    );
    expect(text).to.contain('The owners of 1 phone were told by DM; 0 phones have no owner on file');
    expect(text).not.to.contain('*1003*');
    const zhText = summaryText(summaryMessage(zh, campaign({ state: 'finished' }), tally, items, label));
    expect(zhText)
      .to.contain('*已锁定，但未通知使用人* （请自行通知）：')
      .and.contain('• *1000* （Head office）：无法提供 *获取新密码* （数据库出错）')
      .and.contain('已私信通知 1 部话机的使用人');
    const told = [item(0, 'locked_out', { ownerId: 'UCAROL', toldAt: T0 })];
    expect(summaryText(summaryMessage(en, campaign(), tallyOf(told), told, label))).not.to.contain(
      'owner not told',
    );
  });

  it('says who stopped it, and counts the phones past the list it names', () => {
    const items = Array.from({ length: SUMMARY_LIST_MAX + 5 }, (_, i) =>
      item(i, 'failed', { failureCode: 'too_frequent' }),
    );
    const stopped = campaign({ state: 'stopped', stoppedBy: 'UHANA' });
    const message = summaryMessage(en, stopped, tallyOf(items), items, label);
    expect(message.text).to.contain('Lock-out stopped by <@UHANA>: 0 of 35 phones locked out.');
    expect(JSON.stringify(message.blocks)).to.contain(en.lockoutRun.more(5));
  });

  it('names only the phones that fit in a section (3,000 characters), long accounts and labels too, and counts the rest', () => {
    const long = 'L'.repeat(80);
    for (const [t, state, over] of [
      [en, 'locked_out', { ownerId: 'UCAROL', toldAt: T0, notTold: 'grant_failed' }],
      [zh, 'locked_out', { ownerId: 'UCAROL', toldAt: T0, notTold: 'dm_failed' }],
      [en, 'failed', { failureCode: 'account_not_found' }],
      [en, 'unknown', { failureCode: 'timeout' }],
    ] as const) {
      const items = Array.from({ length: SUMMARY_LIST_MAX }, (_, i) =>
        item(i, state, { account: `${i}`.padStart(32, '9'), ...over }),
      );
      const message = summaryMessage(t, campaign({ state: 'finished' }), tallyOf(items), items, () => long);
      const list = (message.blocks ?? [])
        .map((block) => (block.type === 'section' ? (block.text?.text ?? '') : ''))
        .find((text) => text.includes(items[0]?.account ?? '?'));
      expect(list?.length, `${state}, ${t === en ? 'en' : 'zh-CN'}`).to.be.at.most(3000);
      const lines = list?.split('\n') ?? [];
      const named = lines.filter((line) => line.startsWith('• '));
      expect(named.length, 'some named, not all').to.be.above(0).and.below(SUMMARY_LIST_MAX);
      expect(lines.at(-1), 'the count of the rest, not a line cut short').to.equal(
        t.lockoutRun.more(SUMMARY_LIST_MAX - named.length),
      );
      expect(named.every((line) => line.includes(long))).to.equal(true);
    }
  });

  it("words the owner's grant DM as a lock-out's, its button Get a new password (the reset's own action)", () => {
    const request = storedRequest({
      status: 'approved',
      lockoutId: 'c1',
      reason: 'leaked',
      grantExpiresAt: T0,
    });
    const dm = grantMessage(zh, { request, appLabel: 'Head office', approvedBy: [] });
    expect(dm.text).to.contain('IT 服务台锁定了你的话机 *1001* （Head office）').and.contain('leaked');
    const button = claimButton(zh, request, 'Head office');
    expect(button).to.include({ action_id: ACTION.claim, value: 'req-1' });
    expect(button.text.text).to.equal('获取新密码');
    expect(claimButton(en, storedRequest({ status: 'approved' }), 'Head office').text.text).to.equal(
      en.grantButton,
    );
  });
});
