import type { WebClient } from '@slack/web-api';
import type { Principal } from '../../domain/policy.js';
import type { PrincipalResolver } from '../../domain/ports.js';
import type { Logger } from '../../domain/logger.js';
import { TimeBoxedCache } from './time-boxed-cache.js';
import { slackError } from './web-api-errors.js';

/**
 * Resolves who belongs to the configured user groups, with `usergroups.users.list` (Tier 2, so
 * cached). A failed look-up keeps the last known members; with none known, nobody is a member.
 * A look-up that takes longer than `answerWithinMs` is answered the same way (and finishes in the
 * background), because a modal submission must be acknowledged within 3 s; failing closed only
 * sends a helpdesk agent through approval.
 */
export class SlackDirectory implements PrincipalResolver {
  private readonly groups: TimeBoxedCache<string, ReadonlySet<string>>;

  constructor(
    client: WebClient,
    private readonly groupIds: readonly string[],
    logger: Logger,
    now: () => number,
    ttlMs = 5 * 60_000,
    answerWithinMs = 1_500,
  ) {
    this.groups = new TimeBoxedCache<string, ReadonlySet<string>>({
      load: async (groupId) => new Set((await client.usergroups.users.list({ usergroup: groupId })).users),
      ttlMs,
      maxEntries: Math.max(1, groupIds.length),
      answerWithinMs,
      now,
      slow: () => logger.warn('user group look-up is slow: answering from what is known'),
      failed: (groupId, error) =>
        logger.warn('could not list user group members', { groupId, error: slackError(error) }),
    });
  }

  async resolve(userId: string): Promise<Principal> {
    const memberships = await Promise.all(
      this.groupIds.map(async (groupId) => ((await this.members(groupId)).has(userId) ? groupId : undefined)),
    );
    return { userId, groupIds: memberships.filter((id): id is string => id !== undefined) };
  }

  /**
   * Loads every group not fresh in the cache, so a later resolve() answers from memory. It runs
   * after the acknowledgement, so it waits for the real answer, bounded only by the Web API timeout.
   */
  async warm(): Promise<void> {
    await Promise.all(this.groupIds.map((groupId) => this.members(groupId, false)));
  }

  private async members(groupId: string, timeBoxed = true): Promise<ReadonlySet<string>> {
    return (await this.groups.get(groupId, { timeBoxed })) ?? new Set();
  }
}
