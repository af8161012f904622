import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { PlainTextOption } from '@slack/types';
import { z } from 'zod';
import { OPTION_LIMITS, phoneOption } from '../../blocks/phones.js';
import { ACCOUNT_PICKER_PREFIX, INPUT_ACTION } from '../../platform/ids.js';
import type { SlackServices } from '../../services.js';
import { withinTime } from '../../platform/within-time.js';
import { errorMessage } from '../../../domain/errors.js';

/**
 * How long a suggestion may wait for the database: Slack waits 3 s for the options (PLATFORM.md),
 * and the answer has to travel back. Past it the person gets no options, and may type again.
 */
export const SUGGESTION_LIMIT_MS = 2_000;

/** The most of what was typed that is searched: an account has at most 32 characters. */
const QUERY_MAX = 64;

/** The block_suggestion fields the picker reads; anything else in the payload is left alone. */
const suggestion = z.looseObject({
  type: z.literal('block_suggestion'),
  user: z.looseObject({ id: z.string().min(1) }),
  block_id: z.string().startsWith(ACCOUNT_PICKER_PREFIX).max(255),
  action_id: z.literal(INPUT_ACTION),
  value: z.string(),
});

type Suggestion = AllMiddlewareArgs & SlackOptionsMiddlewareArgs<'block_suggestion'>;

/**
 * The reset form's picker: the phones of the voice application its block names whose account,
 * name or group holds what the person typed, their own phones (the owners file) first, at most
 * Slack's 100, from the database alone: never a vendor call while someone types. A payload that is
 * not the picker's, names no configured application, or comes while the database is slow or down,
 * gets an empty list: the person may type again, and nothing else happens.
 */
export function phoneSuggestion(services: SlackServices) {
  return async ({ ack, body }: Suggestion): Promise<void> => {
    const parsed = suggestion.safeParse(body);
    const appId = parsed.success ? parsed.data.block_id.slice(ACCOUNT_PICKER_PREFIX.length) : '';
    const directory = services.phoneDirectory;
    if (!parsed.success || !directory || !services.config.itnio.apps.some((app) => app.appId === appId)) {
      await ack({ options: [] });
      return;
    }
    const userId = parsed.data.user.id;
    const query = parsed.data.value.trim().slice(0, QUERY_MAX);
    const owners = services.config.policy.owners;
    const own = Object.hasOwn(owners, userId) ? (owners[userId] ?? []) : [];
    const options = await withinTime(
      async () => {
        const [t, phones] = await Promise.all([
          services.textsFor(userId),
          directory.search(appId, query, own, OPTION_LIMITS.options),
        ]);
        return phones
          .map((phone) => phoneOption(t, phone))
          .filter((option): option is PlainTextOption => option !== undefined)
          .slice(0, OPTION_LIMITS.options);
      },
      SUGGESTION_LIMIT_MS,
      {
        late: () =>
          services.logger.warn('the phone directory did not answer a suggestion in time', {
            limitMs: SUGGESTION_LIMIT_MS,
          }),
        failed: (error) =>
          services.logger.warn('could not search the phone directory', { error: errorMessage(error) }),
      },
    );
    await ack({ options: options ?? [] });
  };
}
