import type { WebClient } from '@slack/web-api';
import type { FormOutlook } from '../domain/policy.js';
import type { Messages } from '../i18n/index.js';
import { resetModal, type ResetModalMetadata } from './blocks/modals.js';
import type { ListenerDeps } from './listener-deps.js';
import { slackError } from './web-api-errors.js';

/**
 * How long opening the form waits to learn who is asking (a user group look-up, cached after the
 * first): the trigger_id lasts 3 s from the click. Past it, the form opens saying both outcomes.
 */
export const OUTLOOK_WITHIN_MS = 1_000;

/** What submitting will do for this person, or `either` when that cannot be known in time. */
async function outlookInTime(ctx: ListenerDeps, userId: string, account?: string): Promise<FormOutlook> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<FormOutlook>((resolve) => {
    timer = setTimeout(() => resolve('either'), OUTLOOK_WITHIN_MS);
  });
  try {
    return await Promise.race([ctx.service.outlook(userId, account), late]);
  } catch (error) {
    ctx.logger.warn('could not tell what the form will do for its user', { error: slackError(error) });
    return 'either';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens the reset form for the command, the shortcut and the Home tab's button; false (logged) when
 * Slack refused it, for the caller to tell the person in its own way.
 */
export async function openResetForm(
  ctx: ListenerDeps,
  client: WebClient,
  options: { t: Messages; userId: string; triggerId: string; account?: string; metadata: ResetModalMetadata },
): Promise<boolean> {
  const outlook = await outlookInTime(ctx, options.userId, options.account);
  try {
    await client.views.open({
      trigger_id: options.triggerId,
      view: resetModal(options.t, {
        apps: ctx.config.itnio.apps,
        account: options.account,
        metadata: options.metadata,
        outlook,
      }),
    });
    return true;
  } catch (error) {
    ctx.logger.error('could not open the reset modal', { error: slackError(error) });
    return false;
  }
}
