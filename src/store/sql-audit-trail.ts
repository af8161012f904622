import { performance } from 'node:perf_hooks';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { checkpointText, type AuditCheckpoint, type AuditNote, type AuditRecord } from '../domain/audit.js';
import type { PruneLimits } from '../domain/ports.js';
import {
  chained,
  ChainVerifier,
  outsideChain,
  rewritten,
  type AuditSubject,
  type QueuedAudit,
  type Verdict,
} from './audit-chain.js';
import { kysely } from './modules.js';
import { read, type Database, type StoreLogger } from './sql-connection.js';

const { sql } = kysely;

export type Subject = AuditSubject;

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

/** An audit event a transaction will append to the chain before it commits. */
/** Queues an audit event of the running transaction. */
export type Audit = (subject: Subject, note: AuditNote, at: number) => void;

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
  const records = chained({ seq: Number(head.seq) - queued.length, hash: head.hash }, queued);
  const newHead = { hash: records.at(-1)?.hash ?? head.hash };
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
 * The audit trail in SQL: a hash chain appended in the transaction of the change it records,
 * pruned past its retention without breaking, verified against checkpoints, read back and exported.
 */
export class SqlAuditTrail {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly postgres: boolean,
    private readonly logger: StoreLogger | undefined,
    /** How many audit rows verification and export read at a time. */
    private readonly auditPage: number = AUDIT_PAGE,
  ) {}

  /** Runs a transaction that may append audit events, and logs those once it has committed. */
  async audited<T>(work: (trx: Kysely<Database>, audit: Audit) => Promise<T>): Promise<T> {
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
      // Bounded below by the anchor too: on PostgreSQL the rows earlier batches removed lie dead in
      // the table and its index until VACUUM, and a delete from the chain's start walks them all.
      const deleted = await trx
        .deleteFrom('auditEvents')
        .where('seq', '>', head.anchorSeq)
        .where('seq', '<=', last.seq)
        .executeTakeFirst();
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
}
