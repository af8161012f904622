import type { SlackContext } from '../context.js';
import { unlessRefused, type ButtonClick } from './replies.js';

/** Cancel, on the requester's private pending note. */
export function cancelClicked(ctx: SlackContext) {
  return async ({ ack, body, action, respond }: ButtonClick): Promise<void> => {
    await ack();
    const cancelled = await unlessRefused(ctx, respond, () =>
      ctx.service.cancel(action.value ?? '', body.user.id),
    );
    if (!cancelled) return;
    const text = ctx.t.cancelled(...ctx.subject(cancelled));
    await respond({ response_type: 'ephemeral', replace_original: true, text });
    await Promise.all([
      ctx.announcer.refreshApprovalMessage(cancelled),
      ctx.announcer.refreshGrantMessage(cancelled),
    ]);
  };
}
