import { expect } from 'chai';
import type { AuditRecord } from '../../src/domain/audit.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { Cleanup } from '../helpers/cleanup.js';
import { DATABASE_KINDS, requirePostgres } from '../helpers/databases.js';
import { T0 } from '../helpers/requests.js';

// `audit export` reads the chain a page at a time, seeking along the sequence, and keeps the rows
// of its --since/--until window: whatever the window and wherever the pages end, every row of the
// window comes once, in order, and no other (issue 25). Pages of 10 rows here, so that ties in time
// straddle page edges and windows can start and end exactly on them.

const PAGE = 10;
const ROWS = 47;

/** Row i's time: four rows share each second, so ties cross the page edges; two come out of order. */
function atOf(i: number): number {
  if (i === 23) return T0; // written late by an instance whose clock lagged
  if (i === 31) return T0 + 9_000;
  return T0 + Math.floor(i / 4) * 1000;
}

const seqs = (rows: readonly AuditRecord[]) => rows.map((row) => row.seq);

async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const found: T[] = [];
  for await (const row of rows) found.push(row);
  return found;
}

for (const { kind, create, postgres } of DATABASE_KINDS) {
  describe(`audit export pages with a window, on ${kind}`, function () {
    this.timeout(60_000);
    const cleanup = new Cleanup();
    let store: SqlStore;

    beforeEach(async function () {
      if (postgres) await requirePostgres(this);
      const database = await create();
      cleanup.add(() => database.drop());
      store = new SqlStore(database.url, { auditPageRows: PAGE });
      cleanup.add(() => store.close());
      await store.migrate();
      for (let i = 0; i < ROWS; i += 1)
        await store.appendAudit(`r-${i}`, { type: 'owner_notified', actor: 'system' }, atOf(i));
    });
    afterEach(() => cleanup.run());

    /** Every window whose bounds are the times of rows at and beside each page edge, or open. */
    async function expectEveryWindow(): Promise<number> {
      const chain = await all(store.auditRows());
      const head = await store.auditHead();
      expect(seqs(chain), 'the whole chain, each row once, in order').to.deep.equal(
        Array.from({ length: chain.length }, (_, i) => head.seq - chain.length + 1 + i),
      );
      // The last two rows of each page and the first two of the next.
      const edges = chain.filter((_, i) => [PAGE - 2, PAGE - 1, 0, 1].includes(i % PAGE));
      const bounds = [undefined, ...new Set(edges.map((row) => row.at)), T0 - 1, T0 + 60_000];
      let windows = 0;
      for (const since of bounds)
        for (const until of bounds) {
          const range = {
            ...(since !== undefined ? { since } : {}),
            ...(until !== undefined ? { until } : {}),
          };
          const expected = chain.filter(
            (row) => (since === undefined || row.at >= since) && (until === undefined || row.at < until),
          );
          expect(seqs(await all(store.auditRows(range))), JSON.stringify(range)).to.deep.equal(
            seqs(expected),
          );
          windows += 1;
        }
      return windows;
    }

    it('gives every row of a window once, with ties in time across page edges and bounds on the edges', async () => {
      const chain = await all(store.auditRows());
      expect(chain[PAGE - 1]?.at, 'a tie in time crosses the first page edge').to.equal(chain[PAGE]?.at);
      expect(await expectEveryWindow()).to.be.at.least(100);
    });

    it('still does once the anchor moved inside a page (a prune)', async () => {
      // Stops at row 12 (the first not older), leaving row 23, older, in the chain after it.
      expect(await store.pruneAudit(T0 + 3000, { batchSize: 5 })).to.equal(12);
      expect((await store.verifyAudit()).ok).to.equal(true);
      expect(await expectEveryWindow()).to.be.at.least(100);
    });
  });
}
