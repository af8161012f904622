import { expect } from 'chai';
import type { LockoutTally } from '../../src/domain/lockout.js';
import { catalogueFor } from '../../src/i18n/index.js';
import { progressMessage } from '../../src/slack/blocks/lockout-run.js';
import { ACTION } from '../../src/slack/platform/ids.js';
import { runningLockout } from '../helpers/lockout-world.js';

const en = catalogueFor('en');
const zh = catalogueFor('zh-CN');

const campaign = runningLockout({ agentId: 'UHANA', count: 240 });

const tally: LockoutTally = {
  total: 240,
  lockedOut: 120,
  failed: 2,
  unknown: 1,
  notStarted: 0,
  remaining: 117,
  ownersTold: 100,
  ownersNotTold: 0,
  withoutOwner: 20,
};

describe('blocks: a lock-out that ITNIO makes wait', () => {
  it('says ITNIO asks to slow down and when it asks again, under the counts, Stop still there', () => {
    const message = progressMessage(en, campaign, tally, { retryInMs: 30_000 });
    expect(message.text).to.equal(
      ':hourglass_flowing_sand: 120 of 240 locked out, 2 failed, 1 unknown.\n' +
        ':snail: ITNIO asks us to slow down: asking again in 30 s.',
    );
    const [section, actions] = message.blocks ?? [];
    expect(section).to.deep.equal({
      type: 'section',
      text: { type: 'mrkdwn', text: `${message.text}\n${en.lockoutRun.progressHint}` },
    });
    expect(JSON.stringify(actions)).to.contain(ACTION.lockoutStop);
  });

  it('says it in Chinese, in whole seconds rounded up', () => {
    const message = progressMessage(zh, campaign, tally, { retryInMs: 4_500 });
    expect(message.text).to.contain(':snail: ITNIO 提示请求过于频繁，5 秒后再试。');
    expect(JSON.stringify(message.blocks)).to.contain('5 秒后再试');
  });

  it('says nothing of a wait without one, nor once stopping', () => {
    expect(JSON.stringify(progressMessage(en, campaign, tally))).not.to.contain(':snail:');
    const stopping = progressMessage(en, campaign, tally, { stoppedBy: 'UBOB' });
    expect(stopping.text).to.contain('<@UBOB> stopped the lock-out');
    expect(JSON.stringify(stopping)).not.to.contain(':snail:').and.not.to.contain(ACTION.lockoutStop);
  });
});
