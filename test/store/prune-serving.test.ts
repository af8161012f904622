import { expect } from 'chai';
import { seedHistory } from '../../bench/seed-history.js';
import type { AuditNote } from '../../src/domain/audit.js';
import { nextPruneBatch } from '../../src/store/sql-audit-trail.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { DATABASE_KINDS, requirePostgres, type TestDatabase } from '../helpers/databases.js';
import { newRequest } from '../helpers/requests.js';

// A first prune of a long history runs in batches, each its own transaction, and the app serves
// between them (issue 25): a reset's audited writes, asked for while the first batch runs, are
// answered before the last batch, and the event loop turns between every two batches. Proven by
// the order of the store's own statements and of the loop's turns, not by a clock.

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 29, 9, 0, 0);
/** 600 requests, 3,000 audit rows over five years; a year kept, so about 2,400 rows to remove. */
const REQUESTS = 600;
const BATCH = 100;

const isBatchDelete = (sql: string) => /^delete from "audit_events"/.test(sql);

describe('the size of the next prune batch', () => {
  it('is fitted to its target (20 ms unless told), at most doubled at a time, within 50 and 20,000 rows', () => {
    expect(nextPruneBatch(1000, 20)).to.equal(1000);
    expect(nextPruneBatch(1000, 25)).to.equal(800);
    expect(nextPruneBatch(1000, 400), 'a slow batch shrinks it at once').to.equal(50);
    expect(nextPruneBatch(1000, 0.5), 'a fast one doubles it, no more').to.equal(2000);
    expect(nextPruneBatch(60, 1000)).to.equal(50);
    expect(nextPruneBatch(15_000, 1)).to.equal(20_000);
    expect(nextPruneBatch(1000, 40, 50), 'against a target of 50 ms (PostgreSQL)').to.equal(1250);
  });
});

for (const { kind, create, postgres } of DATABASE_KINDS) {
  describe(`a first prune of a long history, on ${kind}`, function () {
    this.timeout(60_000);
    let database: TestDatabase;
    let store: SqlStore;
    /** Every statement the store sent, in order, and how many batches had been deleted at each. */
    const sent: string[] = [];
    let batchesDone = 0;
    let onBatch: (() => void) | undefined;

    beforeEach(async function () {
      if (postgres) await requirePostgres(this);
      database = await create();
      await seedHistory(database.url, REQUESTS, NOW - DAY);
      sent.length = 0;
      batchesDone = 0;
      store = new SqlStore(database.url, {
        onQuery: ({ sql }) => {
          sent.push(sql);
          if (isBatchDelete(sql)) {
            batchesDone += 1;
            onBatch?.();
          }
        },
      });
      await store.migrate();
    });

    afterEach(async () => {
      onBatch = undefined;
      await store?.close();
      await database?.drop();
    });

    it('answers a reset asked for during its first batch before its last, and verifies after', async () => {
      const at = NOW;
      const note = (type: AuditNote['type']): AuditNote => ({ type, actor: 'UHANA' });
      let reset: Promise<number> | undefined;
      let answeredAfterBatches: number | undefined;
      // A direct reset's writes, each an audited transaction, as the service makes them: asked for
      // while the first batch's transaction is open.
      onBatch = () => {
        if (reset) return;
        reset = (async () => {
          const request = await store.createRequest(
            newRequest({
              id: 'live',
              account: '1001',
              status: 'approved',
              requiredApprovals: 0,
              createdAt: at,
            }),
            note('requested'),
          );
          await store.transition(
            request.id,
            ['approved'],
            'resetting',
            at,
            { resetStartedAt: at },
            note('reset_started'),
          );
          await store.transition(request.id, ['resetting'], 'delivering', at, {}, note('password_issued'));
          await store.transition(
            request.id,
            ['delivering'],
            'completed',
            at,
            { finishedAt: at },
            note('completed'),
          );
          answeredAfterBatches = batchesDone;
          return batchesDone;
        })();
      };

      const removed = await store.pruneAudit(NOW - 365 * DAY, { batchSize: BATCH });
      await reset;

      expect(removed).to.be.above(20 * BATCH);
      const batches = sent.filter(isBatchDelete).length;
      expect(batches).to.equal(Math.ceil(removed / BATCH));
      expect(answeredAfterBatches, 'the reset was answered while batches were still to come').to.be.below(
        batches,
      );
      // Its four audited writes lie between the first batch and the last, none inside a batch.
      const firstBatch = sent.findIndex(isBatchDelete);
      const lastBatch = sent.findLastIndex(isBatchDelete);
      const appended = sent
        .map((sql, i) => ({ sql, i }))
        .filter(({ sql }) => /^insert into "audit_events"/.test(sql) || /^with "appended"/.test(sql));
      expect(appended).to.have.length(4);
      for (const { i } of appended) expect(i).to.be.within(firstBatch, lastBatch);
      expect((await store.auditOf('1001', 10)).map((row) => row.type)).to.deep.equal([
        'completed',
        'password_issued',
        'reset_started',
        'requested',
      ]);
      expect(await store.verifyAudit()).to.deep.equal({ ok: true, rows: 5 * REQUESTS + 4 - removed });
    });

    it('with a time budget, stops after the batch that passes it; the next prune goes on from there', async () => {
      const cutoff = NOW - 365 * DAY;
      expect(await store.pruneAudit(cutoff, { batchSize: BATCH, budgetMs: 0 })).to.equal(BATCH);
      expect((await store.verifyAudit()).ok).to.equal(true);
      expect(await store.pruneAudit(cutoff, { batchSize: BATCH, budgetMs: 0 })).to.equal(BATCH);
      const rest = await store.pruneAudit(cutoff, { batchSize: BATCH });
      expect(rest).to.be.above(10 * BATCH);
      expect(await store.pruneAudit(cutoff, { batchSize: BATCH, budgetMs: 0 }), 'nothing left').to.equal(0);
      expect(await store.verifyAudit()).to.deep.equal({ ok: true, rows: 5 * REQUESTS - 2 * BATCH - rest });
    });

    it('lets the event loop turn between every two batches', async () => {
      // A chain of immediates stands for everything else the app has to do: each turn notes how
      // many batches were done when it ran.
      const seenAt = new Set<number>();
      let pruning = true;
      const turn = () => {
        seenAt.add(batchesDone);
        if (pruning) setImmediate(turn);
      };
      setImmediate(turn);
      const removed = await store.pruneAudit(NOW - 365 * DAY, { batchSize: BATCH });
      pruning = false;
      const batches = Math.ceil(removed / BATCH);
      expect(batches).to.be.above(20);
      for (let done = 1; done < batches; done += 1)
        expect(seenAt.has(done), `the loop turned after batch ${done} of ${batches}`).to.equal(true);
      expect((await store.verifyAudit()).ok).to.equal(true);
    });
  });
}
