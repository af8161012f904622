import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import type { Logger } from '../logging.js';
import { slackError } from './web-api-errors.js';

/** What Slack says of a token that will never work: fixing it is the admin's job, not a retry's. */
const REJECTED = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

export class SlackTokenRejected extends Error {
  override readonly name = 'SlackTokenRejected';
}

export interface BotIdentity {
  botId: string;
  botUserId: string;
}

/**
 * Asks Slack who the bot token belongs to (`auth.test`) before the app says it is running. A
 * rejected token throws SlackTokenRejected, with one line for the admin; an unreachable Slack is
 * asked again, with a line naming the URL each time, until it answers.
 */
export async function verifySlackToken(
  client: WebClient,
  slack: Config['slack'],
  logger: Logger,
  retryDelaysMs: readonly number[] = [1_000, 2_000, 5_000, 10_000, 30_000],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<BotIdentity> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const answer = await client.auth.test();
      return { botId: answer.bot_id ?? '', botUserId: answer.user_id ?? '' };
    } catch (error) {
      const code = slackError(error);
      if (REJECTED.has(code)) {
        throw new SlackTokenRejected(
          `Slack rejected SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token from the app's "OAuth & Permissions" page, reinstalling the app if it was removed.`,
        );
      }
      const wait = retryDelaysMs[Math.min(attempt, retryDelaysMs.length - 1)] ?? 30_000;
      logger.warn(`Slack could not be reached at ${slack.apiUrl}; trying again`, {
        error: code,
        waitMs: wait,
      });
      await sleep(wait);
    }
  }
}

/**
 * Warns, in one line, when approvals cannot be posted: the channel does not exist (or the bot
 * cannot see it), or the bot is not in it. Start-up goes on: helpdesk and owners can still reset.
 */
export async function checkApprovalChannel(client: WebClient, config: Config, logger: Logger): Promise<void> {
  const channel = config.approvalChannel;
  if (!channel) return;
  try {
    const info = await client.conversations.info({ channel });
    if (info.channel?.is_archived) {
      logger.warn(
        `SIP_RESET_APPROVAL_CHANNEL ${channel} is archived: approval requests cannot be posted there`,
      );
    } else if (info.channel?.is_member === false) {
      logger.warn(
        `the bot is not in SIP_RESET_APPROVAL_CHANNEL ${channel}: type /invite @sip-reset in that channel, or approval requests cannot be posted`,
      );
    }
  } catch (error) {
    const code = slackError(error);
    logger.warn(
      code === 'channel_not_found'
        ? `SIP_RESET_APPROVAL_CHANNEL ${channel} was not found, or it is private and the bot is not in it: check the ID and invite @sip-reset`
        : `could not check SIP_RESET_APPROVAL_CHANNEL ${channel} (${code})`,
    );
  }
}
