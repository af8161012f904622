import type { SlackServices } from '../../services.js';
import { openResetForm } from '../../flows/reset-form.js';
import type { ButtonClick } from './replies.js';

/**
 * "Reset a SIP password" on the Home tab: the command's form. Like the shortcut's, a click there has
 * no channel nor response_url, so what follows, the password included, goes by the app's DM.
 */
export function homeResetClicked(services: SlackServices) {
  return async ({ ack, body, client }: ButtonClick): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const t = await services.textsFor(userId);
    const opened = await openResetForm(services, client, {
      t,
      userId,
      triggerId: body.trigger_id,
      metadata: {},
    });
    if (!opened) {
      await services.notices.tell(userId, t.unexpectedError);
      return;
    }
    await services.directory.warm();
  };
}
