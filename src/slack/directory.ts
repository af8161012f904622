import type { WebClient } from '@slack/web-api';
import type { Principal } from '../domain/policy.js';
import type { PrincipalResolver } from '../domain/ports.js';
import type { Logger } from '../domain/logger.js';
import { slackError } from './web-api-errors.js';

interface CachedGroup {
  members: ReadonlySet<string>;
  fetchedAt: number;
}

/**
 * Resolves who belongs to the configured user groups, with `usergroups.users.list` (Tier 2, so
 * cached). A failed look-up keeps the last known members; with none known, nobody is a member.
 * A look-up that takes longer than `answerWithinMs` is answered the same way (and finishes in the
 * background), because a modal submission must be acknowledged within 3 s; failing closed only
 * sends a helpdesk agent through approval.
 */
export class SlackDirectory implements PrincipalResolver {
  private readonly cache = new Map<string, CachedGroup>();
  private readonly inFlight = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    private readonly client: WebClient,
    private readonly groupIds: readonly string[],
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly ttlMs = 5 * 60_000,
    private readonly answerWithinMs = 1_500,
  ) {}

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

  private members(groupId: string, timeBoxed = true): Promise<ReadonlySet<string>> {
    const cached = this.cache.get(groupId);
    if (cached && this.now() - cached.fetchedAt < this.ttlMs) return Promise.resolve(cached.members);
    const pending = this.inFlight.get(groupId);
    if (pending) return timeBoxed ? this.within(pending, cached) : pending;
    const load = this.fetch(groupId, cached).finally(() => this.inFlight.delete(groupId));
    this.inFlight.set(groupId, load);
    return timeBoxed ? this.within(load, cached) : load;
  }

  private within(
    load: Promise<ReadonlySet<string>>,
    stale: CachedGroup | undefined,
  ): Promise<ReadonlySet<string>> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<ReadonlySet<string>>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn('user group look-up is slow: answering from what is known');
        resolve(stale?.members ?? new Set());
      }, this.answerWithinMs);
    });
    return Promise.race([load, late]).finally(() => clearTimeout(timer));
  }

  private async fetch(groupId: string, stale: CachedGroup | undefined): Promise<ReadonlySet<string>> {
    try {
      const result = await this.client.usergroups.users.list({ usergroup: groupId });
      const members = new Set(result.users ?? []);
      this.cache.set(groupId, { members, fetchedAt: this.now() });
      return members;
    } catch (error) {
      this.logger.warn('could not list user group members', { groupId, error: slackError(error) });
      return stale?.members ?? new Set();
    }
  }
}
