import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { escapeMrkdwn } from '../blocks/format.js';
import type { SlackContext } from '../context.js';
import { replyWithRefusal } from './respond-privately.js';

/** Cancel, on the requester's private pending note. */
export function cancelClicked(ctx: SlackContext) {
  return async ({
    ack,
    body,
    action,
    respond,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    let cancelled;
    try {
      cancelled = await ctx.service.cancel(action.value ?? '', body.user.id);
    } catch (error) {
      await replyWithRefusal(ctx, respond, error);
      return;
    }
    const text = ctx.t.cancelled(
      escapeMrkdwn(cancelled.account),
      escapeMrkdwn(ctx.appLabel(cancelled.appId)),
    );
    await respond({ response_type: 'ephemeral', replace_original: true, text });
    await Promise.all([
      ctx.announcer.refreshApprovalMessage(cancelled),
      ctx.announcer.refreshGrantMessage(cancelled),
    ]);
  };
}
