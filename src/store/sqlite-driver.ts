import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as pause } from 'node:timers/promises';
import type SQLite from 'better-sqlite3';
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';

/** The first pause while another connection holds SQLite's lock; each next one doubles, up to the last. */
const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 50;

/** More distinct SQL texts than the store has queries: a bound only for texts built from lists. */
const MAX_STATEMENTS = 100;

/** Whether SQLite refused a statement because another connection holds its lock (SQLITE_BUSY_*, SQLITE_LOCKED_*). */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** Turns at the one connection, taken in the order asked for. */
class Turns {
  private last: Promise<void> = Promise.resolve();

  /** Settles when the caller's turn comes, with the function that ends it. */
  take(): Promise<() => void> {
    let end!: () => void;
    const turn = new Promise<void>((resolve) => (end = resolve));
    const before = this.last;
    this.last = before.then(() => turn);
    return before.then(() => end);
  }
}

/**
 * Kysely's SQLite driver, except that a lock held by another connection (another process, a backup,
 * an admin's sqlite3 shell) is waited for between turns of the event loop. better-sqlite3 runs
 * SQLite's own busy wait synchronously, so `busy_timeout` froze the whole process for as long as
 * the lock was held: no Slack request acknowledged, every timer late. SQLite's busy timeout is 0
 * here; a refused statement is tried again after a pause that grows, until `boundMs` has passed
 * since the first try, and then fails as SQLite's did.
 *
 * Write transactions begin IMMEDIATE, taking the write lock before their first statement, so the
 * wait happens at BEGIN, before a transaction has done anything: a read in a deferred transaction
 * that later writes cannot be upgraded once another connection has committed (SQLITE_BUSY_SNAPSHOT),
 * and no retried statement could fix that. A statement inside a transaction is never tried again
 * on its own; COMMIT is, as SQLite documents (the transaction stays open after a busy COMMIT).
 * Between tries outside a transaction the connection is free for the other queries of the app
 * (reads go on in WAL mode while another connection writes).
 */
export class LockWaitingSqliteDriver implements Driver {
  private readonly statements = new Map<string, SQLite.Statement>();
  private readonly turns = new Turns();
  private endTurn: (() => void) | undefined;
  private readonly closing = new AbortController();
  private readonly connection: DatabaseConnection;

  constructor(
    private readonly db: SQLite.Database,
    private readonly boundMs: number,
  ) {
    // Every write waiting for the lock listens for the close: as many as there are requests, which
    // is no leak, and Node's warning past ten would only alarm an admin reading the log.
    setMaxListeners(0, this.closing.signal);
    this.connection = {
      executeQuery: async <R>(query: CompiledQuery) =>
        this.db.inTransaction ? this.run<R>(query) : this.waitingForLock(() => this.run<R>(query)),
      streamQuery: <R>(query: CompiledQuery) => this.stream<R>(query),
    };
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.endTurn = await this.turns.take();
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const end = this.endTurn;
    this.endTurn = undefined;
    end?.();
  }

  async beginTransaction(): Promise<void> {
    await this.waitingForLock(() => this.db.exec('begin immediate'));
  }

  async commitTransaction(): Promise<void> {
    await this.waitingForLock(() => this.db.exec('commit'));
  }

  async rollbackTransaction(): Promise<void> {
    // SQLite has rolled back already after some errors (a full disk, an I/O error).
    if (this.db.inTransaction) this.db.exec('rollback');
  }

  async destroy(): Promise<void> {
    this.closing.abort();
    this.db.close();
  }

  /**
   * Kysely prepares every query afresh, which the bench's profile put at a tenth of the app's CPU
   * time during resets; reusing a statement is safe because better-sqlite3 runs it synchronously,
   * start to end, on this one connection.
   */
  private prepare(sql: string): SQLite.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size >= MAX_STATEMENTS) {
        this.statements.delete(this.statements.keys().next().value as string);
      }
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private run<R>({ sql, parameters }: CompiledQuery): QueryResult<R> {
    const statement = this.prepare(sql);
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  private async *stream<R>({ sql, parameters }: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    for (const row of this.prepare(sql).iterate(parameters)) yield { rows: [row as R] };
  }

  /** Runs `attempt`, and again after a pause each time SQLite says it is locked, until the bound. */
  private async waitingForLock<T>(attempt: () => T): Promise<T> {
    const started = performance.now();
    for (let wait = FIRST_PAUSE_MS; ; wait = Math.min(2 * wait, LONGEST_PAUSE_MS)) {
      try {
        return attempt();
      } catch (error) {
        const left = this.boundMs - (performance.now() - started);
        if (!isSqliteBusy(error) || left <= 0 || this.closing.signal.aborted) throw error;
        await this.pauseFor(Math.min(wait, left), error);
      }
    }
  }

  /** Waits, leaving the connection to others unless a transaction is open on it. */
  private async pauseFor(ms: number, busy: unknown): Promise<void> {
    const yielding = !this.db.inTransaction;
    if (yielding) await this.releaseConnection();
    try {
      await pause(ms, undefined, { signal: this.closing.signal });
    } catch {
      // Closed while waiting: the statement fails as the lock made it.
      throw busy;
    } finally {
      if (yielding) this.endTurn = await this.turns.take();
    }
  }
}
