import { mkdirSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Kysely, LogEvent, SelectQueryBuilder } from 'kysely';
import { migrationProvider } from './migrations.js';
import { kysely, loadPg, loadSqlite } from './modules.js';
import { DuplicateSubmission, OpenRequestExists } from '../domain/errors.js';
import { OPEN_STATUSES, type RequestStatus } from '../domain/lifecycle.js';
import {
  newRecord,
  type Approval,
  type ApprovalResult,
  type NewRequest,
  type RequestChanges,
  type ResetRequest,
} from '../domain/request.js';
import { checkpointText, type AuditCheckpoint, type AuditNote, type AuditRecord } from '../domain/audit.js';
import { type PageKey, type PruneLimits, type Store } from '../domain/ports.js';
import {
  canonicalDetail,
  chainHash,
  ChainVerifier,
  outsideChain,
  rewritten,
  type ChainHead,
  type Verdict,
} from './audit-chain.js';
import { storeKind } from './kind.js';
import { SqlDirectoryStore, type DirectoryTables } from './directory-store.js';
import { LockWaitingSqliteDriver } from './sqlite-driver.js';

const { sql } = kysely;

/** The tables, as Kysely sees them through CamelCasePlugin: rows are the store's own types. */
interface Database {
  resetRequests: ResetRequest;
  requestApprovals: Approval;
  auditEvents: AuditRecord;
  auditChainHead: ChainHead & { id: number };
  homeViewers: { userId: string; openedAt: number };
  auditCheckpoints: { day: string; claimedAt: number; postedAt: number | null };
}

type Subject = Pick<ResetRequest, 'id' | 'account' | 'appId'>;

/** How many audit rows verification and export read at a time. */
const AUDIT_PAGE = 1000;

/**
 * How many audit rows one prune transaction removes: it starts at `first` and is fitted after each
 * batch so a batch takes about its target, within `min` and `max`. On SQLite a batch holds the event
 * loop (better-sqlite3 is synchronous): 20 ms. On PostgreSQL it holds the chain head's lock, which
 * every audited change waits for, and each of its five statements is a round trip: 50 ms. A row's
 * cost differs by machine, disk and load: the bench measured fixed 5,000-row batches at about
 * 200 ms on SQLite on a busy two-core machine.
 */
const AUDIT_PRUNE_BATCH = { first: 50, min: 50, max: 20_000 } as const;
const PRUNE_BATCH_TARGET_MS = { sqlite: 20, postgres: 50 } as const;

/** The next prune batch's size, from how long the last one of `size` rows took against the target. */
export function nextPruneBatch(
  size: number,
  tookMs: number,
  targetMs: number = PRUNE_BATCH_TARGET_MS.sqlite,
): number {
  const { min, max } = AUDIT_PRUNE_BATCH;
  const fitted = Math.round((size * targetMs) / Math.max(tookMs, 1));
  // Grows at most twofold a batch, from a small first one: rows on pages not yet in memory (the
  // indexes' pages, after a start) cost a disk read each, and one batch of 500 of them stalled
  // a million-request SQLite file for 250 ms. Shrinks at once to what the last batch's time says.
  return Math.min(max, Math.max(min, Math.min(fitted, size * 2)));
}

/** The file an SQLite DATABASE_URL names, its folder made first when `create` is set. */
function sqlitePath(databaseUrl: string, create = true): string {
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
  if (create && path !== ':memory:') makeFolder(dirname(resolve(path)));
  return path;
}

/** The folders from `folder` up to its nearest existing ancestor: [that ancestor, the missing ones…]. */
function missingFolders(folder: string): { existing: string; missing: string[] } {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    try {
      statSync(current);
      return { existing: current, missing };
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      missing.unshift(current);
      current = parent;
    }
  }
}

/**
 * Makes a folder and its missing parents, one level at a time: Node's own recursive mkdirSync
 * never returns for a path under /proc (its mkdir answers ENOENT, which it takes for a missing
 * parent and retries), and a DATABASE_URL there must fail start-up at once, naming itself.
 */
function makeFolder(folder: string): void {
  const { existing, missing } = missingFolders(folder);
  if (!statSync(existing).isDirectory()) {
    throw Object.assign(new Error(`${existing} is not a folder`), { code: 'ENOTDIR' });
  }
  for (const level of missing) mkdirSync(level);
}

/**
 * Why the SQLite file a DATABASE_URL names could not be created where it is missing (an error
 * code), or undefined when it exists or `npm start` can create it: the doctor's question. What
 * decides is whether a folder can be made in the nearest existing one (root may write where its
 * permissions say not, and /proc refuses whatever they say), so one is made there and removed.
 */
export function sqliteCreationProblem(databaseUrl: string): string | undefined {
  const file = sqliteFileOf(databaseUrl);
  if (!file) return undefined;
  try {
    statSync(file);
    return undefined;
  } catch {
    // Missing (or unreadable, which opening it will say): can it be created?
  }
  try {
    const { existing } = missingFolders(dirname(file));
    if (!statSync(existing).isDirectory()) return 'ENOTDIR';
    rmdirSync(mkdtempSync(join(existing, '.sip-reset-doctor-')));
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

const INT8_OID = 20;

interface Opened {
  db: Kysely<Database>;
  /** Settles once every connection the store opened is closed on the server's side too. */
  allClosed(): Promise<void>;
}

/** Where the store reports a lost database connection. */
export interface StoreLogger {
  warn(message: string, meta?: Record<string, unknown>): unknown;
  /** Hears each audit event once its transaction has committed: one JSON line each. */
  info?(message: string, meta?: Record<string, unknown>): unknown;
}

export interface SqlStoreOptions {
  /** Defaults to a Node process warning on stderr. */
  logger?: StoreLogger;
  /**
   * How long an SQLite write waits in all for another connection's lock before it fails (default
   * 5 s); the event loop turns meanwhile.
   */
  sqliteBusyTimeoutMs?: number;
  /** How long opening a PostgreSQL connection may take (default: as long as the network takes). */
  connectTimeoutMs?: number;
  /**
   * Hears every statement the store sends, as sent (SQL and parameters), before its answer: the
   * query-plan tests and the bench ask the database how it runs the store's real queries.
   */
  onQuery?: (query: { sql: string; parameters: readonly unknown[] }) => void;
  /** How many audit rows verification and export read at a time (default 1,000): tests of page edges set fewer. */
  auditPageRows?: number;
}

const processWarning: StoreLogger = {
  warn: (message, meta) => process.emitWarning(`${message} ${JSON.stringify(meta)}`),
};

function openDatabase(databaseUrl: string, options: SqlStoreOptions): Opened {
  const logger = options.logger ?? processWarning;
  const plugins = [new kysely.CamelCasePlugin()];
  const { onQuery } = options;
  const log = onQuery
    ? (event: LogEvent) => {
        if (event.level === 'query') onQuery(event.query);
      }
    : undefined;
  if (storeKind(databaseUrl) === 'postgres') {
    const pg = loadPg();
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 10,
      // pg's default, said aloud: an idle connection is closed long before a proxy's or load
      // balancer's idle timeout (minutes) could cut it without a word.
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: options.connectTimeoutMs,
      // Timestamps are bigint columns: ms since the epoch fit a JavaScript number exactly.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // The server may end any connection (restart, failover, pg_terminate_backend, a proxy). Its
    // client then emits 'error', idle or in use, and an 'error' nobody hears ends the process. A
    // query it cut off has already failed to its caller, a transaction open on it died with it on
    // the server, and the pool drops the client and opens a new one on the next checkout.
    const lost = (error: Error & { code?: string }) =>
      logger.warn('database connection lost; the next query opens a new one', {
        error: error.message,
        code: error.code,
      });
    // The pool's own end() settles before its connections have said goodbye; PostgreSQL keeps a
    // backend's socket open until the backend has exited, so a connection's 'end' means it is gone.
    const closing = new Set<Promise<void>>();
    pool.on('connect', (client) => {
      client.on('error', lost);
      const closed = new Promise<void>((resolve) => client.once('end', resolve));
      closing.add(closed);
      void closed.then(() => closing.delete(closed));
    });
    // The pool repeats an idle client's 'error', which that client's own listener has reported.
    pool.on('error', () => undefined);
    return {
      db: new kysely.Kysely<Database>({ dialect: new kysely.PostgresDialect({ pool }), plugins, log }),
      allClosed: async () => {
        await Promise.all(closing);
      },
    };
  }
  const SQLite = loadSqlite();
  const db = new SQLite(sqlitePath(databaseUrl));
  db.pragma('journal_mode = WAL');
  // Every commit is synced (FULL, not WAL's usual NORMAL), though each costs about 0.5 ms: with
  // NORMAL a power cut can lose the last commits, and a request could come back `approved` after
  // the vendor issued its password, open to a second, non-idempotent reset.
  db.pragma('synchronous = FULL');
  // Waiting for another connection's lock is the driver's, between turns of the event loop:
  // SQLite's own wait would hold the whole process still for as long as the lock is held.
  db.pragma('busy_timeout = 0');
  db.pragma('foreign_keys = ON');
  const driver = new LockWaitingSqliteDriver(db, options.sqliteBusyTimeoutMs ?? 5000);
  return {
    db: new kysely.Kysely<Database>({
      dialect: {
        createAdapter: () => new kysely.SqliteAdapter(),
        createDriver: () => driver,
        createQueryCompiler: () => new kysely.SqliteQueryCompiler(),
        createIntrospector: (db) => new kysely.SqliteIntrospector(db),
      },
      plugins,
      log,
    }),
    allClosed: () => Promise.resolve(),
  };
}

/**
 * Whether a query failed because its connection went away (SQLSTATE class 08, an administrator's or
 * crash shutdown, or pg's own words for a dead socket) rather than because of the query itself.
 */
function isConnectionLost(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (/^08/.test(code) || ['57P01', '57P02', '57P03'].includes(code))) {
    return true;
  }
  if (code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'EPIPE') return true;
  return typeof message === 'string' && /^Connection terminated|is not queryable$/.test(message);
}

/**
 * Runs a read, and once more if its connection was lost: the server may have ended a pooled
 * connection a moment before the read went out on it, and a read has no effect to repeat. Writes
 * are never repeated here: one that was cut off may or may not have committed.
 */
async function read<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (!isConnectionLost(error)) throw error;
    return query();
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** An audit event a transaction will append to the chain before it commits. */
interface QueuedAudit {
  subject: Subject;
  note: AuditNote;
  at: number;
}

/** Queues an audit event of the running transaction. */
type Audit = (subject: Subject, note: AuditNote, at: number) => void;

/**
 * Appends a transaction's audit events to the chain, at its end. The head row is updated first:
 * that takes its lock (PostgreSQL's row lock, SQLite's write lock), so appends from several
 * connections and instances take turns and each links to the one committed before it; taken at
 * the end, the lock is held only until the commit. However many events, that is three statements
 * (two on PostgreSQL, where the insert rides in the head's update): a round trip each on
 * PostgreSQL, where an approval's two events took six of its twelve.
 */
async function appendAudits(
  trx: Kysely<Database>,
  queued: readonly QueuedAudit[],
  postgres: boolean,
): Promise<AuditRecord[]> {
  if (queued.length === 0) return [];
  const head = await trx
    .updateTable('auditChainHead')
    .set((eb) => ({ seq: eb('seq', '+', queued.length) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  const firstSeq = Number(head.seq) - queued.length + 1;
  let prevHash = head.hash;
  const records = queued.map(({ subject, note, at }, i) => {
    const content = {
      seq: firstSeq + i,
      at,
      type: note.type,
      actor: note.actor,
      requestId: subject.id,
      account: subject.account || null,
      appId: subject.appId || null,
      detail: canonicalDetail(note.detail),
    };
    const record = { ...content, prevHash, hash: chainHash(prevHash, content) };
    prevHash = record.hash;
    return record;
  });
  const newHead = { hash: prevHash };
  if (postgres) {
    await trx
      .with('appended', (db) => db.insertInto('auditEvents').values(records))
      .updateTable('auditChainHead')
      .set(newHead)
      .where('id', '=', 1)
      .execute();
  } else {
    await trx.insertInto('auditEvents').values(records).execute();
    await trx.updateTable('auditChainHead').set(newHead).where('id', '=', 1).execute();
  }
  return records;
}

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
  private readonly logger: StoreLogger | undefined;
  private readonly postgres: boolean;
  private readonly auditPage: number;

  constructor(databaseUrl: string, options: SqlStoreOptions = {}) {
    ({ db: this.db, allClosed: this.allClosed } = openDatabase(databaseUrl, options));
    this.logger = options.logger;
    this.auditPage = options.auditPageRows ?? AUDIT_PAGE;
    this.postgres = storeKind(databaseUrl) === 'postgres';
  }

  /** The phone directory's tables, on this store's connection. */
  phoneDirectory(): SqlDirectoryStore {
    return new SqlDirectoryStore(this.db as unknown as Kysely<DirectoryTables>);
  }

  /** Runs a transaction that may append audit events, and logs those once it has committed. */
  private async audited<T>(work: (trx: Kysely<Database>, audit: Audit) => Promise<T>): Promise<T> {
    const { result, written } = await this.db.transaction().execute(async (trx) => {
      const queued: QueuedAudit[] = [];
      const done = await work(trx, (subject, note, at) => queued.push({ subject, note, at }));
      return { result: done, written: await appendAudits(trx, queued, this.postgres) };
    });
    // Each line carries the chain's head after its row, a checkpoint for log shipping to keep
    // where a database admin cannot rewrite it (see docs/audit.md): no query more, a field more.
    for (const { type, actor, at, requestId, account, appId, detail, seq, hash } of written) {
      this.logger?.info?.(`audit ${type}`, {
        audit: { seq, type, actor, at: new Date(at).toISOString(), requestId, account, appId },
        ...(detail ? { detail: JSON.parse(detail) as unknown } : {}),
        checkpoint: checkpointText({ seq, hash }),
      });
    }
    return result;
  }

  async migrate(): Promise<void> {
    if (await this.upToDate()) return;
    const migrator = new kysely.Migrator({ db: this.db, provider: migrationProvider });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  }

  /**
   * Whether this database has had exactly the migrations this version knows, found in one query:
   * the usual start, where the migrator would spend about ten round trips (its tables, its lock)
   * to do nothing. Anything else (no table yet, a migration missing or unknown) is the migrator's.
   */
  private async upToDate(): Promise<boolean> {
    const known = Object.keys(await migrationProvider.getMigrations());
    let applied: Set<string>;
    try {
      const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(this.db);
      applied = new Set(rows.map(({ name }) => name));
    } catch {
      return false;
    }
    return applied.size === known.length && known.every((name) => applied.has(name));
  }

  /** The migrations this database has not had yet, by name, found without applying any. */
  async pendingMigrations(): Promise<string[]> {
    const migrator = new kysely.Migrator({ db: this.db, provider: migrationProvider });
    const migrations = await migrator.getMigrations();
    return migrations.filter((migration) => migration.executedAt === undefined).map(({ name }) => name);
  }

  async createRequest(request: NewRequest, audit?: AuditNote): Promise<ResetRequest> {
    const row = newRecord(request);
    try {
      await this.audited(async (trx, queue) => {
        await trx.insertInto('resetRequests').values(row).execute();
        if (audit) queue(row, audit, row.createdAt);
      });
      return row;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (request.submissionId) {
        const first = await this.db
          .selectFrom('resetRequests')
          .selectAll()
          .where('submissionId', '=', request.submissionId)
          .executeTakeFirst();
        if (first) throw new DuplicateSubmission(first);
      }
      const existing = await this.findOpenRequest(request.account, request.appId);
      if (!existing) throw error;
      throw new OpenRequestExists(existing);
    }
  }

  async getRequest(id: string): Promise<ResetRequest | undefined> {
    return read(() =>
      this.db.selectFrom('resetRequests').selectAll().where('id', '=', id).executeTakeFirst(),
    );
  }

  async findOpenRequest(account: string, appId: string): Promise<ResetRequest | undefined> {
    return read(() =>
      this.db
        .selectFrom('resetRequests')
        .selectAll()
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
    return this.audited(async (trx, queue) => {
      const row = await trx
        .updateTable('resetRequests')
        .set({ ...changes, status: to, updatedAt: at })
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .returningAll()
        .executeTakeFirst();
      if (row && audit) queue(row, audit, at);
      return row;
    });
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
    return this.audited(async (trx, queue) => {
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
          .returningAll()
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
        .selectAll()
        .where('status', '=', 'pending')
        .where('remindedAt', 'is', null)
        .where('approvalTs', 'is not', null)
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
      .returningAll()
      .executeTakeFirst();
  }

  async listDue(now: number): Promise<ResetRequest[]> {
    // Two seeks, one along each deadline's index, in one statement (an OR of the two would make
    // SQLite merge two index reads and sort them); the few due rows are put in order here.
    const due = await read(() =>
      this.db
        .selectFrom('resetRequests')
        .selectAll()
        .where('status', '=', 'pending')
        .where('expiresAt', '<=', now)
        .unionAll(
          this.db
            .selectFrom('resetRequests')
            .selectAll()
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
        .selectAll()
        .where('status', '=', status)
        .orderBy('createdAt')
        .execute(),
    );
  }

  async listByRequester(requesterId: string, limit: number, after?: PageKey): Promise<ResetRequest[]> {
    return read(() =>
      this.db
        .selectFrom('resetRequests')
        .selectAll()
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
        .selectAll()
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
        .selectAll()
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
        .selectAll()
        // Set once the vendor answered or the reset ended: the partial index's own condition.
        .where('finishedAt', 'is not', null)
        .$call((q) => seekFrom(q, 'finishedAt', '<', after))
        .orderBy('finishedAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),
    );
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

  async appendAudit(requestId: string, note: AuditNote, at: number): Promise<void> {
    await this.audited(async (trx, queue) => {
      const request = await trx
        .selectFrom('resetRequests')
        .select(['id', 'account', 'appId'])
        .where('id', '=', requestId)
        .executeTakeFirst();
      queue(request ?? { id: requestId, account: '', appId: '' }, note, at);
    });
  }

  async auditOf(account: string, limit: number): Promise<AuditRecord[]> {
    return read(() =>
      this.inChain(this.db.selectFrom('auditEvents').selectAll().where('account', '=', account))
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute(),
    );
  }

  /**
   * Removes the rows written before `before`, oldest first, and makes the last one removed the
   * chain's anchor so what is kept still verifies. Returns how many were removed.
   *
   * A batch at a time, each its own short transaction that moves the anchor, its size fitted so it
   * takes about 20 ms on SQLite, 50 on PostgreSQL (`batchSize` fixes it instead): a first prune of millions of rows neither
   * stops the event loop nor holds the head's lock for long, and the app serves between batches.
   * With `budgetMs` it stops after the batch that passes it, and the next call goes on from there. It stops at the first row not older than `before`, so it seeks along the
   * sequence from the anchor and never scans the table. On SQLite the WAL is given back after.
   */
  async pruneAudit(before: number, { batchSize, budgetMs }: PruneLimits = {}): Promise<number> {
    const pruneStarted = performance.now();
    // The usual sweep has nothing to remove: one row read says so, without taking the head's lock.
    const oldest = await read(() =>
      this.inChain(this.db.selectFrom('auditEvents').select(['seq', 'at']))
        .orderBy('seq')
        .limit(1)
        .executeTakeFirst(),
    );
    if (!oldest || oldest.at >= before) return 0;
    let removed = 0;
    let size = batchSize ?? AUDIT_PRUNE_BATCH.first;
    const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      const started = performance.now();
      const batch = await this.pruneAuditBatch(before, size);
      // The batch's own time, not what the app did after it while this waited for its turn.
      let took = performance.now() - started;
      removed += batch.removed;
      if (!batch.more) break;
      if (budgetMs !== undefined && performance.now() - pruneStarted >= budgetMs) break;
      // Lets the requests that arrived during the batch be answered before the next one.
      await yieldTurn();
      if (!this.postgres) {
        // The batch's pages go back into the file now, a batch's worth at a time: left to SQLite's
        // automatic checkpoint, a thousand pages would be copied and synced at once, at the commit
        // of whichever transaction came next, holding the event loop for 100 ms and more.
        const checkpointStarted = performance.now();
        await sql`pragma wal_checkpoint(passive)`.execute(this.db);
        took += performance.now() - checkpointStarted;
        await yieldTurn();
      }
      if (batchSize === undefined)
        size = nextPruneBatch(size, took, PRUNE_BATCH_TARGET_MS[this.postgres ? 'postgres' : 'sqlite']);
    }
    if (removed > 0 && !this.postgres) {
      await sql`pragma wal_checkpoint(truncate)`.execute(this.db);
    }
    return removed;
  }

  private async pruneAuditBatch(
    before: number,
    batchSize: number,
  ): Promise<{ removed: number; more: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      // Takes the head's lock first, as an append does: nothing is appended while the anchor moves.
      await trx
        .updateTable('auditChainHead')
        .set((eb) => ({ seq: eb.ref('seq') }))
        .where('id', '=', 1)
        .execute();
      const head = await trx
        .selectFrom('auditChainHead')
        .select(['seq', 'anchorSeq'])
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      const rows = await trx
        .selectFrom('auditEvents')
        .select(['seq', 'hash', 'at'])
        .where('seq', '>', head.anchorSeq)
        .where('seq', '<=', head.seq)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      const older = rows.findIndex((row) => row.at >= before);
      const last = older === -1 ? rows.at(-1) : rows[older - 1];
      if (!last) return { removed: 0, more: false };
      const deleted = await trx.deleteFrom('auditEvents').where('seq', '<=', last.seq).executeTakeFirst();
      await trx
        .updateTable('auditChainHead')
        .set({ anchorSeq: last.seq, anchorHash: last.hash })
        .where('id', '=', 1)
        .execute();
      return { removed: Number(deleted.numDeletedRows), more: older === -1 && rows.length === batchSize };
    });
  }

  /** The chain's head now: its last row's sequence and hash, a checkpoint to keep outside the database. */
  async auditHead(): Promise<AuditCheckpoint> {
    return read(() =>
      this.db
        .selectFrom('auditChainHead')
        .select(['seq', 'hash'])
        .where('id', '=', 1)
        .executeTakeFirstOrThrow(),
    );
  }

  async claimAuditCheckpoint(day: string, at: number, leaseMs: number): Promise<boolean> {
    // The first claim of the day inserts; a later one takes over only a claim that was neither
    // posted nor renewed within the lease (its instance died, or gave it back with claimedAt 0).
    const claimed = await this.db
      .insertInto('auditCheckpoints')
      .values({ day, claimedAt: at, postedAt: null })
      .onConflict((oc) =>
        oc
          .column('day')
          .doUpdateSet({ claimedAt: at })
          .where('auditCheckpoints.postedAt', 'is', null)
          .where('auditCheckpoints.claimedAt', '<=', at - leaseMs),
      )
      .returning('day')
      .executeTakeFirst();
    return claimed !== undefined;
  }

  async settleAuditCheckpoint(day: string, at: number, posted: boolean): Promise<void> {
    await this.db
      .updateTable('auditCheckpoints')
      .set(posted ? { postedAt: at } : { claimedAt: 0 })
      .where('day', '=', day)
      .where('postedAt', 'is', null)
      .execute();
  }

  /**
   * Checks the audit chain from its anchor to its head (or, given `from`, only the rows appended
   * after that checkpoint), that no row lies outside it, and that it still holds every checkpoint
   * in `expect` (and `from`): a head moved back or an anchor moved forward past one is found.
   */
  async verifyAudit(
    checkpoints: { from?: AuditCheckpoint; expect?: readonly AuditCheckpoint[] } = {},
  ): Promise<Verdict> {
    const head = await this.chainWithStrays();
    const { from } = checkpoints;
    const expected = [...(from ? [from] : []), ...(checkpoints.expect ?? [])].sort((a, b) => a.seq - b.seq);
    // Before walking: a checkpoint the chain no longer spans fails at once, and `from` must be one.
    for (const checkpoint of expected) {
      const missing = outsideChain(head, checkpoint);
      if (missing) return missing;
    }
    const start = from && from.seq > head.anchorSeq ? { anchorSeq: from.seq, anchorHash: from.hash } : {};
    const verifier = new ChainVerifier({ ...head, ...start });
    for await (const row of this.auditRows({ after: start.anchorSeq, upTo: head.seq })) {
      if (!verifier.check(row)) break;
    }
    const verdict = verifier.verdict();
    if (!verdict.ok) return verdict;
    if (head.strayAbove > 0) {
      return {
        ok: false,
        seq: head.firstStrayAbove ?? undefined,
        problem: `${head.strayAbove} row(s) from row ${head.firstStrayAbove} on lie after the chain's head (row ${head.seq}): they were added behind the app's back`,
      };
    }
    if (head.strayBelow > 0) {
      return {
        ok: false,
        seq: head.lastStrayBelow ?? undefined,
        problem: `${head.strayBelow} row(s) up to row ${head.lastStrayBelow} lie at or before the chain's anchor (row ${head.anchorSeq}): they were added behind the app's back`,
      };
    }
    for (const checkpoint of expected) {
      if (checkpoint.seq <= head.anchorSeq) continue;
      const row = await this.db
        .selectFrom('auditEvents')
        .select('hash')
        .where('seq', '=', checkpoint.seq)
        .executeTakeFirst();
      if (row?.hash !== checkpoint.hash) return rewritten(checkpoint);
    }
    return verdict;
  }

  /**
   * The chain's head and anchor, and the rows outside them, read in one statement: one snapshot, so
   * a row another instance appends meanwhile is neither outside nor missing.
   */
  private async chainWithStrays() {
    const row = await this.db
      .selectFrom('auditChainHead as h')
      .select(['h.seq', 'h.hash', 'h.anchorSeq', 'h.anchorHash'])
      .select((eb) => [
        eb
          .selectFrom('auditEvents as e')
          .select(eb.fn.countAll<number | string>().as('n'))
          .whereRef('e.seq', '>', 'h.seq')
          .as('strayAbove'),
        eb
          .selectFrom('auditEvents as e')
          .select((e) => e.fn.min('e.seq').as('m'))
          .whereRef('e.seq', '>', 'h.seq')
          .as('firstStrayAbove'),
        eb
          .selectFrom('auditEvents as e')
          .select(eb.fn.countAll<number | string>().as('n'))
          .whereRef('e.seq', '<=', 'h.anchorSeq')
          .as('strayBelow'),
        eb
          .selectFrom('auditEvents as e')
          .select((e) => e.fn.max('e.seq').as('m'))
          .whereRef('e.seq', '<=', 'h.anchorSeq')
          .as('lastStrayBelow'),
      ])
      .where('h.id', '=', 1)
      .executeTakeFirstOrThrow();
    const optional = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    return {
      seq: Number(row.seq),
      hash: row.hash,
      anchorSeq: Number(row.anchorSeq),
      anchorHash: row.anchorHash,
      strayAbove: Number(row.strayAbove ?? 0),
      firstStrayAbove: optional(row.firstStrayAbove),
      strayBelow: Number(row.strayBelow ?? 0),
      lastStrayBelow: optional(row.lastStrayBelow),
    };
  }

  /**
   * Audit rows inside the chain (after its anchor, up to its head), in the order they were written,
   * a page at a time: a row put there behind the app's back is not shown (verify names it).
   * `since` and `until` bound their time, `after` and `upTo` their sequence.
   */
  async *auditRows(
    range: { since?: number; until?: number; after?: number; upTo?: number } = {},
  ): AsyncGenerator<AuditRecord> {
    let after = range.after ?? Number.MIN_SAFE_INTEGER;
    for (;;) {
      let query = this.inChain(this.db.selectFrom('auditEvents').selectAll().where('seq', '>', after));
      if (range.upTo !== undefined) query = query.where('seq', '<=', range.upTo);
      // The time bounds filter the rows each seek along the sequence reads (the unary plus keeps
      // the planner off the `at` index, which would read and sort the rest of the window per page).
      if (range.since !== undefined) query = query.where(sql<number>`+at`, '>=', range.since);
      if (range.until !== undefined) query = query.where(sql<number>`+at`, '<', range.until);
      const page = await query.orderBy('seq').limit(this.auditPage).execute();
      yield* page;
      const last = page.at(-1);
      if (!last || page.length < this.auditPage) return;
      after = last.seq;
    }
  }

  /** Keeps to the rows between the chain's anchor and its head, as the same statement reads them. */
  private inChain<O>(
    query: SelectQueryBuilder<Database, 'auditEvents', O>,
  ): SelectQueryBuilder<Database, 'auditEvents', O> {
    return query
      .where('seq', '>', (eb) => eb.selectFrom('auditChainHead').select('anchorSeq').where('id', '=', 1))
      .where('seq', '<=', (eb) => eb.selectFrom('auditChainHead').select('seq').where('id', '=', 1));
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

/** The SQLite file a DATABASE_URL names, as an absolute path; undefined for PostgreSQL and `:memory:`. */
export function sqliteFileOf(databaseUrl: string): string | undefined {
  if (storeKind(databaseUrl) === 'postgres') return undefined;
  const path = sqlitePath(databaseUrl, false);
  return path === ':memory:' ? undefined : resolve(path);
}

/** Where a PostgreSQL DATABASE_URL points, without its user or password. */
function postgresPlace(databaseUrl: string): { database: string; where: string } {
  const url = new URL(databaseUrl);
  return {
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || '(none)',
    where: `${url.hostname || 'localhost'}:${url.port || '5432'}`,
  };
}

/** The database a DATABASE_URL names, for a person: never its user or password. */
export function describeDatabase(databaseUrl: string): string {
  if (storeKind(databaseUrl) === 'sqlite') return `SQLite ${sqliteFileOf(databaseUrl) ?? ':memory:'}`;
  const { database, where } = postgresPlace(databaseUrl);
  return `PostgreSQL "${database}" on ${where}`;
}

/**
 * The admin's one line for a database the app cannot use at start-up, naming DATABASE_URL and what
 * to do (never its password); undefined for any other error.
 */
export function describeStoreError(error: unknown, databaseUrl: string): string | undefined {
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  if (storeKind(databaseUrl) === 'postgres') {
    const { database, where } = postgresPlace(databaseUrl);
    if (code === '3D000') {
      return `DATABASE_URL: the PostgreSQL database "${database}" does not exist on ${where}: create it (createdb ${database}) or correct the URL`;
    }
    if (code === '28P01' || code === '28000') {
      return `DATABASE_URL: PostgreSQL on ${where} refused the user or password in the URL`;
    }
    if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)) {
      return `DATABASE_URL: no PostgreSQL server answers at ${where} (${code}): start it or correct the URL`;
    }
    return undefined;
  }
  if (
    ['ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOENT', 'SQLITE_CANTOPEN', 'SQLITE_READONLY'].includes(code)
  ) {
    return `DATABASE_URL: cannot open or create the SQLite file ${sqliteFileOf(databaseUrl) ?? ':memory:'} (${code}): use a path in a folder this user can write`;
  }
  if (code === 'SQLITE_NOTADB') {
    return `DATABASE_URL: ${sqliteFileOf(databaseUrl) ?? ':memory:'} is not an SQLite database (${code}): correct the path, or move that file away`;
  }
  return undefined;
}
