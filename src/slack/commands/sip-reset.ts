import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { statusMessage } from '../blocks/messages.js';
import { resetModal } from '../blocks/modals.js';
import type { ListenerDeps } from '../listener-deps.js';
import { ACCOUNT_MAX_LENGTH } from '../../domain/account.js';
import { slackError } from '../web-api-errors.js';
import { historyText } from '../blocks/history.js';
import { directoryAnswer } from './directory-command.js';

/** How many events `/sip-reset history` shows. */
const HISTORY_LENGTH = 15;

/**
 * `/sip-reset [account | status | help | history account]`: acknowledges at once and opens the modal while the trigger_id is
 * fresh; the slow part (group look-ups) happens after, to have them cached at submission.
 */
export function sipResetCommand(ctx: ListenerDeps) {
  return async ({
    ack,
    command,
    client,
    respond,
  }: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    // The person's language may take a users.info (then cached): asked at once, awaited only by
    // an answer that carries text, so the modal's plain ack never waits for it.
    const texts = ctx.textsFor(command.user_id);
    const argument = command.text.trim();
    if (/^(help|-h|--help|\?)$/i.test(argument)) {
      const t = await texts;
      await ack({ response_type: 'ephemeral', text: t.help(command.command) });
      return;
    }
    if (/^status$/i.test(argument)) {
      const [t, requests] = await Promise.all([texts, ctx.service.openRequestsOf(command.user_id)]);
      await ack({ response_type: 'ephemeral', ...statusMessage(t, { requests, appLabel: ctx.appLabel }) });
      return;
    }
    const history = /^history(?:\s+(\S+))?$/i.exec(argument);
    if (history) {
      // Acknowledged first: the helpdesk check may look up user groups, and Slack waits 3 s at most.
      await ack();
      const [, account] = history;
      const [t, events] = await Promise.all([
        texts,
        account ? ctx.service.history(command.user_id, account, HISTORY_LENGTH) : [],
      ]);
      const text = !account
        ? t.history.usage(command.command)
        : events
          ? historyText(t, account, events)
          : t.history.refused;
      await respond({ response_type: 'ephemeral', text });
      return;
    }
    if (/^directory$/i.test(argument)) {
      await ack();
      await respond({ response_type: 'ephemeral', text: await directoryAnswer(ctx, command.user_id) });
      return;
    }
    const account = argument.split(/\s+/)[0] || undefined;
    const length = [...(account ?? '')].length;
    if (length > ACCOUNT_MAX_LENGTH) {
      // Slack refuses a modal whose prefilled value is longer than its field: say why instead.
      const t = await texts;
      await ack({ response_type: 'ephemeral', text: t.argumentTooLong(command.command, length) });
      return;
    }
    await ack();
    const t = await texts;
    try {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: resetModal(t, {
          apps: ctx.config.itnio.apps,
          account,
          metadata: { responseUrl: command.response_url, channelId: command.channel_id },
        }),
      });
    } catch (error) {
      ctx.logger.error('could not open the reset modal', { error: slackError(error) });
      await respond({ response_type: 'ephemeral', text: t.unexpectedError });
      return;
    }
    await ctx.directory.warm();
  };
}
