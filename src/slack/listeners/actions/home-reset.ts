import type { ListenerDeps } from '../../services.js';
import { openResetForm } from '../../flows/reset-form.js';
import type { ButtonClick } from './replies.js';

/**
 * "Reset a SIP password" on the Home tab: the command's form. Like the shortcut's, a click there has
 * no channel nor response_url, so what follows, the password included, goes by the app's DM.
 */
export function homeResetClicked(ctx: ListenerDeps) {
  return async ({ ack, body, client }: ButtonClick): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const t = await ctx.textsFor(userId);
    const opened = await openResetForm(ctx, client, { t, userId, triggerId: body.trigger_id, metadata: {} });
    if (!opened) {
      await ctx.notices.tell(userId, t.unexpectedError);
      return;
    }
    await ctx.directory.warm();
  };
}
