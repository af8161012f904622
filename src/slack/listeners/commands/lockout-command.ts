import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Texts } from '../../../i18n/index.js';
import { openLockoutForm } from '../../flows/lockout-form.js';
import type { SlackServices } from '../../services.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/**
 * `/sip-reset lockout`, for helpdesk agents: acknowledged at once, then the form opens while the
 * trigger_id is fresh (its look-ups bounded, side by side). Anyone else is refused privately, as
 * `history` and `directory` refuse them.
 */
export async function lockoutCommand(
  services: SlackServices,
  { ack, command, client, respond }: Pick<CommandArgs, 'ack' | 'command' | 'client' | 'respond'>,
  texts: Promise<Texts>,
  extra: readonly string[],
): Promise<void> {
  if (extra.length > 0) {
    await ack({ response_type: 'ephemeral', text: (await texts).lockoutForm.usage(command.command) });
    return;
  }
  await ack();
  const t = await texts;
  const opened = await openLockoutForm(services, client, {
    t,
    userId: command.user_id,
    triggerId: command.trigger_id,
  });
  if (opened === 'refused') await respond({ response_type: 'ephemeral', text: t.lockoutForm.refused });
  else if (opened === 'failed') await respond({ response_type: 'ephemeral', text: t.unexpectedError });
}
