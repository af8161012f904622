import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { statusMessage } from '../../blocks/requests.js';
import type { SlackServices } from '../../services.js';
import { ACCOUNT_MAX_LENGTH } from '../../../domain/account.js';
import { historyText } from '../../blocks/history.js';
import { directoryAnswer } from './directory-command.js';
import { lockoutCommand } from './lockout-command.js';
import { phonesOf } from '../../platform/phone-context.js';
import { openResetForm } from '../../flows/reset-form.js';
import { withinTime } from '../../platform/within-time.js';

/** How many events `/sip-reset history` shows. */
const HISTORY_LENGTH = 15;

/**
 * `/sip-reset [account | status | help | history account | directory | lockout]`: acknowledges at once and opens the modal while the trigger_id is
 * fresh; the slow part (group look-ups) happens after, to have them cached at submission.
 */
export function sipResetCommand(services: SlackServices) {
  return async ({
    ack,
    command,
    client,
    respond,
  }: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    // The person's language may take a users.info (then cached): asked at once, awaited only by
    // an answer that carries text, so the modal's plain ack never waits for it.
    const texts = services.textsFor(command.user_id);
    const argument = command.text.trim();
    const [word = '', ...extra] = argument.split(/\s+/);
    if (/^(help|-h|--help|\?)$/i.test(word)) {
      const t = await texts;
      const text = extra.length ? t.subcommandUsage.help(command.command) : t.help(command.command);
      await ack({ response_type: 'ephemeral', text });
      return;
    }
    if (/^status$/i.test(word)) {
      if (extra.length) {
        await ack({
          response_type: 'ephemeral',
          text: (await texts).subcommandUsage.status(command.command),
        });
        return;
      }
      // Acknowledged first: the database may be slow (a table locked by another connection), and
      // Slack waits 3 s at most.
      await ack();
      const t = await texts;
      const open = await readInTime(services, 'status', async () => {
        const requests = await services.queries.openRequestsOf(command.user_id);
        return { requests, phoneOf: await phonesOf(services.phoneDirectory, requests, services.logger) };
      });
      await respond(
        open
          ? { response_type: 'ephemeral', ...statusMessage(t, { ...open, appLabel: services.appLabel }) }
          : { response_type: 'ephemeral', text: t.statusUnavailable },
      );
      return;
    }
    if (/^history$/i.test(word)) {
      // Acknowledged first: the helpdesk check may look up user groups, the database may be slow,
      // and Slack waits 3 s at most.
      await ack();
      const [account] = extra;
      const t = await texts;
      if (!account || extra.length > 1) {
        await respond({ response_type: 'ephemeral', text: t.history.usage(command.command) });
        return;
      }
      const events = await readInTime(services, 'history', async () => {
        const found = await services.queries.history(command.user_id, account, HISTORY_LENGTH);
        // Looked up only for whom may see the history: the phones of the account in each application.
        const apps = found ? services.config.itnio.apps : [];
        const phoneOf = await phonesOf(
          services.phoneDirectory,
          apps.map((app) => ({ appId: app.appId, account })),
          services.logger,
        );
        const phones = apps.flatMap((app) => {
          const phone = phoneOf({ appId: app.appId, account });
          return phone ? [{ appLabel: app.label, phone }] : [];
        });
        return { found, phones };
      });
      const text = !events
        ? t.history.unavailable
        : events.found
          ? historyText(t, account, events.found, events.phones)
          : t.history.refused;
      await respond({ response_type: 'ephemeral', text });
      return;
    }
    if (/^lockout$/i.test(word)) {
      await lockoutCommand(services, { ack, command, client, respond }, texts, extra);
      return;
    }
    if (/^directory$/i.test(argument)) {
      await ack();
      await respond({ response_type: 'ephemeral', text: await directoryAnswer(services, command.user_id) });
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
    const opened = await openResetForm(services, client, {
      t,
      userId: command.user_id,
      triggerId: command.trigger_id,
      account,
      metadata: { responseUrl: command.response_url, channelId: command.channel_id },
    });
    if (!opened) {
      await respond({ response_type: 'ephemeral', text: t.unexpectedError });
      return;
    }
    await services.directory.warm();
  };
}

/**
 * What `read` answers within the listeners' read limit, or undefined (logged) when it failed or
 * took longer: the person is then told to try again. A read cannot be cancelled; it is only no
 * longer awaited.
 */
async function readInTime<T>(
  services: SlackServices,
  what: string,
  read: () => Promise<T>,
): Promise<T | undefined> {
  return withinTime(read, services.answerReadLimitMs, {
    late: () =>
      services.logger.warn(`the database did not answer ${what} in time`, {
        limitMs: services.answerReadLimitMs,
      }),
    failed: (error) => services.logger.error(`could not read for ${what}`, { error: String(error) }),
  });
}
