import { CAST } from '../../sandbox/world.js';
import type { TestWorld } from './world.js';

/**
 * A lock-out of `targets`, prepared through the app and started by an instance that died at once:
 * its lease has already run out, so the next sweep, on any instance, takes it over. `now` is when it
 * started, for a test that also leaves a phone as that instance did.
 */
export async function startedByDeadInstance(
  w: TestWorld,
  targets: Array<{ account: string; appId: string }>,
  reason: string,
): Promise<{ campaignId: string; now: number }> {
  const { campaignId } = await w.sipReset.services.lockouts.prepare({
    agentId: CAST.helpdesk,
    targets,
    reason,
  });
  const now = Date.now();
  await w.store.startCampaign(
    campaignId,
    CAST.helpdesk,
    now,
    { owner: 'dead', until: now - 1 },
    { type: 'lockout_started', actor: CAST.helpdesk, detail: { campaignId } },
  );
  return { campaignId, now };
}
