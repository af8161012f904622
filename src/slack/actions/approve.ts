import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { replyPrivately, replyWithRefusal } from './respond-privately.js';

/** Approve, in the approval channel: re-checked on the server for who clicks, counted once. */
export function approveClicked(ctx: SlackContext) {
  return async ({
    ack,
    body,
    action,
    respond,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    let result;
    try {
      result = await ctx.service.approve(action.value ?? '', body.user.id);
    } catch (error) {
      await replyWithRefusal(ctx, respond, error);
      return;
    }
    await ctx.announcer.refreshApprovalMessage(result.request);
    if (result.approvedNow) {
      await ctx.announcer.sendGrant(result.request);
    } else {
      await replyPrivately(respond, ctx.t.decisionRecorded(result.request.account));
    }
  };
}
