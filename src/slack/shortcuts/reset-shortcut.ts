import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { resetForm } from '../reset-form.js';
import type { ListenerDeps } from '../listener-deps.js';
import { slackError } from '../web-api-errors.js';

/**
 * The global shortcut "Reset a SIP password" (⚡ menu, search bar): the command's modal, for those
 * who never remember the command. A shortcut comes from no channel and has no response_url, so the
 * modal carries no way back: what follows, the password included, goes by the app's DM (an
 * ephemeral message there, as PrivateDelivery's last route).
 */
export function resetShortcut(ctx: ListenerDeps) {
  return async ({
    ack,
    shortcut,
    client,
  }: AllMiddlewareArgs & SlackShortcutMiddlewareArgs<GlobalShortcut>): Promise<void> => {
    await ack();
    const t = await ctx.textsFor(shortcut.user.id);
    try {
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: await resetForm(ctx, t, {}, {}),
      });
    } catch (error) {
      ctx.logger.error('could not open the reset modal', { error: slackError(error) });
      await ctx.notices.tell(shortcut.user.id, t.unexpectedError);
      return;
    }
    await ctx.directory.warm();
  };
}
