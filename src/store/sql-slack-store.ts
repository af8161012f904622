import type { Kysely } from 'kysely';
import type {
  LockoutMessageRef,
  MessageRef,
  RequestMessageRefs,
  SlackStore,
} from '../slack/platform/slack-store.js';
import { read } from './sql-connection.js';

/** The Slack side's tables, as Kysely sees them through CamelCasePlugin. */
export interface SlackTables {
  slackRequestMessages: {
    requestId: string;
    approvalChannel: string | null;
    approvalTs: string | null;
    grantChannel: string | null;
    grantTs: string | null;
  };
  homeViewers: { userId: string; openedAt: number };
  slackLockoutMessages: LockoutMessageRef & { campaignId: string; summarySettledAt: number | null };
}

/** The Slack side's own tables over SQL, on the store's connection (SQLite or PostgreSQL). */
export class SqlSlackStore implements SlackStore {
  constructor(private readonly db: Kysely<SlackTables>) {}

  async saveMessageRef(requestId: string, kind: keyof RequestMessageRefs, ref: MessageRef): Promise<void> {
    const values =
      kind === 'approval'
        ? { approvalChannel: ref.channel, approvalTs: ref.ts }
        : { grantChannel: ref.channel, grantTs: ref.ts };
    await this.db
      .insertInto('slackRequestMessages')
      .values({ requestId, ...values })
      .onConflict((oc) => oc.column('requestId').doUpdateSet(values))
      .execute();
  }

  async messageRefsOf(requestId: string): Promise<RequestMessageRefs> {
    const row = await read(() =>
      this.db
        .selectFrom('slackRequestMessages')
        .selectAll()
        .where('requestId', '=', requestId)
        .executeTakeFirst(),
    );
    const refs: RequestMessageRefs = {};
    if (row?.approvalChannel && row.approvalTs)
      refs.approval = { channel: row.approvalChannel, ts: row.approvalTs };
    if (row?.grantChannel && row.grantTs) refs.grant = { channel: row.grantChannel, ts: row.grantTs };
    return refs;
  }

  async saveLockoutMessage(campaignId: string, ref: LockoutMessageRef): Promise<void> {
    await this.db
      .insertInto('slackLockoutMessages')
      .values({ campaignId, ...ref })
      .onConflict((oc) => oc.column('campaignId').doUpdateSet({ ...ref }))
      .execute();
  }

  async lockoutMessageOf(campaignId: string): Promise<LockoutMessageRef | undefined> {
    const row = await read(() =>
      this.db
        .selectFrom('slackLockoutMessages')
        .select(['kind', 'channel', 'ts'])
        .where('campaignId', '=', campaignId)
        .executeTakeFirst(),
    );
    return row;
  }

  async settleLockoutSummary(campaignId: string, at: number): Promise<void> {
    await this.db
      .updateTable('slackLockoutMessages')
      .set({ summarySettledAt: at })
      .where('campaignId', '=', campaignId)
      .where('summarySettledAt', 'is', null)
      .execute();
  }

  async unsettledLockoutSummaries(): Promise<Array<{ campaignId: string; ref: LockoutMessageRef }>> {
    const rows = await read(() =>
      this.db
        .selectFrom('slackLockoutMessages')
        .select(['campaignId', 'kind', 'channel', 'ts'])
        .where('summarySettledAt', 'is', null)
        .orderBy('campaignId')
        .execute(),
    );
    return rows.map(({ campaignId, ...ref }) => ({ campaignId, ref }));
  }

  async rememberHomeViewer(userId: string, at: number): Promise<void> {
    await this.db
      .insertInto('homeViewers')
      .values({ userId, openedAt: at })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ openedAt: at }))
      .execute();
  }

  async homeViewersSince(since: number, limit: number): Promise<string[]> {
    const rows = await read(() =>
      this.db
        .selectFrom('homeViewers')
        .select('userId')
        .where('openedAt', '>=', since)
        .orderBy('openedAt', 'desc')
        .limit(limit)
        .execute(),
    );
    return rows.map((row) => row.userId);
  }

  async pruneHomeViewers(before: number): Promise<number> {
    const { numDeletedRows } = await this.db
      .deleteFrom('homeViewers')
      .where('openedAt', '<', before)
      .executeTakeFirst();
    return Number(numDeletedRows);
  }
}
