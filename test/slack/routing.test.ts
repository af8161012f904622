import { expect } from 'chai';
import { oneOf } from '../../src/slack/listeners/routing.js';
import { ACTION, VIEW } from '../../src/slack/platform/ids.js';

describe('routing: one Bolt listener for several IDs', () => {
  it('matches each ID exactly, and nothing that only starts or ends like one', () => {
    const pattern = oneOf(Object.values(ACTION));
    for (const id of Object.values(ACTION)) expect(pattern.test(id), id).to.equal(true);
    for (const id of [
      'sip_reset_approve_x',
      'x_sip_reset_approve',
      'sip_reset_',
      '',
      'sip_reset_approvesip_reset_deny',
    ]) {
      expect(pattern.test(id), id).to.equal(false);
    }
    expect(oneOf(Object.values(VIEW)).test(ACTION.approve)).to.equal(false);
  });

  it('takes an ID literally, whatever characters it has', () => {
    const pattern = oneOf(['a.b', 'c+d', '(e)']);
    expect(['a.b', 'c+d', '(e)'].map((id) => pattern.test(id))).to.deep.equal([true, true, true]);
    expect(['axb', 'ccd', 'e'].map((id) => pattern.test(id))).to.deep.equal([false, false, false]);
  });
});
