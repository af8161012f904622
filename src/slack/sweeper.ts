import { userMention } from './blocks/format.js';
import type { SlackContext } from './context.js';

/**
 * The periodic chores that must survive restarts, driven by what the store holds: expire what is
 * due and settle resets a dead process left in flight, telling the people concerned.
 * Safe on several instances at once: each change is a compare-and-set, and only its winner tells.
 */
export async function sweep(ctx: SlackContext): Promise<void> {
  const { t, announcer } = ctx;
  for (const request of await ctx.service.expireDue()) {
    const [account, app] = ctx.subject(request);
    await announcer.refreshApprovalMessage(request);
    if (request.grantChannel) {
      await announcer.refreshGrantMessage(request);
    } else if (request.decidedAt === null) {
      await announcer.tell(request.requesterId, t.expiredNotice(account, app));
    }
  }
  for (const request of await ctx.service.recoverInterrupted()) {
    const [account, app] = ctx.subject(request);
    await announcer.tell(request.requesterId, t.interruptedNotice(account, app));
    await announcer.refreshGrantMessage(request);
    if (request.approvalTs) {
      await announcer.refreshApprovalMessage(request);
    } else {
      await announcer.tellApprovers(
        `${userMention(request.requesterId)}: ${t.interruptedNotice(account, app)}`,
      );
    }
  }
}
