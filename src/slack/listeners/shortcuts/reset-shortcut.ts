import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { SlackServices } from '../../services.js';
import { openResetForm } from '../../flows/reset-form.js';

/**
 * The global shortcut "Reset a SIP password" (the shortcuts button `/` in the message box, the search bar): the command's modal, for those
 * who never remember the command. A shortcut comes from no channel and has no response_url, so the
 * modal carries no way back: what follows, the password included, goes by the app's DM (an
 * ephemeral message there, as PrivateDelivery's last route).
 */
export function resetShortcut(services: SlackServices) {
  return async ({
    ack,
    shortcut,
    client,
  }: AllMiddlewareArgs & SlackShortcutMiddlewareArgs<GlobalShortcut>): Promise<void> => {
    await ack();
    const t = await services.textsFor(shortcut.user.id);
    const opened = await openResetForm(services, client, {
      t,
      userId: shortcut.user.id,
      triggerId: shortcut.trigger_id,
      metadata: {},
    });
    if (!opened) {
      await services.notices.tell(shortcut.user.id, t.unexpectedError);
      return;
    }
    await services.directory.warm();
  };
}
