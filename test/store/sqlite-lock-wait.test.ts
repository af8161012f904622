import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { expect } from 'chai';
import { SqlStore } from '../../src/store/sql-store.js';
import { Cleanup } from '../helpers/cleanup.js';
import { sqliteDatabase } from '../helpers/databases.js';
import { rejection } from '../helpers/rejection.js';
import { newRequest, T0 } from '../helpers/requests.js';
import { lockDatabase } from '../helpers/sqlite-lock.js';

const MS_PER_NS = 1e-6;

/** The event loop's longest stall while `work` runs, in ms. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    const result = await work();
    return { result, stallMs: histogram.max * MS_PER_NS };
  } finally {
    histogram.disable();
  }
}

describe('SQL store on SQLite, another connection holding the lock', () => {
  const cleanup = new Cleanup();
  let path: string;
  let store: SqlStore;

  async function open(sqliteBusyTimeoutMs?: number): Promise<SqlStore> {
    const opened = new SqlStore(path, { sqliteBusyTimeoutMs });
    cleanup.add(() => opened.close());
    await opened.migrate();
    return opened;
  }

  /** Takes the lock from another connection; its release, released after the test at the latest. */
  function lock(): () => void {
    const release = lockDatabase(path);
    let held = true;
    const once = () => {
      if (held) release();
      held = false;
    };
    cleanup.add(() => Promise.resolve(once()));
    return once;
  }

  beforeEach(async () => {
    path = sqliteDatabase().url;
    store = await open();
  });
  afterEach(() => cleanup.run());

  it('keeps the event loop turning while a write waits 1.5 s for the lock, then writes once', async () => {
    await store.createRequest(newRequest({ id: 'before' }));
    const started = performance.now();
    const released = delay(1500).then(lock());
    const { result, stallMs } = await longestStall(async () => {
      const write = store.transition(
        'before',
        ['pending'],
        'cancelled',
        T0 + 1,
        {},
        {
          type: 'cancelled',
          actor: 'UALICE',
        },
      );
      // The connection is free between tries: a read answers while the write waits.
      expect((await store.getRequest('before'))?.status, 'read during the wait').to.equal('pending');
      expect(performance.now() - started, 'the read did not wait for the lock').to.be.below(500);
      return write;
    });
    await released;
    expect(performance.now() - started, 'waited for the release').to.be.at.least(1400);
    expect(stallMs, 'longest event-loop stall').to.be.below(300);
    expect(result?.status).to.equal('cancelled');
    expect(await store.auditOf('1001', 10), 'the transaction ran once').to.have.length(1);
    expect(await store.verifyAudit()).to.deep.include({ ok: true, rows: 1 });
  });

  it('lets many writes wait for the lock at once without a warning, each written once', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    cleanup.add(() => Promise.resolve(void process.off('warning', onWarning)));
    const release = lock();
    const writes = Array.from({ length: 20 }, (_, i) =>
      store.createRequest(newRequest({ id: `w${i}`, account: String(5000 + i) })),
    );
    await delay(150);
    release();
    await Promise.all(writes);
    // A process warning is emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).to.deep.equal([]);
    expect(await Promise.all(writes.map((_, i) => store.getRequest(`w${i}`)))).to.have.length(20);
  });

  it('fails the write with SQLITE_BUSY once the bound has passed, without freezing, and writes nothing', async () => {
    const bounded = await open(300);
    const release = lock();
    const started = performance.now();
    const { result: error, stallMs } = await longestStall(() =>
      rejection(bounded.createRequest(newRequest({ id: 'never' }), { type: 'requested', actor: 'UALICE' })),
    );
    const waited = performance.now() - started;
    expect((error as Error & { code?: string }).code).to.equal('SQLITE_BUSY');
    expect(waited, 'waited out the bound').to.be.at.least(290).and.below(2000);
    expect(stallMs, 'longest event-loop stall').to.be.below(150);
    release();
    expect(await bounded.getRequest('never')).to.equal(undefined);
    expect(await bounded.auditOf('1001', 10)).to.deep.equal([]);
  });

  it('runs a waiting transaction on what the other connection committed meanwhile', async () => {
    await store.createRequest(newRequest({ id: 'raced' }));
    const other = new SQLite(path);
    cleanup.add(() => Promise.resolve(other.close()).then(() => undefined));
    other.exec('BEGIN IMMEDIATE');
    const approval = store.addApproval('raced', 'UBOB', T0 + 1, T0 + 60_000);
    await delay(50);
    other.prepare("UPDATE reset_requests SET status = 'cancelled' WHERE id = ?").run('raced');
    other.exec('COMMIT');
    expect(await approval, 'no longer pending: nothing to approve').to.equal(undefined);
    expect(await store.listApprovals('raced')).to.deep.equal([]);
    expect(await store.verifyAudit()).to.deep.include({ ok: true });
  });

  it('lets a write that waits for the lock fail at once when the store closes', async () => {
    lock();
    const write = rejection(store.slackStore().rememberHomeViewer('UALICE', T0));
    await delay(50);
    const started = performance.now();
    await store.close();
    expect((await write).message).to.match(/locked/);
    expect(performance.now() - started).to.be.below(1000);
  });
});
