// `npm run bench:history` (or `npm run bench -- --history N`): how the app's reads and chores hold up
// on years of history (issue 25). For each size N (10,000 and 100,000 requests unless `--sizes`
// says otherwise; 1,000,000 only when asked), it seeds a fresh SQLite file and a fresh PostgreSQL
// database through the app's own migrations and chain hash (bench/seed-history.ts), then times,
// on the real SqlStore and use cases, what people and the sweep wait for: start-up, the Home tab
// (and a page 101 lists back), status, history, the rate-limit check, the sweep without retention,
// `audit verify`, an export of a one-year window, the first prune once retention is set (with the
// reads and audited writes answered while it runs), and the sweep with retention after it. Each
// with the longest event-loop stall it caused (perf_hooks.monitorEventLoopDelay). Writes
// bench/results/history.md and history.json. `--smoke` runs a tiny size (the test suite's).
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as pause } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { VendorClient } from '../src/domain/ports.js';
import { buildUseCases, type UseCases } from '../src/domain/use-cases/index.js';
import type { HomeSection, PageQuery } from '../src/domain/use-cases/queries.js';
import { AUDIT_PRUNE_BUDGET_MS } from '../src/slack/flows/upkeep-sweep.js';
import { SqlStore } from '../src/store/sql-store.js';
import { freshPostgres } from './processes.js';
import { HISTORY_SHAPE, seedHistory } from './seed-history.js';
import { markdownTable, percentile, shown } from './stats.js';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
/** The retention the first prune applies: a year kept of five, four fifths of the history removed. */
const RETENTION_DAYS = 365;
/** The page of a list a person pages back to: 100 pages of 10 before it. */
const FAR_PAGE = 101;
/** The monitor's sampling: a stall shorter than this is not told from none. */
const RESOLUTION_MS = 1;
/**
 * How long the event loop is watched doing nothing before the operations: the longest stall then is
 * the machine's (other processes taking the cores), not the app's, and an operation's stall within
 * it says nothing about the operation.
 */
const IDLE_WATCH_MS = 2000;

type Kind = 'sqlite' | 'postgres';

/** How long an operation took (ms: the median of its repeats, or its one run) and the longest stall. */
export interface Figure {
  ms: number;
  stallMs: number;
  /** Rows it handled, where that says something (verify, export, prune). */
  rows?: number;
}

export interface HistoryFigures {
  requests: number;
  auditRows: number;
  seedMs: number;
  /** The longest stall of an idle event loop watched for IDLE_WATCH_MS, and the load average then. */
  idle: { stallMs: number; loadAverage: number };
  operations: Record<string, Figure>;
  /** While the first prune ran: the slowest read and audited write the app answered meanwhile. */
  duringPrune: { reads: number; readMaxMs: number; writes: number; writeMaxMs: number };
  verifiedAfterPrune: boolean;
  /** SQLite only: the WAL file's size once the prune is done (its checkpoint gives the space back). */
  walMiBAfterPrune?: number;
}

/** Runs `work` `repeats` times under the event-loop monitor: its median time and the longest stall. */
async function measure<T>(work: () => Promise<T>, repeats = 1): Promise<Figure & { result: T }> {
  const monitor = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const times: number[] = [];
  let result!: T;
  monitor.enable();
  for (let i = 0; i < repeats; i += 1) {
    const started = performance.now();
    result = await work();
    times.push(performance.now() - started);
  }
  // One more turn, so a stall at the very end is sampled too.
  await pause(2 * RESOLUTION_MS);
  monitor.disable();
  return { ms: percentile(times, 50), stallMs: monitor.max / 1e6, result };
}

const HELPDESK = 'UHELPDESK';

function useCasesOn(store: SqlStore, now: () => number): UseCases {
  return buildUseCases({
    store,
    // Never called: the history bench resets nothing.
    vendor: {} as VendorClient,
    // A helpdesk agent who approves sees all four lists of the Home tab: the fullest one.
    policy: {
      helpdesk: [HELPDESK],
      approvers: [HELPDESK],
      owners: {},
      protectedAccounts: [],
      protectedApprovals: 2,
    },
    directory: { resolve: (userId: string) => Promise.resolve({ userId, groupIds: [] }) },
    settings: {
      appIds: ['app-main'],
      requestTtlMinutes: 60,
      grantTtlMinutes: 30,
      maxRequestsPerHour: 5,
      approvalsPossible: true,
      resetStaleAfterMs: 10 * 60_000,
      deliveryStaleAfterMs: 10 * 60_000,
      lockoutRatePerSecond: 2,
      lockoutGrantDays: 7,
      lockoutLeaseMs: 10 * 60_000,
    },
    now,
  });
}

const FIRST: PageQuery = { position: 0, limit: 10 };
const FIRST_PAGES: Record<HomeSection, PageQuery> = {
  mine: FIRST,
  queue: FIRST,
  decisions: FIRST,
  resets: FIRST,
};

/** The sweep's reads and chores on the store, as src/slack/flows/upkeep-sweep.ts runs them (without Slack). */
async function sweepChores(
  { upkeep }: UseCases,
  store: SqlStore,
  now: number,
  retentionDays: number | undefined,
): Promise<void> {
  await upkeep.expireDue();
  await upkeep.remindDue();
  await upkeep.recoverInterrupted();
  if (retentionDays !== undefined) await upkeep.pruneAudit(retentionDays, AUDIT_PRUNE_BUDGET_MS);
  await store.slackStore().pruneHomeViewers(now - DAY);
}

/** The open requests a live app has beside its history: pending ones waiting, one approved. */
async function liveRequests(store: SqlStore, now: number): Promise<void> {
  for (let i = 0; i < 20; i += 1) {
    const createdAt = now - i * 60_000;
    await store.createRequest(
      {
        id: `live-${i}`,
        requesterId: `U${String(i).padStart(6, '0')}`,
        account: String(900_000 + i),
        appId: 'app-main',
        reason: 'new phone',
        status: 'pending',
        requiredApprovals: 1,
        createdAt,
        expiresAt: createdAt + HOUR,
      },
      { type: 'requested', actor: `U${String(i).padStart(6, '0')}` },
    );
    const ts = `${Math.floor(createdAt / 1000)}.000200`;
    await store.slackStore().saveMessageRef(`live-${i}`, 'approval', { channel: 'C0APPROVALS', ts });
    await store.markAnnounced(`live-${i}`, createdAt);
  }
}

async function drain(rows: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of rows) n += 1;
  return n;
}

/** Seeds N requests into a fresh database of this kind and measures every operation on it. */
async function benchOne(kind: Kind, requests: number, smoke: boolean): Promise<HistoryFigures> {
  const now = Date.now();
  const place =
    kind === 'sqlite'
      ? {
          url: join(mkdtempSync(join(tmpdir(), 'sip-history-')), 'history.db'),
          drop: () => Promise.resolve(),
        }
      : await freshPostgres();
  const repeats = smoke ? 3 : 30;
  try {
    const seedStarted = performance.now();
    const auditRows = await seedHistory(place.url, requests, now - DAY);
    const seedMs = performance.now() - seedStarted;
    const idle = {
      stallMs: (await measure(() => pause(IDLE_WATCH_MS))).stallMs,
      loadAverage: loadavg()[0] ?? 0,
    };
    console.log(`  ${kind} ${requests}: idle, the machine's own stall: ${shown(idle.stallMs)} ms`);
    const operations: Record<string, Figure> = {};
    const keep = (name: string, { ms, stallMs, rows }: Figure) => {
      operations[name] = { ms, stallMs, ...(rows !== undefined ? { rows } : {}) };
      console.log(`  ${kind} ${requests}: ${name}: ${shown(ms)} ms, stall ${shown(stallMs)} ms`);
    };

    const startUp = await measure(async () => {
      const opened = new SqlStore(place.url);
      await opened.migrate();
      await opened.auditHead();
      return opened;
    });
    keep('start-up (open, migrations checked)', startUp);
    const store = startUp.result;
    try {
      await liveRequests(store, now);
      const useCases = useCasesOn(store, () => now);
      const someone = 'U000042';
      const account = String(100000 + ((42 * 7919) % HISTORY_SHAPE.accounts));

      keep(
        'Home tab (all four lists, first pages)',
        await measure(() => useCases.queries.home(HELPDESK, FIRST_PAGES), repeats),
      );
      // Page 101 of the latest resets, reached as a person reaches it: each page from the last one's key.
      let resets = FIRST;
      let far: Figure | undefined;
      for (let page = 1; page <= FAR_PAGE; page += 1) {
        const figure = await measure(() => useCases.queries.home(HELPDESK, { ...FIRST_PAGES, resets }));
        const next = figure.result.resets?.next;
        if (page === FAR_PAGE || !next) {
          far = figure;
          break;
        }
        resets = { position: page * 10, limit: 10, after: next };
      }
      if (far) keep(`Home tab, latest resets page ${FAR_PAGE} (or the last)`, far);
      keep(
        'status (open requests of a person)',
        await measure(() => useCases.queries.openRequestsOf(someone), repeats),
      );
      keep('history (an account, 20 events)', await measure(() => store.auditOf(account, 20), repeats));
      keep('rate-limit check', await measure(() => store.countRequestsSince(someone, now - HOUR), repeats));
      keep('sweep, no retention', await measure(() => sweepChores(useCases, store, now, undefined), repeats));
      const verified = await measure(() => store.verifyAudit());
      if (!verified.result.ok)
        throw new Error(`audit verify failed on the seeded history: ${verified.result.problem}`);
      keep('audit verify (whole chain)', { ...verified, rows: verified.result.rows });
      const window = { since: now - 3 * 365 * DAY, until: now - 2 * 365 * DAY };
      const exported = await measure(() => drain(store.auditRows(window)));
      keep('audit export, a one-year window', { ...exported, rows: exported.result });

      // Retention just set: a sweep prunes for its budget, and leaves the rest to the next ones.
      const firstSweep = await measure(() => sweepChores(useCases, store, now, RETENTION_DAYS));
      keep(`sweep, retention just set (prunes for ${AUDIT_PRUNE_BUDGET_MS} ms at most)`, firstSweep);
      // The rest of the first prune at once, with a person's reads and audited writes going on.
      const duringPrune = { reads: 0, readMaxMs: 0, writes: 0, writeMaxMs: 0 };
      let pruning = true;
      const reads = (async () => {
        while (pruning) {
          const started = performance.now();
          await useCases.queries.openRequestsOf(someone);
          duringPrune.readMaxMs = Math.max(duringPrune.readMaxMs, performance.now() - started);
          duringPrune.reads += 1;
          await pause(5);
        }
      })();
      const writes = (async () => {
        while (pruning) {
          const started = performance.now();
          await store.appendAudit('live-0', { type: 'owner_notified', actor: 'system' }, now);
          duringPrune.writeMaxMs = Math.max(duringPrune.writeMaxMs, performance.now() - started);
          duringPrune.writes += 1;
          await pause(20);
        }
      })();
      const pruned = await measure(() => useCases.upkeep.pruneAudit(RETENTION_DAYS));
      pruning = false;
      await Promise.all([reads, writes]);
      keep(`first prune, the rest at once (retention ${RETENTION_DAYS} days)`, {
        ...pruned,
        rows: pruned.result,
      });
      const walMiBAfterPrune = kind === 'sqlite' ? (statSafe(`${place.url}-wal`) ?? 0) / 2 ** 20 : undefined;
      const after = await store.verifyAudit();
      keep(
        'sweep, retention set',
        await measure(() => sweepChores(useCases, store, now, RETENTION_DAYS), repeats),
      );
      const restarted = await measure(async () => {
        const opened = new SqlStore(place.url);
        try {
          await opened.migrate();
          await sweepChores(
            useCasesOn(opened, () => now),
            opened,
            now,
            RETENTION_DAYS,
          );
        } finally {
          await opened.close();
        }
      });
      keep('start-up with retention (open, first sweep)', restarted);
      return {
        requests,
        auditRows,
        seedMs,
        idle,
        operations,
        duringPrune,
        verifiedAfterPrune: after.ok,
        ...(walMiBAfterPrune !== undefined ? { walMiBAfterPrune } : {}),
      };
    } finally {
      await store.close();
    }
  } finally {
    await place.drop();
  }
}

function statSafe(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** One table per database: an operation a row, each size a column of its time and longest stall. */
export function historyTables(results: Record<string, HistoryFigures[]>): string {
  return Object.entries(results)
    .map(([kind, runs]) => {
      const names = [...new Set(runs.flatMap((run) => Object.keys(run.operations)))];
      const header = [
        'operation',
        ...runs.map((run) => `${run.requests.toLocaleString('en')} requests: ms (stall ms)`),
      ];
      const rows = [
        [
          `the machine's own stall: an idle event loop for ${IDLE_WATCH_MS / 1000} s (load average)`,
          ...runs.map((run) => `– (${shown(run.idle.stallMs)}), load ${run.idle.loadAverage.toFixed(1)}`),
        ],
      ];
      rows.push(
        ...names.map((name) => [
          name,
          ...runs.map((run) => {
            const figure = run.operations[name];
            if (!figure) return '–';
            const rows = figure.rows !== undefined ? `, ${figure.rows.toLocaleString('en')} rows` : '';
            return `${shown(figure.ms)} (${shown(figure.stallMs)})${rows}`;
          }),
        ]),
      );
      rows.push([
        'while the first prune ran: slowest status read / audited write, ms',
        ...runs.map(
          (run) =>
            `${shown(run.duringPrune.readMaxMs)} of ${run.duringPrune.reads} / ${shown(run.duringPrune.writeMaxMs)} of ${run.duringPrune.writes}`,
        ),
      ]);
      rows.push([
        'audit verify after the prune',
        ...runs.map((run) => (run.verifiedAfterPrune ? 'passes' : 'FAILS')),
      ]);
      if (kind === 'sqlite')
        rows.push(['WAL after the prune, MiB', ...runs.map((run) => shown(run.walMiBAfterPrune))]);
      rows.push(['seeding (not the app), s', ...runs.map((run) => shown(run.seedMs / 1000))]);
      const title = kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      return `### ${title}\n\n${markdownTable(header, rows)}\n`;
    })
    .join('\n');
}

export async function runHistoryBench(options: {
  sizes: number[];
  databases: Kind[];
  out: string;
  smoke?: boolean;
}): Promise<Record<string, HistoryFigures[]>> {
  const started = performance.now();
  const results: Record<string, HistoryFigures[]> = {};
  for (const kind of options.databases) {
    results[kind] = [];
    for (const size of options.sizes) {
      console.log(`${kind}: seeding ${size} requests…`);
      results[kind].push(await benchOne(kind, size, options.smoke ?? false));
    }
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
  const durationS = (performance.now() - started) / 1000;
  const markdown = [
    `## History bench ${new Date().toISOString()}${options.smoke ? ' (smoke)' : ''}`,
    '',
    `${machine}. Each history: ${HISTORY_SHAPE.requesters.toLocaleString('en')} requesters, ${HISTORY_SHAPE.approvers} approvers, ${HISTORY_SHAPE.accounts.toLocaleString('en')} accounts, 5 audit events a request over ${HISTORY_SHAPE.years} years, seeded through the app's migrations and chain hash. Times are medians of repeats for the reads and sweeps, one run for the rest; the stall is the longest event-loop delay (monitorEventLoopDelay) during the operation. Run took ${durationS.toFixed(0)} s.`,
    '',
    historyTables(results),
  ].join('\n');
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, 'history.md'), markdown);
  writeFileSync(
    join(options.out, 'history.json'),
    `${JSON.stringify({ machine, smoke: options.smoke ?? false, durationS, results }, null, 2)}\n`,
  );
  console.log(markdown);
  console.log(`Written to ${join(options.out, 'history.md')} and history.json`);
  return results;
}

/** `--sizes 10000,100000` (or `--history N`, repeatable), `--db sqlite,postgres`, `--out DIR`, `--smoke`. */
export function historyOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string' },
      history: { type: 'string', multiple: true },
      db: { type: 'string', default: 'sqlite,postgres' },
      out: { type: 'string', default: 'bench/results' },
      smoke: { type: 'boolean', default: false },
    },
  });
  const named = [...(values.sizes?.split(',') ?? []), ...(values.history ?? [])].map((size) =>
    Number(size.replace(/_/g, '')),
  );
  const sizes = named.length > 0 ? named : values.smoke ? [300] : [10_000, 100_000];
  for (const size of sizes)
    if (!Number.isSafeInteger(size) || size < 1) throw new Error(`not a number of requests: ${size}`);
  return {
    sizes,
    databases: values.db.split(',').map((db) => db.trim()) as Kind[],
    out: resolve(values.out),
    smoke: values.smoke,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runHistoryBench(historyOptions(process.argv.slice(2))).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
