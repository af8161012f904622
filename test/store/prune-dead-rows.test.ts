import { expect } from 'chai';
import pg from 'pg';
import { seedHistory } from '../../bench/seed-history.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { postgresDatabase, requirePostgres, type TestDatabase } from '../helpers/databases.js';

// On PostgreSQL a deleted row stays in the table and its indexes, dead, until VACUUM reaches it, and
// a first prune of millions of rows outruns autovacuum. A prune batch that deleted "every row up to
// here" walked all the rows earlier batches had removed before reaching its own: at a million
// requests each batch took 675 ms instead of 0.1, and the first prune 40 minutes instead of 4. Each
// batch must cost the same whatever was removed before it: it names the anchor as its lower bound.

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 29, 9, 0, 0);
const REQUESTS = 4000;
const BATCH = 200;

interface PgPlan {
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
}

describe('the audit prune on PostgreSQL, with the rows it removed still dead in the table', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let admin: pg.Client;
  const deletes: { sql: string; parameters: readonly unknown[] }[] = [];

  before(async function () {
    await requirePostgres(this);
    database = await postgresDatabase();
    await seedHistory(database.url, REQUESTS, NOW - DAY);
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    // Nothing cleans the dead rows up while the prune runs, as on a big table autovacuum has not reached.
    await admin.query('alter table audit_events set (autovacuum_enabled = false)');
    const store = new SqlStore(database.url, {
      onQuery: ({ sql, parameters }) => {
        if (/^\s*delete from "audit_events"/i.test(sql)) deletes.push({ sql, parameters: [...parameters] });
      },
    });
    try {
      await store.pruneAudit(NOW - 365 * DAY, { batchSize: BATCH });
    } finally {
      await store.close();
    }
  });

  after(async () => {
    await admin?.end();
    await database?.drop();
  });

  /** The pages a delete reads, run again under EXPLAIN ANALYZE in a transaction given back. */
  async function pagesRead(statement: { sql: string; parameters: readonly unknown[] }): Promise<number> {
    await admin.query('begin');
    try {
      const { rows } = await admin.query<{ 'QUERY PLAN': [{ Plan: PgPlan }] }>(
        `explain (analyze, buffers, format json) ${statement.sql}`,
        [...statement.parameters],
      );
      const plan = rows[0]!['QUERY PLAN'][0].Plan;
      return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
    } finally {
      await admin.query('rollback');
    }
  }

  it('removes the history in batches', () => {
    expect(deletes.length).to.be.above(50);
  });

  it('reads about as many pages in its last batch as in its first, however many rows lie dead before it', async () => {
    // Each delete, run again now, finds only dead rows: its own batch's, and, were it not bounded
    // by the anchor, every row the batches before it removed. The first has no batch before it.
    const first = await pagesRead(deletes[0]!);
    const last = await pagesRead(deletes.at(-1)!);
    // Thousands of dead rows lie before the last batch: walking them reads a page per few hundred
    // index entries and one per few dozen table rows.
    expect(last, `first batch ${first} pages, last ${last}`).to.be.below(first + 15);
  });
});
