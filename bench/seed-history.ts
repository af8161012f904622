// Seeds a realistic history (issue 25's shape: 2,000 requesters, 50 approvers, 20,000 accounts,
// five audit events per request over five years, each request approved, every requester's Home
// opened lately) into a fresh database through the app's own
// migrations and chain hash, so `audit verify` passes on it. Rows go in by batches in one
// transaction per batch: 100,000 requests seed in about a minute.
// `npx tsx bench/seed-history.ts --requests N --db sqlite|postgres [--file path]` prints the URL.
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { parseArgs } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord } from '../src/domain/audit.js';
import type { AuditType } from '../src/domain/lifecycle.js';
import type { Approval, ResetRequest } from '../src/domain/request.js';
import { GENESIS_HASH, chainHash } from '../src/store/audit-chain.js';
import { storeKind } from '../src/store/kind.js';
import type { SlackTables } from '../src/store/sql-slack-store.js';
import { SqlStore } from '../src/store/sql-store.js';

type SlackRequestMessages = SlackTables['slackRequestMessages'];

const DAY = 24 * 60 * 60 * 1000;
export const HISTORY_SHAPE = { requesters: 2000, approvers: 50, accounts: 20000, years: 5 } as const;
const EVENTS: readonly AuditType[] = [
  'requested',
  'approved',
  'reset_started',
  'password_issued',
  'completed',
];
const BATCH = 1000;

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Request `i` of `n`, and its five audit events (without seq and hashes), ending before `now`. */
function requestAt(i: number, n: number, now: number): ResetRequest {
  const span = HISTORY_SHAPE.years * 365 * DAY;
  const createdAt = now - span + Math.floor((i * span) / n);
  return {
    id: `seed-${i.toString(36).padStart(6, '0')}`,
    requesterId: `U${(i % HISTORY_SHAPE.requesters).toString().padStart(6, '0')}`,
    account: String(100000 + ((i * 7919) % HISTORY_SHAPE.accounts)),
    appId: 'app-main',
    reason: 'forgot',
    status: 'completed',
    requiredApprovals: 1,
    createdAt,
    expiresAt: createdAt + DAY,
    grantExpiresAt: createdAt + 2 * DAY,
    decidedAt: createdAt + 1000,
    decidedBy: `UA${(i % HISTORY_SHAPE.approvers).toString().padStart(4, '0')}`,
    denyReason: null,
    resetStartedAt: createdAt + 2000,
    finishedAt: createdAt + 4000,
    failureCode: null,
    announcedAt: createdAt + 100,
    submissionId: null,
    remindedAt: null,
    lockoutId: null,
    updatedAt: createdAt + 4000,
  };
}

/** Where a request's approval message is in Slack, as the Slack side keeps it. */
function messagesOf(request: ResetRequest): SlackRequestMessages {
  return {
    requestId: request.id,
    approvalChannel: 'C0APPROVALS',
    approvalTs: `${Math.floor(request.createdAt / 1000)}.000100`,
    grantChannel: null,
    grantTs: null,
  };
}

interface Batch {
  requests: ResetRequest[];
  messages: SlackRequestMessages[];
  approvals: Approval[];
  audit: AuditRecord[];
}

/** Batches of requests, their approvals and their chained audit rows, hashed by the store's own chainHash. */
function* batches(n: number, now: number): Generator<Batch> {
  let prevHash = GENESIS_HASH;
  let seq = 0;
  for (let start = 0; start < n; start += BATCH) {
    const requests: ResetRequest[] = [];
    const approvals: Approval[] = [];
    const audit: AuditRecord[] = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      const request = requestAt(i, n, now);
      requests.push(request);
      approvals.push({
        requestId: request.id,
        approverId: request.decidedBy ?? '',
        at: request.createdAt + 1000,
      });
      EVENTS.forEach((type, k) => {
        seq += 1;
        const content = {
          seq,
          at: request.createdAt + k * 1000,
          type,
          actor: k === 1 ? (request.decidedBy ?? '') : request.requesterId,
          requestId: request.id,
          account: request.account,
          appId: request.appId,
          detail: null,
        };
        const hash = chainHash(prevHash, content);
        audit.push({ ...content, prevHash, hash });
        prevHash = hash;
      });
    }
    yield { requests, messages: requests.map(messagesOf), approvals, audit };
  }
}

/** Every requester opened their Home tab within the last two days, as the sweep keeps it. */
function homeViewers(now: number): Array<{ userId: string; openedAt: number }> {
  return Array.from({ length: HISTORY_SHAPE.requesters }, (_, i) => ({
    userId: `U${i.toString().padStart(6, '0')}`,
    openedAt: now - Math.floor((i * 2 * DAY) / HISTORY_SHAPE.requesters),
  }));
}

function rowsOf(objects: readonly object[]): { columns: string[]; values: unknown[][] } {
  const keys = Object.keys(objects[0] ?? {});
  return {
    columns: keys.map(snake),
    values: objects.map((o) => keys.map((k) => (o as Record<string, unknown>)[k])),
  };
}

/** Seeds `n` requests into the fresh database at `databaseUrl`; returns the chain head's seq. */
export async function seedHistory(databaseUrl: string, n: number, now = Date.now()): Promise<number> {
  const store = new SqlStore(databaseUrl);
  await store.migrate();
  await store.close();
  let head = { seq: 0, hash: GENESIS_HASH };
  if (storeKind(databaseUrl) === 'sqlite') {
    const db = new BetterSqlite3(databaseUrl.replace(/^sqlite:(\/\/)?/, ''));
    db.pragma('journal_mode = WAL');
    const statements = new Map<string, BetterSqlite3.Statement>();
    const insert = (table: string, objects: readonly object[]) => {
      const { columns, values } = rowsOf(objects);
      const key = `${table}:${columns.join(',')}`;
      let statement = statements.get(key);
      if (!statement) {
        statement = db.prepare(
          `insert into ${table} (${columns.join(',')}) values (${columns.map(() => '?').join(',')})`,
        );
        statements.set(key, statement);
      }
      for (const row of values) statement.run(row);
    };
    for (const batch of batches(n, now)) {
      db.transaction(() => {
        insert('reset_requests', batch.requests);
        insert('slack_request_messages', batch.messages);
        insert('request_approvals', batch.approvals);
        insert('audit_events', batch.audit);
      })();
      const last = batch.audit.at(-1)!;
      head = { seq: last.seq, hash: last.hash };
    }
    db.transaction(() => insert('home_viewers', homeViewers(now)))();
    db.prepare('update audit_chain_head set seq = ?, hash = ? where id = 1').run(head.seq, head.hash);
    db.pragma('wal_checkpoint(truncate)');
    db.close();
  } else {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const insert = async (table: string, objects: readonly object[]) => {
      const { columns, values } = rowsOf(objects);
      const params: unknown[] = [];
      const tuples = values.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(',')})`);
      await client.query(`insert into ${table} (${columns.join(',')}) values ${tuples.join(',')}`, params);
    };
    for (const batch of batches(n, now)) {
      await client.query('begin');
      await insert('reset_requests', batch.requests);
      await insert('slack_request_messages', batch.messages);
      await insert('request_approvals', batch.approvals);
      for (let i = 0; i < batch.audit.length; i += BATCH)
        await insert('audit_events', batch.audit.slice(i, i + BATCH));
      await client.query('commit');
      const last = batch.audit.at(-1)!;
      head = { seq: last.seq, hash: last.hash };
    }
    const viewers = homeViewers(now);
    for (let i = 0; i < viewers.length; i += BATCH) await insert('home_viewers', viewers.slice(i, i + BATCH));
    await client.query('update audit_chain_head set seq = $1, hash = $2 where id = 1', [head.seq, head.hash]);
    await client.query('analyze');
    await client.end();
  }
  return head.seq;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '10000' },
      db: { type: 'string', default: 'sqlite' },
      file: { type: 'string' },
    },
  });
  const n = Number(values.requests);
  let url = values.file ?? join(mkdtempSync(join(tmpdir(), 'sip-history-')), 'history.db');
  if (values.db === 'postgres') {
    const { freshPostgres } = await import('./processes.js');
    url = (await freshPostgres()).url;
  }
  const started = performance.now();
  const rows = await seedHistory(url, n);
  console.log(`${n} requests, ${rows} audit rows in ${Math.round(performance.now() - started)} ms: ${url}`);
  // freshPostgres keeps its admin connection open to drop the database later; this one is kept.
  process.exit(0);
}
