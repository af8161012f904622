import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { AuditCheckpoint, AuditNote, AuditRecord } from '../domain/audit.js';
import { DuplicateSubmission, OpenRequestExists } from '../domain/errors.js';
import { OPEN_STATUSES, type RequestStatus } from '../domain/lifecycle.js';
import type { PageKey, PruneLimits, Store } from '../domain/ports.js';
import {
  newRecord,
  type Approval,
  type ApprovalResult,
  type NewRequest,
  type RequestChanges,
  type ResetRequest,
} from '../domain/request.js';
import type { Verdict } from './audit-chain.js';
import { SqlDirectoryStore, type DirectoryTables } from './directory-store.js';
import { storeKind } from './kind.js';
import { migrateToLatest, pendingMigrations } from './migrations.js';
import { kysely } from './modules.js';
import { SqlAuditTrail } from './sql-audit-trail.js';
import { SqlSlackStore, type SlackTables } from './sql-slack-store.js';
import { SqlLockouts } from './sql-lockout-store.js';
import type { ItemChanges, ItemState, LockoutCampaign, LockoutItem, NotToldCode } from '../domain/lockout.js';
import type { Lease } from '../domain/use-cases/lockouts.js';
import {
  isUniqueViolation,
  openDatabase,
  read,
  REQUEST_COLUMNS,
  type Database,
  type SqlStoreOptions,
} from './sql-connection.js';

const { sql } = kysely;

/**
 * The rows of a list after `after` in its order (its time, then its ID): a seek along the list's
 * index, on both databases, however far back the page is (OFFSET would read and drop every row
 * before it).
 */
function seekFrom<O>(
  query: SelectQueryBuilder<Database, 'resetRequests', O>,
  column: 'createdAt' | 'decidedAt' | 'finishedAt',
  direction: '<' | '>',
  after: PageKey | undefined,
): SelectQueryBuilder<Database, 'resetRequests', O> {
  if (!after) return query;
  return query.where((eb) => eb(eb.refTuple(column, 'id'), direction, eb.tuple(after.at, after.id)));
}

/**
 * A request's approvals in the order they were given (the approver's ID breaking ties): sorted here,
 * as they are a handful, read by the primary key's seek without a sort in the database.
 */
function inApprovalOrder(approvals: Approval[]): Approval[] {
  return approvals.sort((a, b) => a.at - b.at || (a.approverId < b.approverId ? -1 : 1));
}

/** The store over SQL, one implementation for SQLite and PostgreSQL through Kysely. */
export class SqlStore implements Store {
  private readonly db: Kysely<Database>;
  private readonly allClosed: () => Promise<void>;
  private readonly trail: SqlAuditTrail;
  private readonly lockouts: SqlLockouts;

  constructor(databaseUrl: string, options: SqlStoreOptions = {}) {
    ({ db: this.db, allClosed: this.allClosed } = openDatabase(databaseUrl, options));
    this.trail = new SqlAuditTrail(
      this.db,
      storeKind(databaseUrl) === 'postgres',
      options.logger,
      options.auditPageRows,
    );
    this.lockouts = new SqlLockouts(this.db, this.trail);
  }

  /** The phone directory's tables, on this store's connection. */
  phoneDirectory(): SqlDirectoryStore {
    return new SqlDirectoryStore(this.db as unknown as Kysely<DirectoryTables>);
  }

  /** The Slack side's tables (its messages, its Home viewers), on this store's connection. */
  slackStore(): SqlSlackStore {
    return new SqlSlackStore(this.db as unknown as Kysely<SlackTables>);
  }

  migrate(): Promise<void> {
    return migrateToLatest(this.db);
  }

  /** The migrations this database has not had yet, by name, found without applying any. */
  pendingMigrations(): Promise<string[]> {
    return pendingMigrations(this.db);
  }

  async createRequest(request: NewRequest, audit?: AuditNote): Promise<ResetRequest> {
    const row = newRecord(request);
    try {
      await this.trail.audited(async (trx, queue) => {
        await trx.insertInto('resetRequests').values(row).execute();
        if (audit) queue(row, audit, row.createdAt);
      });
      return row;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (request.submissionId) {
        const first = await this.db
          .selectFrom('resetRequests')
          .select(REQUEST_COLUMNS)
          .where('submissionId', '=', request.submissionId)
          .executeTakeFirst();
        if (first) throw new DuplicateSubmission(first);
      }
      const existing = await this.findOpenRequest(request.account, request.appId);
      if (!existing) throw error;
      throw new OpenRequestExists(existing);
    }
  }

  createCampaign(campaign: LockoutCampaign, items: readonly LockoutItem[]): Promise<void> {
    return this.lockouts.createCampaign(campaign, items);
  }

  getCampaign(id: string): Promise<LockoutCampaign | undefined> {
    return this.lockouts.getCampaign(id);
  }

  listItems(campaignId: string): Promise<LockoutItem[]> {
    return this.lockouts.listItems(campaignId);
  }

  startCampaign(
    id: string,
    agentId: string,
    at: number,
    lease: Lease,
    audit: AuditNote,
  ): Promise<LockoutCampaign | undefined> {
    return this.lockouts.startCampaign(id, agentId, at, lease, audit);
  }

  stopCampaign(id: string, by: string, at: number, audit: AuditNote): Promise<LockoutCampaign | undefined> {
    return this.lockouts.stopCampaign(id, by, at, audit);
  }

  takeLease(id: string, at: number, lease: Lease): Promise<boolean> {
    return this.lockouts.takeLease(id, at, lease);
  }

  releaseLease(id: string, owner: string, at: number): Promise<void> {
    return this.lockouts.releaseLease(id, owner, at);
  }

  listUnattended(at: number): Promise<LockoutCampaign[]> {
    return this.lockouts.listUnattended(at);
  }

  nextQueued(campaignId: string): Promise<LockoutItem | undefined> {
    return this.lockouts.nextQueued(campaignId);
  }

  moveItem(
    campaignId: string,
    seq: number,
    from: readonly ItemState[],
    to: ItemState,
    at: number,
    changes?: ItemChanges,
    audit?: AuditNote,
  ): Promise<LockoutItem | undefined> {
    return this.lockouts.moveItem(campaignId, seq, from, to, at, changes, audit);
  }

  markTold(campaignId: string, seq: number, at: number, notTold: NotToldCode | null): Promise<boolean> {
    return this.lockouts.markTold(campaignId, seq, at, notTold);
  }

  endCampaign(id: string, at: number): Promise<LockoutCampaign | undefined> {
    return this.lockouts.endCampaign(id, at);
  }

  expireDrafts(at: number): Promise<number> {
    return this.lockouts.expireDrafts(at);
  }

  async getRequest(id: string): Promise<ResetRequest | undefined> {
    return read(() =>
      this.db.selectFrom('resetRequests').select(REQUEST_COLUMNS).where('id', '=', id).executeTakeFirst(),
    );
  }

  async findOpenRequest(account: string, appId: string): Promise<ResetRequest | undefined> {
    return read(() =>
      this.db
        .selectFrom('resetRequests')
        .select(REQUEST_COLUMNS)
        .where('account', '=', account)
        .where('appId', '=', appId)
        .where('status', 'in', [...OPEN_STATUSES])
        .executeTakeFirst(),
    );
  }

  async countRequestsSince(requesterId: string, since: number): Promise<number> {
    const { count } = await read(() =>
      this.db
        .selectFrom('resetRequests')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('requesterId', '=', requesterId)
        .where('createdAt', '>=', since)
        .executeTakeFirstOrThrow(),
    );
    return Number(count);
  }

  async transition(
    id: string,
    from: readonly RequestStatus[],
    to: RequestStatus,
    at: number,
    changes: RequestChanges = {},
    audit?: AuditNote,
  ): Promise<ResetRequest | undefined> {
    return this.trail.audited(async (trx, queue) => {
      const row = await trx
        .updateTable('resetRequests')
        .set({ ...changes, status: to, updatedAt: at })
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .returning(REQUEST_COLUMNS)
        .executeTakeFirst();
      if (row && audit) queue(row, audit, at);
      return row;
    });
  }

  async markAnnounced(id: string, at: number): Promise<ResetRequest | undefined> {
    return this.db
      .updateTable('resetRequests')
      .set({ announcedAt: at, updatedAt: at })
      .where('id', '=', id)
      .returning(REQUEST_COLUMNS)
      .executeTakeFirst();
  }

  async addApproval(
    id: string,
    approverId: string,
    at: number,
    grantExpiresAt: number,
  ): Promise<ApprovalResult | undefined> {
    return this.trail.audited(async (trx, queue) => {
      // Touching the row first takes its lock (PostgreSQL) so concurrent approvers count one at a time.
      const locked = await trx
        .updateTable('resetRequests')
        .set({ updatedAt: at })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .returning(REQUEST_COLUMNS)
        .executeTakeFirst();
      if (!locked) return undefined;
      const inserted = await trx
        .insertInto('requestApprovals')
        .values({ requestId: id, approverId, at })
        .onConflict((oc) => oc.columns(['requestId', 'approverId']).doNothing())
        .executeTakeFirst();
      const counted = Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
      if (counted) {
        queue(locked, { type: 'approval_counted', actor: approverId }, at);
      }
      const approvals = inApprovalOrder(
        await trx.selectFrom('requestApprovals').selectAll().where('requestId', '=', id).execute(),
      );
      let request = locked;
      if (approvals.length >= locked.requiredApprovals) {
        const approved = await trx
          .updateTable('resetRequests')
          .set({ status: 'approved', decidedAt: at, decidedBy: approverId, grantExpiresAt, updatedAt: at })
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .returning(REQUEST_COLUMNS)
          .executeTakeFirstOrThrow();
        request = approved;
        queue(approved, { type: 'approved', actor: approverId }, at);
      }
      return { request, counted, approvals };
    });
  }

  listApprovals(id: string): Promise<Approval[]> {
    return read(() =>
      this.db.selectFrom('requestApprovals').selectAll().where('requestId', '=', id).execute(),
    ).then(inApprovalOrder);
  }

  async listReminderDue(now: number): Promise<ResetRequest[]> {
    return read(() =>
      this.db
        .selectFrom('resetRequests')
        .select(REQUEST_COLUMNS)
        .where('status', '=', 'pending')
        .where('remindedAt', 'is', null)
        .where('announcedAt', 'is not', null)
        // Half-way: created + (expires - created) / 2 <= now, in integers.
        .where(sql<boolean>`created_at + expires_at <= ${2 * now}`)
        .orderBy('createdAt')
        .execute(),
    );
  }

  async markReminded(id: string, at: number): Promise<ResetRequest | undefined> {
    return this.db
      .updateTable('resetRequests')
      .set({ remindedAt: at })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('remindedAt', 'is', null)
      .returning(REQUEST_COLUMNS)
      .executeTakeFirst();
  }

  async listDue(now: number): Promise<ResetRequest[]> {
    // Two seeks, one along each deadline's index, in one statement (an OR of the two would make
    // SQLite merge two index reads and sort them); the few due rows are put in order here.
    const due = await read(() =>
      this.db
        .selectFrom('resetRequests')
        .select(REQUEST_COLUMNS)
        .where('status', '=', 'pending')
        .where('expiresAt', '<=', now)
        .unionAll(
          this.db
            .selectFrom('resetRequests')
            .select(REQUEST_COLUMNS)
            .where('status', '=', 'approved')
            .where('grantExpiresAt', '<=', now),
        )
        .execute(),
    );
    return due.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  async listByStatus(status: RequestStatus): Promise<ResetRequest[]> {
    return read(() =>
      this.db
        .selectFrom('resetRequests')
        .select(REQUEST_COLUMNS)
        .where('status', '=', status)
        .orderBy('createdAt')
        .execute(),
    );
  }

  async listByRequester(requesterId: string, limit: number, after?: PageKey): Promise<ResetRequest[]> {
    return read(() =>
      this.db
        .selectFrom('resetRequests')
        .select(REQUEST_COLUMNS)
        .where('requesterId', '=', requesterId)
        .$call((q) => seekFrom(q, 'createdAt', '<', after))
        // The ID breaks ties, so that pages neither repeat nor skip a request made in the same ms.
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),
    );
  }

  async listPending(limit: number, after?: PageKey): Promise<ResetRequest[]> {
    return read(() =>
      this.db
        .selectFrom('resetRequests')
        .select(REQUEST_COLUMNS)
        .where('status', '=', 'pending')
        .$call((q) => seekFrom(q, 'createdAt', '>', after))
        .orderBy('createdAt')
        .orderBy('id')
        .limit(limit)
        .execute(),
    );
  }

  async listDecided(limit: number, after?: PageKey): Promise<ResetRequest[]> {
    return read(() =>
      this.db
        .selectFrom('resetRequests')
        .select(REQUEST_COLUMNS)
        .where('decidedBy', 'is not', null)
        // Set with decidedBy, always: said so that SQLite seeks along the index's time, not scans it.
        .where('decidedAt', 'is not', null)
        .$call((q) => seekFrom(q, 'decidedAt', '<', after))
        .orderBy('decidedAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),
    );
  }

  async listFinished(limit: number, after?: PageKey): Promise<ResetRequest[]> {
    return read(() =>
      this.db
        .selectFrom('resetRequests')
        .select(REQUEST_COLUMNS)
        // Set once the vendor answered or the reset ended: the partial index's own condition.
        .where('finishedAt', 'is not', null)
        .$call((q) => seekFrom(q, 'finishedAt', '<', after))
        .orderBy('finishedAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),
    );
  }

  async appendAudit(requestId: string, note: AuditNote, at: number): Promise<void> {
    await this.trail.audited(async (trx, queue) => {
      const request = await trx
        .selectFrom('resetRequests')
        .select(['id', 'account', 'appId'])
        .where('id', '=', requestId)
        .executeTakeFirst();
      queue(request ?? { id: requestId, account: '', appId: '' }, note, at);
    });
  }

  auditOf(account: string, limit: number): Promise<AuditRecord[]> {
    return this.trail.auditOf(account, limit);
  }

  pruneAudit(before: number, limits?: PruneLimits): Promise<number> {
    return this.trail.pruneAudit(before, limits);
  }

  auditHead(): Promise<AuditCheckpoint> {
    return this.trail.auditHead();
  }

  claimAuditCheckpoint(day: string, at: number, leaseMs: number): Promise<boolean> {
    return this.trail.claimAuditCheckpoint(day, at, leaseMs);
  }

  settleAuditCheckpoint(day: string, at: number, posted: boolean): Promise<void> {
    return this.trail.settleAuditCheckpoint(day, at, posted);
  }

  /** See SqlAuditTrail.verifyAudit: for `npm run audit -- verify`. */
  verifyAudit(checkpoints?: Parameters<SqlAuditTrail['verifyAudit']>[0]): Promise<Verdict> {
    return this.trail.verifyAudit(checkpoints);
  }

  /** See SqlAuditTrail.auditRows: for `npm run audit -- export`. */
  auditRows(range?: Parameters<SqlAuditTrail['auditRows']>[0]): AsyncGenerator<AuditRecord> {
    return this.trail.auditRows(range);
  }

  async countByStatus(statuses: readonly RequestStatus[]): Promise<Record<string, number>> {
    const rows = await read(() =>
      this.db
        .selectFrom('resetRequests')
        .select((eb) => ['status', eb.fn.countAll<number | string>().as('count')])
        .where('status', 'in', [...statuses])
        .groupBy('status')
        .execute(),
    );
    const counts: Record<string, number> = Object.fromEntries(statuses.map((status) => [status, 0]));
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  /** Closes every connection, and settles only once the database has seen each one end. */
  async close(): Promise<void> {
    await this.db.destroy();
    await this.allClosed();
  }
}
