import { userMention } from '../blocks/format.js';
import type { SlackServices } from '../services.js';

/**
 * How long one sweep prunes audit events at most. The first prune of a long history (millions of
 * rows once retention is turned on) is spread over the sweeps, a second every 30 s, so that no
 * sweep, and not the one before the app starts listening, waits for all of it.
 */
export const AUDIT_PRUNE_BUDGET_MS = 1_000;

/**
 * The periodic chores that must survive restarts, driven by what the store holds: expire what is
 * due, remind approvers of what waits half-way to its expiry, and settle resets a dead process left
 * in flight, telling the people concerned; then remove audit events past their retention, forget
 * who opened the Home tab longer ago than its republishing looks back, resume the lock-outs nobody
 * runs, and post the day's audit checkpoint in the audit channel (once a day across instances).
 * Safe on several instances at once: each change is a compare-and-set, and only its winner tells.
 */
export async function sweep(services: SlackServices): Promise<{ expired: number; recovered: number }> {
  const { t, messages, notices } = services;
  const expired = await services.upkeep.expireDue();
  for (const request of expired) {
    const [account, app] = services.subject(request);
    await messages.refresh(request);
    // A direct request expires only when its reset never started (its process stopped first). An
    // approved one has its grant DM, which says it expired; an undecided one has only its note.
    const direct = request.requiredApprovals === 0;
    if (direct || request.decidedAt === null) {
      const theirs = await services.textsFor(request.requesterId);
      const text = direct ? theirs.directExpiredNotice : theirs.expiredNotice;
      await notices.tell(request.requesterId, text(account, app));
    }
  }
  for (const request of await services.upkeep.remindDue()) await messages.remind(request);
  const recovered = await services.upkeep.recoverInterrupted();
  for (const request of recovered) {
    const [account, app] = services.subject(request);
    const theirs = await services.textsFor(request.requesterId);
    const undelivered = request.status === 'undelivered';
    const text = undelivered ? theirs.undeliveredNotice : theirs.interruptedNotice;
    await notices.tell(request.requesterId, text(account, app));
    await messages.refresh(request);
    if (!undelivered && request.announcedAt === null) {
      await messages.tellApprovers(
        `${userMention(request.requesterId)}: ${t.interruptedNotice(account, app)}`,
      );
    }
  }
  if (services.config.auditRetentionDays !== undefined)
    await services.upkeep.pruneAudit(services.config.auditRetentionDays, AUDIT_PRUNE_BUDGET_MS);
  await services.home.forgetOldViewers();
  // Lock-outs nobody runs (their process died or stopped): resumed in the background, not awaited.
  await services.lockoutRuns.resume();
  await services.auditChannel?.dailyCheckpoint();
  return { expired: expired.length, recovered: recovered.length };
}
