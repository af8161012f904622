import { userMention } from '../blocks/format.js';
import type { SlackContext } from '../context.js';
import { replyPrivately, unlessRefused, type ButtonClick } from './replies.js';

/** Approve, in the approval channel: re-checked on the server for who clicks, counted once. */
export function approveClicked(ctx: SlackContext) {
  return async ({ ack, body, action, respond }: ButtonClick): Promise<void> => {
    await ack();
    const result = await unlessRefused(ctx, respond, () =>
      ctx.service.approve(action.value ?? '', body.user.id),
    );
    if (!result) return;
    await ctx.announcer.refreshApprovalMessage(result.request);
    if (result.approvedNow) {
      if (!(await ctx.announcer.sendGrant(result.request))) {
        // The approval stands; the approver is the one who can now tell the requester another way.
        await replyPrivately(respond, ctx.t.grantUndelivered(userMention(result.request.requesterId)));
      }
    } else {
      await replyPrivately(respond, ctx.t.decisionRecorded(ctx.subject(result.request)[0]));
    }
  };
}
