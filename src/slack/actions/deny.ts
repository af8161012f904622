import { denyReasonModal } from '../blocks/modals.js';
import type { SlackContext } from '../context.js';
import { unlessRefused, type ButtonClick } from './replies.js';

/** Deny, in the approval channel: checks who clicks, then asks for an optional reason. */
export function denyClicked(ctx: SlackContext) {
  return async ({ ack, body, action, client, respond }: ButtonClick): Promise<void> => {
    await ack();
    const request = await unlessRefused(ctx, respond, () =>
      ctx.service.assertCanDecide(action.value ?? '', body.user.id),
    );
    if (!request) return;
    await client.views.open({ trigger_id: body.trigger_id, view: denyReasonModal(ctx.t, request) });
  };
}
