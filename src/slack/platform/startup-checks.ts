import type { WebClient } from '@slack/web-api';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../domain/logger.js';
import { slackAnswer, slackError, unansweredCause } from './web-api-errors.js';

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

/**
 * Slack did not say who the token belongs to, for a reason that is not the token's (no answer, a
 * rate limit, its own fault), and no retry was asked for (`npm run doctor` asks once).
 */
export class SlackUnavailable extends Error {
  override readonly name = 'SlackUnavailable';
}

export interface BotIdentity {
  botId: string;
  botUserId: string;
}

/** Who the bot token belongs to, as `auth.test` answers. */
export interface TokenOwner extends BotIdentity {
  teamId: string;
  /** On Enterprise Grid. */
  enterpriseId: string | undefined;
  /** Installed for the whole organisation. */
  enterpriseInstall: boolean;
  /** The app the bot belongs to: `auth.test`'s `app_id` when it gives one, else `bots.info`'s. */
  appId: string | undefined;
  team: string | undefined;
  /** The bot user's name. */
  user: string | undefined;
  /** The scopes Slack says the token was granted (its `x-oauth-scopes` header), when it says. */
  scopes: string[] | undefined;
}

/**
 * Asks Slack who the bot token belongs to (`auth.test`) before the app says it is running. A
 * rejected token throws SlackTokenRejected, with one line for the admin; an unreachable Slack, or
 * one answering another error (`ratelimited`, `fatal_error`, HTTP 503), is asked again, with a line
 * naming the URL each time, until it answers, or, with no retry delays, throws SlackUnavailable
 * saying which of the two it was.
 */
export async function verifySlackToken(
  client: WebClient,
  slack: Config['slack'],
  logger: Logger,
  retryDelaysMs: readonly number[] = [1_000, 2_000, 5_000, 10_000, 30_000],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<TokenOwner> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const answer = await client.auth.test();
      return {
        botId: answer.bot_id ?? '',
        botUserId: answer.user_id ?? '',
        teamId: answer.team_id ?? '',
        enterpriseId: answer.enterprise_id || undefined,
        enterpriseInstall: answer.is_enterprise_install === true,
        appId: answer.app_id ?? (answer.bot_id ? await appOfBot(client, answer.bot_id, logger) : undefined),
        team: answer.team,
        user: answer.user,
        scopes: answer.response_metadata?.scopes,
      };
    } catch (error) {
      const code = slackError(error);
      if (REJECTED.has(code)) {
        throw new SlackTokenRejected(
          `Slack rejected SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token from the app's "OAuth & Permissions" page, reinstalling the app if it was removed.`,
        );
      }
      const answered = slackAnswer(error);
      const wait = retryDelaysMs[Math.min(attempt, retryDelaysMs.length - 1)];
      if (wait === undefined) {
        throw new SlackUnavailable(
          answered
            ? `Slack answered ${answered} at ${slack.apiUrl}, so the token could not be checked: try again in a minute`
            : `Slack could not be reached at ${slack.apiUrl} (${unansweredCause(error)})`,
        );
      }
      const what = answered ? `Slack answered ${answered} at` : 'Slack could not be reached at';
      logger.warn(`${what} ${slack.apiUrl}; trying again`, {
        error: code,
        waitMs: wait,
      });
      await sleep(wait);
    }
  }
}

/**
 * The app a bot belongs to (`bots.info`, users:read): Slack documents no app ID in `auth.test`'s
 * answer for a bot token. Unknown when Slack will not say; requests are then not checked for their app.
 */
async function appOfBot(client: WebClient, botId: string, logger: Logger): Promise<string | undefined> {
  try {
    const { bot } = await client.bots.info({ bot: botId });
    return bot?.app_id;
  } catch (error) {
    logger.warn('could not learn the app ID from bots.info: requests are not checked for their app', {
      error: slackError(error),
    });
    return undefined;
  }
}

export type ChannelCheck = { ok: true; name: string | undefined } | { ok: false; problem: string };

/** A channel the app posts in: the variable that names it, and what would not be posted there. */
interface PostingChannel {
  variable: string;
  posts: string;
}

const APPROVAL_CHANNEL: PostingChannel = {
  variable: 'SIP_RESET_APPROVAL_CHANNEL',
  posts: 'approval requests',
};
const AUDIT_CHANNEL: PostingChannel = {
  variable: 'SIP_RESET_AUDIT_CHANNEL',
  posts: 'final outcomes and audit checkpoints',
};

/**
 * Whether the app can post in a channel: it exists (and the bot can see it), is not archived, and
 * has the bot in it; else what is wrong, in one line for the admin.
 */
async function postingChannelCheck(
  client: WebClient,
  channel: string,
  { variable, posts }: PostingChannel,
): Promise<ChannelCheck> {
  try {
    const info = await client.conversations.info({ channel });
    if (info.channel?.is_archived) {
      return {
        ok: false,
        problem: `${variable} ${channel} is archived: ${posts} cannot be posted there`,
      };
    }
    if (info.channel?.is_member === false) {
      return {
        ok: false,
        problem: `the bot is not in ${variable} ${channel}: type /invite @sip-reset in that channel, or ${posts} cannot be posted`,
      };
    }
    return { ok: true, name: info.channel?.name };
  } catch (error) {
    const code = slackError(error);
    return {
      ok: false,
      problem:
        code === 'channel_not_found'
          ? `${variable} ${channel} was not found, or it is private and the bot is not in it: check the ID and invite @sip-reset`
          : `could not check ${variable} ${channel} (${code})`,
    };
  }
}

/** Whether approvals can be posted in a channel (see postingChannelCheck). */
export function approvalChannelCheck(client: WebClient, channel: string): Promise<ChannelCheck> {
  return postingChannelCheck(client, channel, APPROVAL_CHANNEL);
}

/** Whether the audit channel's lines and checkpoints can be posted in a channel (see postingChannelCheck). */
export function auditChannelCheck(client: WebClient, channel: string): Promise<ChannelCheck> {
  return postingChannelCheck(client, channel, AUDIT_CHANNEL);
}

/**
 * Warns, in one line, when approvals cannot be posted: the channel does not exist (or the bot
 * cannot see it), or the bot is not in it. Start-up goes on: helpdesk and owners can still reset.
 */
export async function checkApprovalChannel(client: WebClient, config: Config, logger: Logger): Promise<void> {
  if (!config.approvalChannel) return;
  const check = await approvalChannelCheck(client, config.approvalChannel);
  if (!check.ok) logger.warn(check.problem);
}

/**
 * Warns, in one line, when the audit channel's lines cannot be posted. Start-up goes on: the log
 * still carries every checkpoint.
 */
export async function checkAuditChannel(client: WebClient, config: Config, logger: Logger): Promise<void> {
  if (!config.auditChannel) return;
  const check = await auditChannelCheck(client, config.auditChannel);
  if (!check.ok) logger.warn(check.problem);
}

export type GroupCheck = { ok: true; members: number } | { ok: false; problem: string };

/**
 * Whether a configured user group resolves and has members: a group with none lets nobody in,
 * silently, as a look-up that fails does (see SlackDirectory).
 */
export async function userGroupCheck(client: WebClient, groupId: string): Promise<GroupCheck> {
  try {
    const { users } = await client.usergroups.users.list({ usergroup: groupId });
    const members = users?.length ?? 0;
    return members > 0
      ? { ok: true, members }
      : { ok: false, problem: `${groupId} has no members: nobody gets the rights it stands for` };
  } catch (error) {
    return {
      ok: false,
      problem: `${groupId} could not be listed (${slackError(error)}): check its ID (S…, from the group's link)`,
    };
  }
}

/** What Slack says of the users of a list (the owners file), for the doctor. */
export interface UsersCheck {
  /** Users Slack does not know, each with its word for it (`user_not_found`, `user_not_visible`). */
  unknown: Array<{ userId: string; error: string }>;
  /** Users Slack knows as deactivated (`user.deleted`): they can no longer use the app. */
  deactivated: string[];
  /**
   * Set when Slack could not say of one (a rate limit, a timeout, its own fault): the user it
   * stopped at, why, and how many were left unchecked, that one included. Nothing is then known
   * of them, so nothing is said of them.
   */
  incomplete?: { userId: string; why: string; unchecked: number };
}

/** Slack's answers that are a verdict on the user, not a failure to look them up. */
const NOT_A_USER = new Set(['user_not_found', 'user_not_visible']);

/** Looks up each user of a list, in order, and says which Slack does not know or knows as deactivated. */
export async function checkUsers(client: WebClient, userIds: readonly string[]): Promise<UsersCheck> {
  const check: UsersCheck = { unknown: [], deactivated: [] };
  // One at a time: users.info is Tier 4, and an owners file may name many people.
  for (const [index, userId] of userIds.entries()) {
    try {
      const { user } = await client.users.info({ user: userId });
      if (user?.deleted) check.deactivated.push(userId);
    } catch (error) {
      const answered = slackAnswer(error);
      if (answered && NOT_A_USER.has(answered)) {
        check.unknown.push({ userId, error: answered });
        continue;
      }
      // Stopped here: after a rate limit the next ones would be refused too, and would prolong it.
      const why = answered ? `Slack answered ${answered}` : `Slack did not answer: ${unansweredCause(error)}`;
      check.incomplete = { userId, why, unchecked: userIds.length - index };
      break;
    }
  }
  return check;
}
