import type { WebClient } from '@slack/web-api';
import type { VoiceApp } from '../../config/index.js';
import { isListed } from '../../domain/policy.js';
import type { Texts } from '../../i18n/index.js';
import { lockoutFormModal } from '../blocks/lockout-form.js';
import type { SlackServices } from '../services.js';
import { errorMessage } from '../../domain/errors.js';
import { slackError } from '../platform/web-api-errors.js';
import { withinTime } from '../platform/within-time.js';

/**
 * How long opening the lock-out form waits for each look-up (who is asking, which voice applications
 * the directory lists), side by side: the trigger_id lasts 3 s from the command.
 */
export const LOCKOUT_FORM_LOOKUP_MS = 1_000;

/**
 * Whether this person is a helpdesk agent, or undefined when the user groups did not answer in
 * time: the form then opens, and the lock-out engine refuses anyone else at the submission.
 */
function helpdeskInTime(services: SlackServices, userId: string): Promise<boolean | undefined> {
  return withinTime(
    async () => isListed(await services.directory.resolve(userId), services.config.policy.helpdesk),
    LOCKOUT_FORM_LOOKUP_MS,
    {
      late: () => services.logger.warn('could not tell in time whether a lock-out is asked by the helpdesk'),
      failed: (error) =>
        services.logger.warn('could not tell whether a lock-out is asked by the helpdesk', {
          error: slackError(error),
        }),
    },
  );
}

/**
 * The voice applications the phone directory lists phones of ("every phone of", and a picker each
 * when the picker is on), none when there is no directory or it did not answer in time: the form
 * then takes a pasted list alone.
 */
async function listedAppsInTime(services: SlackServices): Promise<VoiceApp[]> {
  const directory = services.phoneDirectory;
  if (!directory) return [];
  const listed = await withinTime(
    async () => new Set((await directory.states()).filter((s) => s.phoneCount > 0).map((s) => s.appId)),
    LOCKOUT_FORM_LOOKUP_MS,
    {
      late: () =>
        services.logger.warn('the phone directory did not answer in time: the lock-out form takes a list'),
      failed: (error) =>
        services.logger.warn('could not read the phone directory: the lock-out form takes a list', {
          error: errorMessage(error),
        }),
    },
  );
  return services.config.itnio.apps.filter((app) => listed?.has(app.appId));
}

/**
 * Opens the lock-out form for `/sip-reset lockout`: `refused` (nothing opened) for someone known not
 * to be a helpdesk agent, `failed` (logged) when Slack refused the modal, else `opened`.
 */
export async function openLockoutForm(
  services: SlackServices,
  client: WebClient,
  options: { t: Texts; userId: string; triggerId: string },
): Promise<'opened' | 'refused' | 'failed'> {
  const [helpdesk, listed] = await Promise.all([
    helpdeskInTime(services, options.userId),
    listedAppsInTime(services),
  ]);
  if (helpdesk === false) return 'refused';
  const view = lockoutFormModal(options.t, {
    apps: services.config.itnio.apps,
    // The pickers' options come from the options load URL, which SIP_RESET_PHONE_PICKER says is set.
    pickers: services.config.phonePicker ? listed : [],
    wholeApps: listed,
  });
  try {
    await client.views.open({ trigger_id: options.triggerId, view });
    return 'opened';
  } catch (error) {
    services.logger.error('could not open the lock-out form', { error: slackError(error) });
    return 'failed';
  }
}
