import { EventEmitter, once } from 'node:events';
import { expect } from 'chai';
import { rejection } from '../helpers/rejection.js';
import pg from 'pg';
import type { StoreLogger } from '../../src/store/sql-connection.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { Cleanup } from '../helpers/cleanup.js';
import { postgresDatabase, requirePostgres, type TestDatabase } from '../helpers/databases.js';
import { PostgresRelay } from '../helpers/postgres-relay.js';
import { newRequest, T0 } from '../helpers/requests.js';

/** The store's lost-connection lines, and a way to wait for them. */
class Losses extends EventEmitter implements StoreLogger {
  readonly lines: string[] = [];

  warn(message: string): void {
    this.lines.push(message);
    this.emit('line');
  }

  async atLeast(count: number): Promise<void> {
    while (this.lines.length < count) await once(this, 'line');
  }
}

describe('SQL store on PostgreSQL, when the server ends its connections', () => {
  const cleanup = new Cleanup();
  let database: TestDatabase;
  let losses: Losses;
  let store: SqlStore;
  /** An operator's own connection to the same database. */
  let operator: pg.Client;

  before(async function () {
    await requirePostgres(this);
  });

  beforeEach(async () => {
    database = await postgresDatabase();
    cleanup.add(() => database.drop());
    operator = new pg.Client({ connectionString: database.url });
    await operator.connect();
    cleanup.add(() => operator.end());
    losses = new Losses();
    store = new SqlStore(database.url, { logger: losses });
    cleanup.add(() => store.close());
    await store.migrate();
  });

  afterEach(() => cleanup.run());

  /** The server ends every connection to the database but the operator's; returns their process IDs. */
  async function terminateTheStores(): Promise<number[]> {
    // The select list, unlike a where clause, is evaluated only for the rows the filter kept.
    const { rows } = await operator.query<{ pid: number }>(
      `select pid, pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`,
    );
    return rows.map((row) => row.pid);
  }

  async function storeBackends(): Promise<number[]> {
    const { rows } = await operator.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return rows.map((row) => row.pid);
  }

  it('lives through its idle connections being ended, says so once each, and serves the next call', async () => {
    await store.createRequest(newRequest({ id: 'idle' }));
    await Promise.all(Array.from({ length: 5 }, () => store.getRequest('idle')));
    const ended = await terminateTheStores();
    expect(ended.length).to.be.greaterThan(1);
    // Each client emits 'error' as its connection ends; had the store no listener, the emit would
    // throw out of pg's socket handler and fail this test as an uncaught error (in production: exit).
    await losses.atLeast(ended.length);
    expect(losses.lines).to.deep.equal(
      ended.map(() => 'database connection lost; the next query opens a new one'),
    );
    expect((await store.getRequest('idle'))?.status).to.equal('pending');
    const now = await storeBackends();
    expect(now).to.have.length.greaterThan(0);
    expect(now.filter((pid) => ended.includes(pid))).to.deep.equal([]);
  });

  it('fails an approval cut off mid-transaction, keeps the request as it was, and approves on the next call', async () => {
    const created = await store.createRequest(newRequest({ id: 'cut' }));
    // The operator writes the same approval and holds it uncommitted: the store's transaction has
    // already touched the request's row when its own insert waits for the operator's.
    await operator.query('begin');
    await operator.query(
      `insert into request_approvals (request_id, approver_id, at) values ('cut', 'UBOB', 0)`,
    );
    const approving = store.addApproval('cut', 'UBOB', T0 + 1, T0 + 100);
    const failed = rejection(approving);
    await operator.query(`do $$ begin
      while not exists (select 1 from pg_stat_activity
                         where datname = current_database() and wait_event_type = 'Lock') loop
        perform pg_sleep(0.005);
        perform pg_stat_clear_snapshot();
      end loop;
    end $$`);
    expect(await terminateTheStores()).to.have.length.greaterThan(0);
    await operator.query('rollback');
    expect((await failed).message).to.match(/terminat|not queryable/i);
    expect(await store.getRequest('cut')).to.deep.equal(created);
    expect(await store.listApprovals('cut')).to.deep.equal([]);
    const approved = await store.addApproval('cut', 'UBOB', T0 + 2, T0 + 100);
    expect(approved?.counted).to.equal(true);
    expect(approved?.request).to.include({ status: 'approved', decidedBy: 'UBOB', updatedAt: T0 + 2 });
  });

  describe('through a proxy that drops connections silently', () => {
    let relay: PostgresRelay;
    let relayed: SqlStore;

    beforeEach(async () => {
      relay = new PostgresRelay(new URL(database.url));
      await relay.start();
      cleanup.add(() => relay.stop());
      relayed = new SqlStore(relay.url, { logger: losses });
      cleanup.add(() => relayed.close());
      await relayed.createRequest(newRequest({ id: 'far' }));
      expect(await storeBackends()).to.have.length(2);
    });

    it('repeats a read once on a new connection when the one it was sent on turns out dead', async () => {
      expect(relay.dropSilently()).to.equal(1);
      expect((await relayed.getRequest('far'))?.status).to.equal('pending');
      expect(losses.lines).to.have.length(1);
    });

    it('never repeats a write: it fails, and the next write runs on a new connection', async () => {
      expect(relay.dropSilently()).to.equal(1);
      const error = await rejection(relayed.transition('far', ['pending'], 'denied', T0 + 1));
      expect((error as Error & { code?: string }).code).to.equal('ECONNRESET');
      expect((await relayed.getRequest('far'))?.status).to.equal('pending');
      expect((await relayed.transition('far', ['pending'], 'denied', T0 + 2))?.status).to.equal('denied');
    });
  });
});
