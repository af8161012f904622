import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations.js';
import {
  OPEN_STATUSES,
  OpenRequestExists,
  newRecord,
  type Approval,
  type ApprovalResult,
  type NewRequest,
  type RequestChanges,
  type RequestStatus,
  type ResetRequest,
  type Store,
  storeKind,
} from './types.js';

/** The tables, as Kysely sees them through CamelCasePlugin: rows are the store's own types. */
interface Database {
  resetRequests: ResetRequest;
  requestApprovals: Approval;
}

function sqlitePath(databaseUrl: string): string {
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return path;
}

const INT8_OID = 20;

interface Opened {
  db: Kysely<Database>;
  /** Settles once every connection the store opened is closed on the server's side too. */
  allClosed(): Promise<void>;
}

function openDatabase(databaseUrl: string): Opened {
  const plugins = [new CamelCasePlugin()];
  if (storeKind(databaseUrl) === 'postgres') {
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 10,
      // Timestamps are bigint columns: ms since the epoch fit a JavaScript number exactly.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // The pool's own end() settles before its connections have said goodbye; PostgreSQL keeps a
    // backend's socket open until the backend has exited, so a connection's 'end' means it is gone.
    const closing = new Set<Promise<void>>();
    pool.on('connect', (client) => {
      const closed = new Promise<void>((resolve) => client.once('end', resolve));
      closing.add(closed);
      void closed.then(() => closing.delete(closed));
    });
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins }),
      allClosed: async () => {
        await Promise.all(closing);
      },
    };
  }
  const db = new SQLite(sqlitePath(databaseUrl));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: db }), plugins }),
    allClosed: () => Promise.resolve(),
  };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The store over SQL, one implementation for SQLite and PostgreSQL through Kysely. */
export class SqlStore implements Store {
  private readonly db: Kysely<Database>;
  private readonly allClosed: () => Promise<void>;

  constructor(databaseUrl: string) {
    ({ db: this.db, allClosed: this.allClosed } = openDatabase(databaseUrl));
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  }

  async createRequest(request: NewRequest): Promise<ResetRequest> {
    const row = newRecord(request);
    try {
      await this.db.insertInto('resetRequests').values(row).execute();
      return row;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.findOpenRequest(request.account, request.appId);
      if (!existing) throw error;
      throw new OpenRequestExists(existing);
    }
  }

  async getRequest(id: string): Promise<ResetRequest | undefined> {
    const row = await this.db.selectFrom('resetRequests').selectAll().where('id', '=', id).executeTakeFirst();
    return row;
  }

  async findOpenRequest(account: string, appId: string): Promise<ResetRequest | undefined> {
    const row = await this.db
      .selectFrom('resetRequests')
      .selectAll()
      .where('account', '=', account)
      .where('appId', '=', appId)
      .where('status', 'in', [...OPEN_STATUSES])
      .executeTakeFirst();
    return row;
  }

  async countRequestsSince(requesterId: string, since: number): Promise<number> {
    const { count } = await this.db
      .selectFrom('resetRequests')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('requesterId', '=', requesterId)
      .where('createdAt', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  async transition(
    id: string,
    from: readonly RequestStatus[],
    to: RequestStatus,
    at: number,
    changes: RequestChanges = {},
  ): Promise<ResetRequest | undefined> {
    const row = await this.db
      .updateTable('resetRequests')
      .set({ ...changes, status: to, updatedAt: at })
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .returningAll()
      .executeTakeFirst();
    return row;
  }

  async update(id: string, at: number, changes: RequestChanges): Promise<ResetRequest | undefined> {
    const row = await this.db
      .updateTable('resetRequests')
      .set({ ...changes, updatedAt: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row;
  }

  async addApproval(
    id: string,
    approverId: string,
    at: number,
    grantExpiresAt: number,
  ): Promise<ApprovalResult | undefined> {
    return this.db.transaction().execute(async (trx) => {
      // Touching the row first takes its lock (PostgreSQL) so concurrent approvers count one at a time.
      const locked = await trx
        .updateTable('resetRequests')
        .set({ updatedAt: at })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      if (!locked) return undefined;
      const inserted = await trx
        .insertInto('requestApprovals')
        .values({ requestId: id, approverId, at })
        .onConflict((oc) => oc.columns(['requestId', 'approverId']).doNothing())
        .executeTakeFirst();
      const counted = Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
      const approvals = await trx
        .selectFrom('requestApprovals')
        .selectAll()
        .where('requestId', '=', id)
        .orderBy('at')
        .execute();
      let request = locked;
      if (approvals.length >= locked.requiredApprovals) {
        const approved = await trx
          .updateTable('resetRequests')
          .set({ status: 'approved', decidedAt: at, decidedBy: approverId, grantExpiresAt, updatedAt: at })
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .returningAll()
          .executeTakeFirstOrThrow();
        request = approved;
      }
      return { request, counted, approvals };
    });
  }

  listApprovals(id: string): Promise<Approval[]> {
    return this.db
      .selectFrom('requestApprovals')
      .selectAll()
      .where('requestId', '=', id)
      .orderBy('at')
      .execute();
  }

  async listDue(now: number): Promise<ResetRequest[]> {
    const rows = await this.db
      .selectFrom('resetRequests')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('expiresAt', '<=', now)]),
          eb.and([eb('status', '=', 'approved'), eb('grantExpiresAt', '<=', now)]),
        ]),
      )
      .orderBy('createdAt')
      .execute();
    return rows;
  }

  async listByStatus(status: RequestStatus): Promise<ResetRequest[]> {
    const rows = await this.db
      .selectFrom('resetRequests')
      .selectAll()
      .where('status', '=', status)
      .orderBy('createdAt')
      .execute();
    return rows;
  }

  async listByRequester(requesterId: string, limit: number): Promise<ResetRequest[]> {
    const rows = await this.db
      .selectFrom('resetRequests')
      .selectAll()
      .where('requesterId', '=', requesterId)
      .orderBy('createdAt', 'desc')
      .limit(limit)
      .execute();
    return rows;
  }

  /** Closes every connection, and settles only once the database has seen each one end. */
  async close(): Promise<void> {
    await this.db.destroy();
    await this.allClosed();
  }
}
