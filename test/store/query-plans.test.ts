import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'chai';
import pg from 'pg';
import { seedHistory } from '../../bench/seed-history.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { DATABASE_KINDS, requirePostgres, type TestDatabase } from '../helpers/databases.js';
import { newRequest } from '../helpers/requests.js';

// The hot queries of a long history (issue 25), as the store really sends them: each operation runs
// on the real SqlStore over a seeded history, every statement it sends is caught on the way out, and
// the database is asked how it would run it. None may scan a table or sort what it reads (SQLite's
// temporary B-tree, PostgreSQL's Sort): at a million requests either is seconds, not milliseconds.

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 29, 9, 0, 0);
const REQUESTS = 2000;

type Captured = { sql: string; parameters: readonly unknown[] };
type Operation = (store: SqlStore) => Promise<unknown>;

const drain = async (rows: AsyncIterable<unknown>) => {
  let n = 0;
  for await (const _ of rows) n += 1;
  return n;
};

/** A page key in the middle of the seeded history: the next page of a list seeks from it. */
const KEY = { at: NOW - 2 * 365 * DAY, id: 'seed-000m00' };

/** What people and the sweep wait for, each by the store calls it makes. */
const OPERATIONS: Record<string, Operation> = {
  'start-up: migrations up to date': (s) => s.migrate(),
  'Home: my requests, first and an older page': async (s) => {
    await s.listByRequester('U000042', 11);
    await s.listByRequester('U000042', 11, KEY);
  },
  'Home: the queue, first and an older page, with approvals': async (s) => {
    const [first] = await s.listPending(11);
    await s.listPending(11, KEY);
    await s.listApprovals(first?.id ?? 'none');
  },
  'Home: latest decisions, first and an older page': async (s) => {
    await s.listDecided(11);
    await s.listDecided(11, KEY);
  },
  'Home: latest resets, first and an older page': async (s) => {
    await s.listFinished(11);
    await s.listFinished(11, KEY);
  },
  'Home: who opened it lately': (s) => s.slackStore().homeViewersSince(NOW - DAY, 5000),
  'status: open requests of a person': (s) => s.listByRequester('U000042', 100),
  'history: audit events of an account': (s) => s.auditOf('100042', 20),
  'rate-limit check and the open request of an account': async (s) => {
    await s.countRequestsSince('U000042', NOW - 3_600_000);
    await s.findOpenRequest('100042', 'app-main');
  },
  'a request and its approval': async (s) => {
    const request = await s.createRequest(
      newRequest({ id: 'plan-1', account: '777', createdAt: NOW, expiresAt: NOW + DAY }),
      { type: 'requested', actor: 'UALICE' },
    );
    await s.getRequest(request.id);
    await s.addApproval(request.id, 'UDAVE', NOW, NOW + DAY);
    await s.transition(
      request.id,
      ['approved'],
      'resetting',
      NOW,
      { resetStartedAt: NOW },
      {
        type: 'reset_started',
        actor: 'UALICE',
      },
    );
    await s.markAnnounced(request.id, NOW);
  },
  "a request's messages in Slack: saved, replaced and read": async (s) => {
    const slack = s.slackStore();
    await slack.saveMessageRef('plan-1', 'approval', { channel: 'C1', ts: '1.2' });
    await slack.saveMessageRef('plan-1', 'grant', { channel: 'D1', ts: '1.3' });
    await slack.messageRefsOf('plan-1');
    await slack.messageRefsOf('seed-000m00');
  },
  'sweep: due requests, reminders, interrupted resets, Home viewers': async (s) => {
    await s.listDue(NOW);
    const [due] = await s.listReminderDue(NOW);
    await s.markReminded(due?.id ?? 'none', NOW);
    await s.listByStatus('resetting');
    await s.slackStore().pruneHomeViewers(NOW - DAY);
  },
  'sweep: retention lookup with nothing to prune': (s) => s.pruneAudit(NOW - 6 * 365 * DAY),
  'sweep: prune batches': (s) => s.pruneAudit(NOW - 4 * 365 * DAY, { batchSize: 500 }),
  'audit export with --since and --until, a year and a day': async (s) => {
    await drain(s.auditRows({ since: NOW - 3 * 365 * DAY, until: NOW - 2 * 365 * DAY }));
    await drain(s.auditRows({ since: NOW - 3 * 365 * DAY, until: NOW - 3 * 365 * DAY + DAY }));
    await drain(s.auditRows({ since: NOW - 30 * DAY }));
  },
  'audit verify': (s) => s.verifyAudit(),
  'daily checkpoint': async (s) => {
    await s.claimAuditCheckpoint('2026-11-29', NOW, 60_000);
    await s.settleAuditCheckpoint('2026-11-29', NOW, true);
    await s.auditHead();
  },
};

/**
 * Scans that stay small whatever the history: an insert's own rows, the migrations table (one row a
 * migration), and the partial index of pending requests not yet reminded (only requests still open).
 */
const SQLITE_BOUNDED_SCANS = [
  /^SCAN \d+-ROW VALUES CLAUSE$/,
  /^SCAN kysely_migration( USING COVERING INDEX \w+)?$/,
  /^SCAN reset_requests USING INDEX reset_requests_reminder_due$/,
];

/** What is wrong with an SQLite plan: a table scan or a sort; undefined when it seeks. */
function sqliteProblem(plan: string[]): string | undefined {
  const sorts = plan.filter((step) => /TEMP B-TREE/.test(step));
  const scans = plan.filter(
    (step) => /^SCAN /.test(step) && !SQLITE_BOUNDED_SCANS.some((bounded) => bounded.test(step)),
  );
  return [...sorts, ...scans].join('; ') || undefined;
}

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PgNode[];
}

/** What is wrong with a PostgreSQL plan: a sequential scan or a sort; undefined when it seeks. */
function postgresProblem(node: PgNode): string | undefined {
  const problems: string[] = [];
  const visit = (n: PgNode) => {
    if (n['Node Type'] === 'Seq Scan') problems.push(`Seq Scan on ${n['Relation Name']}`);
    if (/Sort$/.test(n['Node Type'])) problems.push(n['Node Type']);
    for (const child of n.Plans ?? []) visit(child);
  };
  visit(node);
  return problems.join('; ') || undefined;
}

const isQuery = (sql: string) => /^\s*(select|insert|update|delete|with)\b/i.test(sql);

for (const { kind, create, postgres } of DATABASE_KINDS) {
  describe(`the store's hot queries on a seeded history, on ${kind}: they seek, never scan or sort`, function () {
    this.timeout(120_000);
    let database: TestDatabase;
    const caught = new Map<string, Captured[]>();

    before(async function () {
      if (postgres) await requirePostgres(this);
      database = await create();
      await seedHistory(database.url, REQUESTS, NOW - DAY);
      let operation = '';
      const store = new SqlStore(database.url, {
        onQuery: ({ sql, parameters }) => {
          if (!isQuery(sql)) return;
          const seen = caught.get(operation) ?? [];
          // Each statement with each of its first few sets of parameters: a plan may turn on them.
          const same = seen.filter((query) => query.sql === sql);
          const known = same.some((query) => JSON.stringify(query.parameters) === JSON.stringify(parameters));
          if (!known && same.length < 10) seen.push({ sql, parameters: [...parameters] });
          caught.set(operation, seen);
        },
      });
      try {
        await store.migrate();
        // Open requests beside the history: pending ones posted for approval, an approved one.
        for (let i = 0; i < 30; i += 1) {
          const request = await store.createRequest(
            newRequest({
              id: `open-${i}`,
              account: String(900 + i),
              requesterId: 'U000042',
              createdAt: NOW - i * 60_000,
              expiresAt: NOW + (i - 15) * 60_000,
            }),
          );
          await store.slackStore().saveMessageRef(request.id, 'approval', { channel: 'C1', ts: `${i}.1` });
          await store.markAnnounced(request.id, NOW);
        }
        await store.addApproval('open-0', 'UDAVE', NOW, NOW - 1);
        await store.slackStore().rememberHomeViewer('U000042', NOW);
        for (const [name, run] of Object.entries(OPERATIONS)) {
          operation = name;
          await run(store);
        }
      } finally {
        await store.close();
      }
    });

    after(async () => {
      await database?.drop();
    });

    const plansFor = (name: string) => {
      const queries = caught.get(name) ?? [];
      expect(queries.length, `${name} sent no query`).to.be.above(0);
      return queries;
    };

    if (!postgres) {
      for (const analyzed of [false, true]) {
        describe(analyzed ? 'after ANALYZE' : 'as the app leaves it (no ANALYZE)', () => {
          let db: BetterSqlite3.Database;
          before(() => {
            db = new BetterSqlite3(database.url);
            if (analyzed) db.exec('analyze');
          });
          after(() => db?.close());
          for (const name of Object.keys(OPERATIONS)) {
            it(name, () => {
              for (const { sql, parameters } of plansFor(name)) {
                const plan = (
                  db.prepare(`explain query plan ${sql}`).all(...parameters) as Array<{ detail: string }>
                ).map((row) => row.detail);
                expect(sqliteProblem(plan), `${sql}\n  ${plan.join('\n  ')}`).to.equal(undefined);
              }
            });
          }
        });
      }
    } else {
      describe('with scans and sorts priced out (enable_seqscan, enable_sort = off)', () => {
        let client: pg.Client;
        before(async () => {
          client = new pg.Client({ connectionString: database.url });
          await client.connect();
          // On a small table a scan or a sort is cheapest and the plan would say nothing: with both
          // priced out, one is chosen only where no index can answer, which is what this asks.
          await client.query('set enable_seqscan = off');
          await client.query('set enable_sort = off');
        });
        after(async () => client?.end());
        for (const name of Object.keys(OPERATIONS)) {
          it(name, async () => {
            for (const { sql, parameters } of plansFor(name)) {
              const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PgNode }> }>(
                `explain (format json) ${sql}`,
                [...parameters],
              );
              const plan = rows[0]?.['QUERY PLAN'][0]?.Plan as PgNode;
              expect(postgresProblem(plan), `${sql}\n${JSON.stringify(plan, null, 1)}`).to.equal(undefined);
            }
          });
        }
      });
    }
  });
}
