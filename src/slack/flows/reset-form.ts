import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { PhoneDirectory } from '../../domain/directory.js';
import type { FormOutlook } from '../../domain/policy.js';
import type { Texts } from '../../i18n/index.js';
import { resetModal, type AccountField } from '../blocks/modals.js';
import type { ResetModalMetadata } from '../platform/modal-metadata.js';
import type { SlackServices } from '../services.js';
import { errorMessage } from '../../domain/errors.js';
import { slackError } from '../platform/web-api-errors.js';
import { withinTime } from '../platform/within-time.js';

/**
 * How long opening the form waits to learn who is asking (a user group look-up, cached after the
 * first): the trigger_id lasts 3 s from the click. Past it, the form opens saying both outcomes.
 */
export const OUTLOOK_WITHIN_MS = 1_000;

/** What submitting will do for this person, or `either` when that cannot be known in time. */
export async function outlookInTime(
  services: SlackServices,
  userId: string,
  account?: string,
): Promise<FormOutlook> {
  const outlook = await withinTime(() => services.intake.outlook(userId, account), OUTLOOK_WITHIN_MS, {
    late: () => undefined,
    failed: (error) =>
      services.logger.warn('could not tell what the form will do for its user', { error: slackError(error) }),
  });
  return outlook ?? 'either';
}

/**
 * Opens the reset form for the command, the shortcut and the Home tab's button; false (logged) when
 * Slack refused it, for the caller to tell the person in its own way.
 */
export async function openResetForm(
  services: SlackServices,
  client: WebClient,
  options: { t: Texts; userId: string; triggerId: string; account?: string; metadata: ResetModalMetadata },
): Promise<boolean> {
  // Each look-up waits at most 1 s, side by side, so the form opens well within the trigger_id's 3 s.
  const outlook = outlookInTime(services, options.userId, options.account);
  const view = await resetForm(services, options.t, { account: options.account }, options.metadata, outlook);
  try {
    await client.views.open({ trigger_id: options.triggerId, view });
    return true;
  } catch (error) {
    services.logger.error('could not open the reset modal', { error: slackError(error) });
    return false;
  }
}

/**
 * How long the form waits for the phone directory before it opens with a free-text account field:
 * a trigger_id lives 3 s, and the form must open within it (PLATFORM.md).
 */
export const FORM_DIRECTORY_LIMIT_MS = 1_000;

/** What the form is opened or rebuilt for: an account typed or prefilled, a voice application chosen. */
export interface FormChoice {
  account?: string;
  appId?: string;
  /**
   * The account was picked among another application's phones: where the chosen one does not list
   * it, its picker opens empty (a typed or prefilled account stays, as free text).
   */
  picked?: boolean;
}

/**
 * The reset form. Its account field picks from the phone directory's phones of the chosen voice
 * application when the directory lists some (the only one, or the one chosen; with several and
 * none chosen, a prefilled account picks the one application that lists it); it stays free text
 * when the directory is off, empty for that application, cannot be read in time, or does not list
 * a prefilled account (so that a phone too new for the directory can still be asked for).
 * `outlook` may still be on its way: it and the directory are awaited side by side, each within its
 * own limit, so that the form opens within one limit of the trigger_id's 3 s, not their sum.
 */
export async function resetForm(
  services: SlackServices,
  t: Texts,
  choice: FormChoice,
  metadata: ResetModalMetadata,
  outlook: FormOutlook | Promise<FormOutlook>,
): Promise<ModalView> {
  const apps = services.config.itnio.apps;
  const directory = services.config.phonePicker ? services.phoneDirectory : undefined;
  const known = (appId: string | undefined) => apps.some((app) => app.appId === appId);
  let appId = apps.length === 1 ? apps[0]?.appId : known(choice.appId) ? choice.appId : undefined;
  let accountField: AccountField = { kind: 'text', account: choice.account };
  const [decided, said] = await Promise.all([
    directory ? pickerFor(services, directory, choice, appId) : undefined,
    outlook,
  ]);
  if (decided) {
    appId = decided.appId;
    accountField = decided.field;
  }
  return resetModal(t, {
    apps,
    metadata,
    outlook: said,
    accountField,
    ...(apps.length > 1 && appId ? { appId } : {}),
    dispatchAppChoice: Boolean(directory) && apps.length > 1,
  });
}

/**
 * The voice application and account field the directory makes of this choice (see resetForm), or
 * undefined when it did not answer within its limit (logged): the field is then free text.
 */
function pickerFor(
  services: SlackServices,
  directory: PhoneDirectory,
  choice: FormChoice,
  appId: string | undefined,
): Promise<{ appId: string | undefined; field: AccountField } | undefined> {
  const apps = services.config.itnio.apps;
  const text: AccountField = { kind: 'text', account: choice.account };
  return withinTime(
    async () => {
      const listed = new Set((await directory.states()).filter((s) => s.phoneCount > 0).map((s) => s.appId));
      let chosen = appId;
      const account = choice.account;
      if (!chosen && account) {
        // Several applications, none chosen: the one whose directory lists the account, if only one does.
        const holding: string[] = [];
        for (const app of apps) {
          if (listed.has(app.appId) && (await directory.findPhone(app.appId, account)))
            holding.push(app.appId);
        }
        if (holding.length === 1) chosen = holding[0];
      }
      if (!chosen || !listed.has(chosen)) return { appId: chosen, field: text };
      const picked = account ? await directory.findPhone(chosen, account) : undefined;
      if (account && !picked && !choice.picked) return { appId: chosen, field: text };
      const field: AccountField = {
        kind: 'picker',
        appId: chosen,
        appLabel: services.appLabel(chosen),
        ...(picked ? { picked } : {}),
      };
      return { appId: chosen, field };
    },
    FORM_DIRECTORY_LIMIT_MS,
    {
      late: () =>
        services.logger.warn('the phone directory did not answer in time: the account field is free text', {
          limitMs: FORM_DIRECTORY_LIMIT_MS,
        }),
      failed: (error) =>
        services.logger.warn('could not read the phone directory: the account field is free text', {
          error: errorMessage(error),
        }),
    },
  );
}
