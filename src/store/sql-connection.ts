import type {
  Kysely,
  KyselyPlugin,
  LogEvent,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  PrimitiveValueListNode,
  QueryResult,
  RootOperationNode,
  UnknownRow,
  ValueNode,
} from 'kysely';
import type { AuditRecord } from '../domain/audit.js';
import type { Logger } from '../domain/logger.js';
import type { LockoutCampaign, LockoutItem } from '../domain/lockout.js';
import type { Approval, ResetRequest } from '../domain/request.js';
import type { ChainHead } from './audit-chain.js';
import { sqlitePath } from './database-url.js';
import { storeKind } from './kind.js';
import { kysely, loadPg, loadSqlite } from './modules.js';
import { LockWaitingSqliteDriver } from './sqlite-driver.js';

/**
 * Every column of a request the domain knows, read and returned by name: `reset_requests` also
 * holds columns the domain no longer reads (where 1.1.0 kept a request's Slack messages, still
 * written by a 1.1.0 instance during a rolling restart), which must not come back inside a request.
 */
export const REQUEST_COLUMNS = [
  'id',
  'requesterId',
  'account',
  'appId',
  'reason',
  'status',
  'requiredApprovals',
  'createdAt',
  'expiresAt',
  'grantExpiresAt',
  'decidedAt',
  'decidedBy',
  'denyReason',
  'resetStartedAt',
  'finishedAt',
  'failureCode',
  'announcedAt',
  'submissionId',
  'remindedAt',
  'lockoutId',
  'updatedAt',
] as const satisfies readonly (keyof ResetRequest)[];
/** Fails to compile when ResetRequest gains a field the list above does not read. */
type NoneLeftOut<Missing extends never> = Missing;
type _EveryRequestColumn = NoneLeftOut<Exclude<keyof ResetRequest, (typeof REQUEST_COLUMNS)[number]>>;

/** The tables, as Kysely sees them through CamelCasePlugin: rows are the store's own types. */
export interface Database {
  resetRequests: ResetRequest;
  requestApprovals: Approval;
  auditEvents: AuditRecord;
  auditChainHead: ChainHead & { id: number };
  auditCheckpoints: { day: string; claimedAt: number; postedAt: number | null };
  lockoutCampaigns: LockoutCampaign;
  lockoutItems: LockoutItem;
}

const INT8_OID = 20;

export interface Opened {
  db: Kysely<Database>;
  /** Settles once every connection the store opened is closed on the server's side too. */
  allClosed(): Promise<void>;
}

/**
 * Where the store reports a lost database connection (warn) and, when it can, each audit event once
 * its transaction has committed (info: one JSON line each).
 */
export type StoreLogger = Pick<Logger, 'warn'> & Partial<Pick<Logger, 'info'>>;

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

/** A NUL character, which PostgreSQL's text cannot hold, and what stands for it there. */
const NUL = '\u0000';
const withoutNul = (value: unknown): unknown =>
  typeof value === 'string' && value.includes(NUL) ? value.replaceAll(NUL, '\uFFFD') : value;

/**
 * PostgreSQL refuses a query with a NUL in a text parameter (invalid byte sequence), where SQLite
 * keeps it: a forged button value or metadata, or a pasted reason, would then fail as the app's
 * own fault ("try again in a minute"). On PostgreSQL a NUL is sent as U+FFFD: a forged ID finds no
 * row (IDs hold no U+FFFD) and is refused as unknown; a reason is kept, its NUL replaced.
 */
class NulFreeText extends kysely.OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return { ...super.transformValue(node), value: withoutNul(node.value) };
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...super.transformPrimitiveValueList(node), values: node.values.map(withoutNul) };
  }
}

const nulFreeText: KyselyPlugin = {
  transformQuery: (args: PluginTransformQueryArgs): RootOperationNode =>
    new NulFreeText().transformNode(args.node),
  transformResult: (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> =>
    Promise.resolve(args.result),
};

const processWarning: StoreLogger = {
  warn: (message, meta) => process.emitWarning(`${message} ${JSON.stringify(meta)}`),
};

export function openDatabase(databaseUrl: string, options: SqlStoreOptions): Opened {
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
      db: new kysely.Kysely<Database>({
        dialect: new kysely.PostgresDialect({ pool }),
        plugins: [...plugins, nulFreeText],
        log,
      }),
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
export async function read<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (!isConnectionLost(error)) throw error;
    return query();
  }
}

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
