import { expect } from 'chai';
import fc from 'fast-check';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { runAuditCli } from '../../src/cli/audit.js';
import { checkpointText, parseCheckpoint, type AuditRecord } from '../../src/domain/audit.js';
import { chainHash, GENESIS_HASH } from '../../src/store/audit-chain.js';
import { storeKind } from '../../src/store/kind.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { Cleanup } from '../helpers/cleanup.js';
import { forEachDatabase, forEachSqlDatabase } from '../helpers/for-each-database.js';
import { csvCells } from '../helpers/csv.js';
import { ensureBuilt } from '../helpers/child.js';
import { sqliteDatabase } from '../helpers/databases.js';
import { newRequest, T0 } from '../helpers/requests.js';

const DAY = 24 * 3_600_000;

/** Runs SQL on the database behind the store's back, as someone editing it by hand would. */
async function tamper(url: string, statements: string[]): Promise<void> {
  if (storeKind(url) === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new SQLite(url);
  try {
    for (const statement of statements) db.exec(statement);
  } finally {
    db.close();
  }
}

/** Writes a small history: three requests, each created, started and completed (9 rows). */
async function history(store: SqlStore, at = T0): Promise<void> {
  for (const [i, account] of ['1001', '1002', '1003'].entries()) {
    const id = `r${at}-${i}`;
    const when = at + i * 1000;
    await store.createRequest(
      newRequest({ id, account, status: 'approved', requiredApprovals: 0, createdAt: when }),
      { type: 'requested', actor: 'UHANA', detail: { path: 'direct' } },
    );
    await store.transition(
      id,
      ['approved'],
      'resetting',
      when,
      {},
      { type: 'reset_started', actor: 'UHANA' },
    );
    await store.transition(id, ['resetting'], 'completed', when, {}, { type: 'completed', actor: 'UHANA' });
  }
}

async function rowsOf(store: SqlStore): Promise<AuditRecord[]> {
  const rows = [];
  for await (const row of store.auditRows()) rows.push(row);
  return rows;
}

/**
 * Rewrites the chain from row `seq` on as a database admin who knows the hashing would: every row
 * from there names a new actor, is rehashed and linked, and the head follows.
 */
async function rehashFrom(url: string, store: SqlStore, seq: number, actor: string): Promise<void> {
  const rows = await rowsOf(store);
  let prevHash = rows.find((row) => row.seq === seq - 1)?.hash ?? GENESIS_HASH;
  const statements = [];
  for (const row of rows.filter((r) => r.seq >= seq)) {
    const { prevHash: _old, hash: _hash, ...content } = { ...row, actor };
    const hash = chainHash(prevHash, content);
    statements.push(
      `update audit_events set actor = '${actor}', prev_hash = '${prevHash}', hash = '${hash}' where seq = ${row.seq}`,
    );
    prevHash = hash;
  }
  statements.push(`update audit_chain_head set hash = '${prevHash}'`);
  await tamper(url, statements);
}

async function cli(url: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runAuditCli(argv, {
    env: { DATABASE_URL: url },
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

forEachSqlDatabase('audit trail', (db) => {
  it('writes an event with its change, in the same transaction, and none for a change not made', async () => {
    await history(db.store);
    // A compare-and-set that finds the request elsewhere changes nothing and records nothing.
    expect(
      await db.store.transition(`r${T0}-0`, ['pending'], 'denied', T0, {}, { type: 'denied', actor: 'UBOB' }),
    ).to.equal(undefined);
    const rows = [];
    for await (const row of db.store.auditRows()) rows.push(row);
    expect(rows.map((r) => r.type)).to.deep.equal([
      ...['requested', 'reset_started', 'completed'],
      ...['requested', 'reset_started', 'completed'],
      ...['requested', 'reset_started', 'completed'],
    ]);
    expect(rows[0]).to.include({
      seq: 1,
      actor: 'UHANA',
      requestId: `r${T0}-0`,
      account: '1001',
      appId: 'app1',
    });
    expect(rows[0]?.detail).to.equal('{"path":"direct"}');
    expect(await db.store.verifyAudit()).to.deep.equal({ ok: true, rows: 9 });
  });

  it('counts an approval and the approval that approves, with the change', async () => {
    await db.store.createRequest(newRequest({ id: 'p1', requiredApprovals: 2 }), {
      type: 'requested',
      actor: 'UALICE',
    });
    await db.store.addApproval('p1', 'UBOB', T0, T0 + DAY);
    await db.store.addApproval('p1', 'UBOB', T0, T0 + DAY);
    await db.store.addApproval('p1', 'UDAVE', T0, T0 + DAY);
    const types = (await db.store.auditOf('1001', 10)).map((r) => `${r.type}:${r.actor}`).reverse();
    expect(types).to.deep.equal([
      'requested:UALICE',
      'approval_counted:UBOB',
      'approval_counted:UDAVE',
      'approved:UDAVE',
    ]);
    // The last two were appended by one transaction, each linked to the one before.
    expect(await db.store.verifyAudit()).to.deep.equal({ ok: true, rows: 4 });
  });

  it('finds an edited row', async () => {
    await history(db.store);
    await tamper(db.database.url, [`update audit_events set actor = 'UEVE' where seq = 5`]);
    expect(await db.store.verifyAudit()).to.deep.equal({
      ok: false,
      seq: 5,
      problem: 'row 5 was changed after it was written',
    });
    const { code, err } = await cli(db.database.url, 'verify');
    expect(code).to.equal(1);
    expect(err).to.equal('audit chain broken at row 5: row 5 was changed after it was written\n');
  });

  it('finds a deleted row, in the middle, at the start and at the end', async () => {
    await history(db.store);
    await tamper(db.database.url, [`delete from audit_events where seq = 4`]);
    expect(await db.store.verifyAudit()).to.include({ ok: false, seq: 5 });
    await tamper(db.database.url, [`delete from audit_events where seq = 1`]);
    expect(await db.store.verifyAudit()).to.include({ ok: false, seq: 2 });
  });

  it('finds the last rows removed', async () => {
    await history(db.store);
    await tamper(db.database.url, [`delete from audit_events where seq >= 8`]);
    const verdict = await db.store.verifyAudit();
    expect(verdict).to.include({ ok: false, seq: 8 });
    expect(verdict.ok === false && verdict.problem).to.match(/the last rows were removed/);
  });

  it('finds two rows swapped', async () => {
    await history(db.store);
    await tamper(db.database.url, [
      'update audit_events set seq = -1 where seq = 3',
      'update audit_events set seq = 3 where seq = 4',
      'update audit_events set seq = 4 where seq = -1',
    ]);
    expect(await db.store.verifyAudit()).to.deep.equal({
      ok: false,
      seq: 3,
      problem: 'row 3 does not name the hash of the row before it: a row was removed, replaced or moved',
    });
  });

  it('holds across a restart: a new store on the same database goes on with the same chain', async () => {
    await history(db.store);
    await db.store.close();
    db.store = new SqlStore(db.database.url);
    await db.store.migrate();
    await history(db.store, T0 + DAY);
    expect(await db.store.verifyAudit()).to.deep.equal({ ok: true, rows: 18 });
  });

  // Instances share a PostgreSQL database; an SQLite file has one writer at a time by design.
  (db.kind === 'PostgreSQL' ? it : it.skip)('holds with two instances writing at once', async () => {
    const other = await db.another();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? db.store : other).createRequest(
          newRequest({ id: `c${i}`, account: String(2000 + i) }),
          {
            type: 'requested',
            actor: 'UALICE',
          },
        ),
      ),
    );
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? other : db.store).transition(
          `c${i}`,
          ['pending'],
          'cancelled',
          T0,
          {},
          {
            type: 'cancelled',
            actor: 'UALICE',
          },
        ),
      ),
    );
    expect(await db.store.verifyAudit()).to.deep.equal({ ok: true, rows: 80 });
    // Approvals append two events in one transaction: interleaved across instances, still one chain.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? db.store : other).createRequest(
          newRequest({ id: `a${i}`, account: String(3000 + i) }),
        ),
      ),
    );
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? other : db.store).addApproval(`a${i}`, 'UBOB', T0, T0 + DAY),
      ),
    );
    expect(await db.store.verifyAudit()).to.deep.equal({ ok: true, rows: 120 });
  });

  it('prunes past the retention, anchoring the first row kept, which still verifies and still catches a deletion', async () => {
    await history(db.store, T0);
    await history(db.store, T0 + 10 * DAY);
    expect(await db.store.pruneAudit(T0 + 5 * DAY)).to.equal(9);
    expect(await db.store.verifyAudit()).to.deep.equal({ ok: true, rows: 9 });
    await tamper(db.database.url, [`delete from audit_events where seq = 10`]);
    expect(await db.store.verifyAudit()).to.include({ ok: false, seq: 11 });
  });

  it('finds a row inserted after the head, which export and history do not show', async () => {
    await history(db.store);
    // A forger's row, hashed and linked as the app would: only its place, after the head, betrays it.
    const [last] = await db.store.auditOf('1003', 1);
    const content = {
      seq: 10,
      at: T0 + 5000,
      type: 'completed' as const,
      actor: 'UEVE',
      requestId: last?.requestId ?? null,
      account: '1003',
      appId: 'app1',
      detail: null,
    };
    const hash = chainHash(last?.hash ?? '', content);
    await tamper(db.database.url, [
      `insert into audit_events (seq, at, type, actor, request_id, account, app_id, detail, prev_hash, hash)
       values (10, ${content.at}, 'completed', 'UEVE', '${content.requestId}', '1003', 'app1', null, '${last?.hash}', '${hash}')`,
    ]);
    expect(await db.store.verifyAudit()).to.deep.equal({
      ok: false,
      seq: 10,
      problem:
        "1 row(s) from row 10 on lie after the chain's head (row 9): they were added behind the app's back",
    });
    expect((await cli(db.database.url, 'verify')).code).to.equal(1);
    expect((await db.store.auditOf('1003', 10)).map((r) => r.actor)).not.to.include('UEVE');
    const exported = JSON.parse((await cli(db.database.url, 'export', '--format', 'json')).out) as unknown[];
    expect(exported).to.have.length(9);
  });

  it('finds a row put back before the anchor', async () => {
    await history(db.store, T0);
    await history(db.store, T0 + 10 * DAY);
    await db.store.pruneAudit(T0 + 5 * DAY);
    await tamper(db.database.url, [
      `insert into audit_events (seq, at, type, actor, request_id, account, app_id, detail, prev_hash, hash)
       values (9, ${T0}, 'completed', 'UEVE', null, '1003', 'app1', null, '${GENESIS_HASH}', '${GENESIS_HASH}')`,
    ]);
    expect(await db.store.verifyAudit()).to.include({ ok: false, seq: 9 });
    expect((await db.store.auditOf('1003', 10)).map((r) => r.actor)).not.to.include('UEVE');
  });

  it('finds the last rows removed with the head moved back, given a checkpoint from before', async () => {
    await history(db.store);
    const checkpoint = await db.store.auditHead();
    expect(checkpoint.seq).to.equal(9);
    expect(await db.store.verifyAudit({ expect: [checkpoint] })).to.deep.equal({ ok: true, rows: 9 });
    await tamper(db.database.url, [
      'update audit_chain_head set seq = 7, hash = (select hash from audit_events where seq = 7)',
      'delete from audit_events where seq > 7',
    ]);
    // Without a witness the shortened chain is whole: nothing in the database says it was longer.
    expect(await db.store.verifyAudit()).to.deep.equal({ ok: true, rows: 7 });
    expect(await db.store.verifyAudit({ expect: [checkpoint] })).to.deep.equal({
      ok: false,
      seq: 8,
      problem:
        'the chain ends at row 7, but it held row 9 once: its last rows were removed and its head moved back',
    });
    const { code, err } = await cli(db.database.url, 'verify', '--expect', checkpointText(checkpoint));
    expect(code).to.equal(1);
    expect(err).to.match(/^audit chain broken at row 8: the chain ends at row 7/);
    expect((await cli(db.database.url, 'verify', '--from', checkpointText(checkpoint))).code).to.equal(1);
  });

  it('finds the first rows removed with the anchor moved, given a checkpoint from before', async () => {
    await history(db.store);
    const early = { seq: 2, hash: (await rowsOf(db.store))[1]?.hash ?? '' };
    await tamper(db.database.url, [
      'update audit_chain_head set anchor_seq = 3, anchor_hash = (select hash from audit_events where seq = 3)',
      'delete from audit_events where seq <= 3',
    ]);
    expect(await db.store.verifyAudit()).to.deep.equal({ ok: true, rows: 6 });
    const verdict = await db.store.verifyAudit({ expect: [early] });
    expect(verdict).to.include({ ok: false, seq: 2 });
    expect(verdict.ok === false && verdict.problem).to.match(
      /held row 2 once: the rows up to 3 were removed/,
    );
    expect((await cli(db.database.url, 'verify', '--expect', checkpointText(early))).code).to.equal(1);
  });

  it('finds a chain rewritten after a checkpoint, and holds several checkpoints at once', async () => {
    await history(db.store);
    const rows = await rowsOf(db.store);
    const checkpoints = [0, 3, 8].map((i) => ({ seq: rows[i]?.seq ?? 0, hash: rows[i]?.hash ?? '' }));
    const held = await cli(
      db.database.url,
      'verify',
      ...checkpoints.flatMap((c) => ['--expect', checkpointText(c)]),
    );
    expect(held).to.include({ code: 0, out: 'audit chain verified: 9 rows, holding 3 checkpoint(s)\n' });
    // Rehashed from row 4 on, so the chain links again: only the checkpoint at row 4 tells.
    await rehashFrom(db.database.url, db.store, 4, 'UEVE');
    expect(await db.store.verifyAudit()).to.deep.equal({ ok: true, rows: 9 });
    expect(await db.store.verifyAudit({ expect: checkpoints })).to.deep.equal({
      ok: false,
      seq: 4,
      problem: `row 4 is not the row checkpoint ${checkpointText(checkpoints[1] ?? { seq: 0, hash: '' })} saw: the chain was rewritten from there on`,
    });
  });

  it('verifies from a checkpoint only the rows appended after it', async () => {
    await history(db.store);
    const checkpoint = await db.store.auditHead();
    await history(db.store, T0 + DAY);
    const from = await cli(db.database.url, 'verify', '--from', checkpointText(checkpoint));
    expect(from).to.include({ code: 0, out: 'audit chain verified: 9 rows after row 9\n' });
    // A row before the checkpoint is not read: its edit is the full verify's to find.
    await tamper(db.database.url, [`update audit_events set actor = 'UEVE' where seq = 5`]);
    expect(await db.store.verifyAudit({ from: checkpoint })).to.deep.equal({ ok: true, rows: 9 });
    expect(await db.store.verifyAudit()).to.include({ ok: false, seq: 5 });
    await tamper(db.database.url, [`update audit_events set actor = 'UEVE' where seq = 12`]);
    expect(await db.store.verifyAudit({ from: checkpoint })).to.include({ ok: false, seq: 12 });
    // A checkpoint the rows after it do not follow from.
    const forged = { seq: 9, hash: 'f'.repeat(64) };
    expect(await db.store.verifyAudit({ from: forged })).to.include({ ok: false, seq: 10 });
  });

  it('prints the head as a checkpoint, and explains a bad one', async () => {
    expect(await cli(db.database.url, 'head')).to.include({ code: 0, out: `0:${GENESIS_HASH}\n` });
    await history(db.store);
    const { out } = await cli(db.database.url, 'head');
    expect(parseCheckpoint(out)).to.deep.equal(await db.store.auditHead());
    expect(out).to.match(/^9:[0-9a-f]{64}\n$/);
    const bad = await cli(db.database.url, 'verify', '--expect', '9:xyz');
    expect(bad.code).to.equal(2);
    expect(bad.err).to.match(/^--expect must be a checkpoint SEQ:HASH/);
  });

  it('exports a range as CSV and as JSON', async () => {
    await history(db.store, Date.UTC(2026, 0, 1));
    await history(db.store, Date.UTC(2026, 1, 1));
    const csv = await cli(
      db.database.url,
      'export',
      '--since',
      '2026-01-01',
      '--until',
      '2026-01-31',
      '--format',
      'csv',
    );
    expect(csv.code).to.equal(0);
    const lines = csv.out.trimEnd().split('\n');
    expect(lines[0]).to.equal('seq,at,type,actor,requestId,account,appId,detail,prevHash,hash');
    expect(lines).to.have.length(10);
    expect(lines[1]).to.match(
      /^1,2026-01-01T00:00:00\.000Z,requested,UHANA,r\d+-0,1001,app1,"\{""path"":""direct""\}",0{64},[0-9a-f]{64}$/,
    );

    const json = await cli(db.database.url, 'export', '--since', '2026-02-01', '--format', 'json');
    const rows = JSON.parse(json.out) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.seq)).to.deep.equal([10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(rows[0]).to.include({ type: 'requested', at: '2026-02-01T00:00:00.000Z', account: '1001' });

    const empty = await cli(db.database.url, 'export', '--since', '2030-01-01', '--format', 'json');
    expect(JSON.parse(empty.out)).to.deep.equal([]);
  });

  it('explains a bad command line with exit 2', async () => {
    expect(await cli(db.database.url, 'export', '--since', 'yesterday')).to.include({ code: 2 });
    expect((await cli(db.database.url, 'export', '--format', 'xml')).err).to.equal(
      '--format must be csv or json\n',
    );
    expect((await cli(db.database.url, 'erase')).code).to.equal(2);
  });
});

forEachDatabase('audit checkpoints', (db) => {
  it("claims a day's checkpoint for one instance, gives it back, and takes over an expired claim", async () => {
    const other = await db.another();
    const lease = 10 * 60_000;
    const claims = await Promise.all(
      [db.store, other, db.store, other].map((s) => s.claimAuditCheckpoint('2026-12-07', T0, lease)),
    );
    expect(claims.filter(Boolean)).to.have.length(1);
    expect(
      await other.claimAuditCheckpoint('2026-12-07', T0 + lease - 1, lease),
      'within the lease',
    ).to.equal(false);
    expect(await other.claimAuditCheckpoint('2026-12-07', T0 + lease, lease), 'the lease is over').to.equal(
      true,
    );
    await other.settleAuditCheckpoint('2026-12-07', T0 + lease, false);
    expect(await db.store.claimAuditCheckpoint('2026-12-07', T0 + lease, lease), 'given back').to.equal(true);
    await db.store.settleAuditCheckpoint('2026-12-07', T0 + lease, true);
    expect(await other.claimAuditCheckpoint('2026-12-07', T0 + 10 * lease, lease), 'posted').to.equal(false);
    expect(await other.claimAuditCheckpoint('2026-12-08', T0 + 10 * lease, lease), 'the next day').to.equal(
      true,
    );
  });
});

describe('npm run audit -- export --format csv, whatever was typed', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('writes no cell a spreadsheet would evaluate, and each cell still reads as typed', async function () {
    this.timeout(60_000);
    const typed = fc.oneof(
      fc.string({ minLength: 1, maxLength: 12 }),
      fc
        .tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string({ maxLength: 12 }))
        .map(([start, rest]) => start + rest),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(typed, typed), { minLength: 1, maxLength: 4 }), async (typings) => {
        const database = sqliteDatabase();
        cleanup.add(() => database.drop());
        const store = new SqlStore(database.url);
        await store.migrate();
        for (const [i, [account, actor]] of typings.entries()) {
          await store.createRequest(newRequest({ id: `r${i}`, account }), {
            type: 'requested',
            actor,
            detail: { reason: actor },
          });
        }
        await store.close();
        const csv = await cli(database.url, 'export', '--format', 'csv');
        const json = await cli(database.url, 'export', '--format', 'json');
        const [header, ...rows] = csvCells(csv.out);
        const records = JSON.parse(json.out) as Array<Record<string, unknown>>;
        expect(rows).to.have.length(typings.length);
        rows.forEach((row, i) => {
          for (const cell of row) expect(cell).not.to.match(/^[=+\-@\t\r]/);
          (header ?? []).forEach((column, j) => {
            const raw = String(records[i]?.[column] ?? '');
            expect(row[j]).to.equal(/^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw);
          });
        });
        expect(records.map((record) => [record.account, record.actor])).to.deep.equal(typings);
      }),
      { numRuns: 25 },
    );
  });
});

describe('npm run audit -- export, read by a pipe that closes early', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('stops quietly with exit 0, as `| head` expects, instead of dying of EPIPE', async function () {
    this.timeout(30_000);
    const database = sqliteDatabase();
    cleanup.add(() => database.drop());
    const store = new SqlStore(database.url);
    await store.migrate();
    // Far more than a pipe holds (64 KiB), so the tool is still writing when the reader goes.
    for (let day = 0; day < 150; day += 1) await history(store, T0 + day * DAY);
    await store.close();
    ensureBuilt();
    const tool = spawn(process.execPath, [resolve('dist/cli/audit.js'), 'export', '--format', 'csv'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, DOTENV_CONFIG_PATH: '/nonexistent' },
    });
    let stderr = '';
    tool.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    tool.stdout.once('data', () => tool.stdout.destroy());
    const code = await new Promise((done) => tool.on('close', done));
    expect(stderr).to.equal('');
    expect(code).to.equal(0);
  });
});
