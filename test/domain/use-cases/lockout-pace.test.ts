import { expect } from 'chai';
import { lockoutWorld, phones } from '../../helpers/lockout-world.js';

describe('use case: a lock-out paced below one call a second', () => {
  it('at 0.5 calls a second waits 2 s between calls; at 0.05, 20 s', async () => {
    for (const [ratePerSecond, wait] of [
      [0.5, 2_000],
      [0.05, 20_000],
    ] as const) {
      const world = lockoutWorld({ ratePerSecond });
      const campaign = await world.lockoutCampaigns.prepare({
        agentId: 'UHELP',
        targets: phones('1001', '1003', '1004'),
        reason: 'leaked',
      });
      await world.lockoutCampaigns.start(campaign.id, 'UHELP', 'instance-a');
      expect((await world.lockoutCampaigns.run(campaign.id, 'instance-a')).kind).to.equal('ended');
      expect(world.vendor.calls).to.have.length(3);
      expect(world.waits, `at ${ratePerSecond}`).to.deep.equal([wait, wait]);
    }
  });
});
