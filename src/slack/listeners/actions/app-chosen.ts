import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import { readMetadata } from '../../platform/modal-metadata.js';
import { readFormState } from '../../platform/form-state.js';
import type { SlackServices } from '../../services.js';
import { outlookInTime, resetForm } from '../../flows/reset-form.js';
import { slackError } from '../../platform/web-api-errors.js';

export type AppChoice = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>>;

/**
 * A voice application chosen in the reset form (several are configured, and a phone directory is
 * kept): the form is rebuilt so that its account field picks from that application's phones, or
 * stays free text where the directory lists none. What was typed or picked is carried over: a
 * phone the new application also lists is picked in it, a typed account it does not list stays
 * typed, and a phone picked in the other application that this one does not list is dropped.
 *
 * Rebuilt rather than read at each suggestion: the view a block_suggestion carries does not hold
 * what the person chose since the form was last built (bolt-js#1146), while its block ID does
 * (PLATFORM.md), so each application's picker has a block of its own.
 */
export function appChosen(services: SlackServices) {
  return async ({ ack, body, action, client }: AppChoice): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view) return;
    const appId = action.selected_option?.value;
    const form = readFormState(view.state.values);
    const t = await services.textsFor(body.user.id);
    const account = form.account || undefined;
    const rebuilt = await resetForm(
      services,
      t,
      { account, appId, picked: form.pickerAppId !== undefined },
      readMetadata(view.private_metadata),
      outlookInTime(services, body.user.id, account),
    );
    try {
      // The hash makes Slack refuse this update if the form changed since: a later choice wins.
      await client.views.update({ view_id: view.id, hash: view.hash, view: rebuilt });
    } catch (error) {
      const code = slackError(error);
      if (code === 'hash_conflict') return;
      services.logger.warn('could not rebuild the reset form for the voice application chosen', {
        error: code,
      });
    }
  };
}
