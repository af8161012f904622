import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { denyReasonModal } from '../blocks/modals.js';
import type { SlackContext } from '../context.js';
import { replyWithRefusal } from './respond-privately.js';

/** Deny, in the approval channel: checks who clicks, then asks for an optional reason. */
export function denyClicked(ctx: SlackContext) {
  return async ({
    ack,
    body,
    action,
    client,
    respond,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    let request;
    try {
      request = await ctx.service.assertCanDecide(action.value ?? '', body.user.id);
    } catch (error) {
      await replyWithRefusal(ctx, respond, error);
      return;
    }
    await client.views.open({ trigger_id: body.trigger_id, view: denyReasonModal(ctx.t, request) });
  };
}
