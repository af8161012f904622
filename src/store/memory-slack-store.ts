import type {
  LockoutMessageRef,
  MessageRef,
  RequestMessageRefs,
  SlackStore,
} from '../slack/platform/slack-store.js';

/** The Slack side's tables in memory: shared by the stores of one MemoryDatabase, as instances share one. */
export class MemorySlackTables {
  readonly requestMessages = new Map<string, RequestMessageRefs>();
  readonly homeViewers = new Map<string, number>();
  readonly lockoutMessages = new Map<string, LockoutMessageRef>();
  readonly lockoutSummariesSettled = new Map<string, number>();
}

/** The Slack side's own tables in memory, with the SQL ones' behaviour (the same contract tests pass on both). */
export class MemorySlackStore implements SlackStore {
  constructor(private readonly tables: MemorySlackTables) {}

  async saveMessageRef(requestId: string, kind: keyof RequestMessageRefs, ref: MessageRef): Promise<void> {
    const refs = this.tables.requestMessages.get(requestId) ?? {};
    this.tables.requestMessages.set(requestId, { ...refs, [kind]: { ...ref } });
  }

  async messageRefsOf(requestId: string): Promise<RequestMessageRefs> {
    const { approval, grant } = this.tables.requestMessages.get(requestId) ?? {};
    return { ...(approval ? { approval: { ...approval } } : {}), ...(grant ? { grant: { ...grant } } : {}) };
  }

  async saveLockoutMessage(campaignId: string, ref: LockoutMessageRef): Promise<void> {
    this.tables.lockoutMessages.set(campaignId, { ...ref });
  }

  async lockoutMessageOf(campaignId: string): Promise<LockoutMessageRef | undefined> {
    const ref = this.tables.lockoutMessages.get(campaignId);
    return ref && { ...ref };
  }

  async settleLockoutSummary(campaignId: string, at: number): Promise<void> {
    if (!this.tables.lockoutMessages.has(campaignId) || this.tables.lockoutSummariesSettled.has(campaignId))
      return;
    this.tables.lockoutSummariesSettled.set(campaignId, at);
  }

  async unsettledLockoutSummaries(): Promise<Array<{ campaignId: string; ref: LockoutMessageRef }>> {
    return [...this.tables.lockoutMessages]
      .filter(([campaignId]) => !this.tables.lockoutSummariesSettled.has(campaignId))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([campaignId, ref]) => ({ campaignId, ref: { ...ref } }));
  }

  async rememberHomeViewer(userId: string, at: number): Promise<void> {
    this.tables.homeViewers.set(userId, at);
  }

  async homeViewersSince(since: number, limit: number): Promise<string[]> {
    return [...this.tables.homeViewers]
      .filter(([, openedAt]) => openedAt >= since)
      .sort(([, a], [, b]) => b - a)
      .slice(0, limit)
      .map(([userId]) => userId);
  }

  async pruneHomeViewers(before: number): Promise<number> {
    let removed = 0;
    for (const [userId, openedAt] of this.tables.homeViewers) {
      if (openedAt < before && this.tables.homeViewers.delete(userId)) removed += 1;
    }
    return removed;
  }
}
