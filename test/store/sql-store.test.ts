import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import SQLite from 'better-sqlite3';
import { expect } from 'chai';
import pg from 'pg';
import { SqlStore } from '../../src/store/sql-store.js';
import { OpenRequestExists } from '../../src/domain/errors.js';
import { storeKind } from '../../src/store/kind.js';
import { newRequest, T0 } from '../helpers/requests.js';
import type { TestDatabase } from '../helpers/databases.js';
import { forEachDatabase, forEachSqlDatabase } from '../helpers/for-each-database.js';
import { rejection } from '../helpers/rejection.js';

/** One statement through a connection of the test's own, beside the store's. */
async function runSql(database: TestDatabase, statement: string): Promise<void> {
  if (database.kind === 'sqlite') {
    const sqlite = new SQLite(database.url);
    try {
      sqlite.exec(statement);
    } finally {
      sqlite.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe('store URLs', () => {
  it('tells PostgreSQL URLs from SQLite paths', () => {
    expect(storeKind('postgres://u@h/db')).to.equal('postgres');
    expect(storeKind('postgresql://u@h/db')).to.equal('postgres');
    expect(storeKind('./data/x.sqlite')).to.equal('sqlite');
    expect(storeKind('sqlite:./data/x.sqlite')).to.equal('sqlite');
  });
});

describe('SQL store connecting to PostgreSQL', () => {
  it('gives up opening a PostgreSQL connection after connectTimeoutMs when the server says nothing', async () => {
    const held = new Set<Socket>();
    const silent = createServer((socket) => held.add(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    const store = new SqlStore(`postgres://sip@127.0.0.1:${port}/sip`, { connectTimeoutMs: 100 });
    try {
      expect((await rejection(store.ping())).message).to.match(/timeout/i);
    } finally {
      await store.close();
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });
});

forEachDatabase('the store', (db) => {
  it('migrates twice without harm and round-trips a request', async () => {
    await db.store.migrate();
    const created = await db.store.createRequest(newRequest({ id: 'a1' }));
    const read = await db.store.getRequest('a1');
    expect(read).to.deep.equal(created);
    expect(read?.createdAt).to.be.a('number').and.equal(T0);
    expect(await db.store.getRequest('nope')).to.equal(undefined);
  });

  it('allows one open request per account and app, and names the open one', async () => {
    await db.store.createRequest(newRequest({ id: 'first' }));
    await db.store.createRequest(newRequest({ id: 'other-app', appId: 'app2' }));
    try {
      await db.store.createRequest(newRequest({ id: 'second' }));
      expect.fail('a second open request was accepted');
    } catch (error) {
      expect(error).to.be.instanceOf(OpenRequestExists);
      expect((error as OpenRequestExists).existing.id).to.equal('first');
    }
    await db.store.transition('first', ['pending'], 'denied', T0 + 1);
    await db.store.createRequest(newRequest({ id: 'third' }));
    expect((await db.store.findOpenRequest('1001', 'app1'))?.id).to.equal('third');
  });

  it('changes state only from the expected state', async () => {
    await db.store.createRequest(newRequest({ id: 'cas' }));
    const denied = await db.store.transition('cas', ['pending'], 'denied', T0 + 5, {
      decidedBy: 'U9',
      denyReason: 'no',
    });
    expect(denied).to.include({ status: 'denied', decidedBy: 'U9', denyReason: 'no', updatedAt: T0 + 5 });
    expect(await db.store.transition('cas', ['pending'], 'approved', T0 + 6)).to.equal(undefined);
    expect((await db.store.getRequest('cas'))?.status).to.equal('denied');
  });

  it('lets exactly one of many concurrent transitions win', async () => {
    await db.store.createRequest(newRequest({ id: 'race', status: 'approved', requiredApprovals: 0 }));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => db.store.transition('race', ['approved'], 'resetting', T0 + i)),
    );
    expect(results.filter(Boolean)).to.have.length(1);
  });

  it('counts distinct approvers and approves at the required number, once', async () => {
    await db.store.createRequest(newRequest({ id: 'two', requiredApprovals: 2 }));
    const first = await db.store.addApproval('two', 'U1', T0 + 1, T0 + 100);
    expect(first?.counted).to.equal(true);
    expect(first?.request.status).to.equal('pending');
    const again = await db.store.addApproval('two', 'U1', T0 + 2, T0 + 100);
    expect(again?.counted).to.equal(false);
    expect(again?.request.status).to.equal('pending');
    const second = await db.store.addApproval('two', 'U2', T0 + 3, T0 + 100);
    expect(second?.request).to.include({ status: 'approved', decidedBy: 'U2', grantExpiresAt: T0 + 100 });
    expect(second?.approvals.map((a) => a.approverId)).to.deep.equal(['U1', 'U2']);
    expect(await db.store.addApproval('two', 'U3', T0 + 4, T0 + 100)).to.equal(undefined);
  });

  it('approves exactly once under 20 concurrent approvers', async () => {
    await db.store.createRequest(newRequest({ id: 'many', requiredApprovals: 2 }));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => db.store.addApproval('many', `U${i}`, T0 + i, T0 + 100)),
    );
    const approvedBy = results.filter((r) => r?.request.status === 'approved');
    expect(approvedBy).to.have.length(1);
    expect(await db.store.listApprovals('many')).to.have.length(2);
  });

  it('lists due, by status and by requester, and counts recent requests', async () => {
    await db.store.createRequest(newRequest({ id: 'old', account: '2001', expiresAt: T0 + 10 }));
    await db.store.createRequest(newRequest({ id: 'fresh', account: '2002', expiresAt: T0 + 1000 }));
    await db.store.createRequest(
      newRequest({ id: 'grant', account: '2003', status: 'approved', grantExpiresAt: T0 + 10 }),
    );
    await db.store.createRequest(
      newRequest({ id: 'other', account: '2004', requesterId: 'UBOB', createdAt: T0 - 7_200_000 }),
    );
    expect((await db.store.listDue(T0 + 10)).map((r) => r.id).sort()).to.deep.equal(['grant', 'old']);
    expect((await db.store.listByStatus('approved')).map((r) => r.id)).to.deep.equal(['grant']);
    expect(await db.store.countRequestsSince('UALICE', T0 - 1)).to.equal(3);
    expect(await db.store.countRequestsSince('UBOB', T0 - 3_600_000)).to.equal(0);
    expect((await db.store.listByRequester('UALICE', 2)).length).to.equal(2);
  });

  it('pages through the Home lists, each in its order, a tie in time broken by ID', async () => {
    // Four of UALICE's at the same ms, one older; UBOB's are pending, and two are decided.
    for (const id of ['m1', 'm3', 'm2', 'm4'])
      await db.store.createRequest(newRequest({ id, account: `30${id}`, status: 'cancelled' }));
    await db.store.createRequest(
      newRequest({ id: 'm0', account: '3000', createdAt: T0 - 5, status: 'expired' }),
    );
    await db.store.createRequest(
      newRequest({ id: 'p2', account: '4002', requesterId: 'UBOB', createdAt: T0 + 2 }),
    );
    await db.store.createRequest(
      newRequest({ id: 'p1', account: '4001', requesterId: 'UBOB', createdAt: T0 + 1 }),
    );
    await db.store.createRequest(newRequest({ id: 'd1', account: '5001', requesterId: 'UBOB' }));
    await db.store.createRequest(newRequest({ id: 'd2', account: '5002', requesterId: 'UBOB' }));
    await db.store.transition('d1', ['pending'], 'denied', T0 + 10, {
      decidedAt: T0 + 10,
      decidedBy: 'UDAVE',
    });
    await db.store.addApproval('d2', 'UDAVE', T0 + 20, T0 + 600_000);
    await db.store.transition('d2', ['approved'], 'resetting', T0 + 30, { resetStartedAt: T0 + 30 });
    await db.store.transition('d2', ['resetting'], 'completed', T0 + 40, { finishedAt: T0 + 40 });
    const ids = (requests: Array<{ id: string }>) => requests.map((r) => r.id);

    expect(ids(await db.store.listByRequester('UALICE', 3))).to.deep.equal(['m4', 'm3', 'm2']);
    // The next page seeks from the last one shown, inside a tie in time.
    expect(ids(await db.store.listByRequester('UALICE', 3, { at: T0, id: 'm2' }))).to.deep.equal([
      'm1',
      'm0',
    ]);
    // From a key whose request no longer is where it was (or never was): the rows after it, no others.
    expect(ids(await db.store.listByRequester('UALICE', 3, { at: T0, id: 'm25' }))).to.deep.equal([
      'm2',
      'm1',
      'm0',
    ]);
    expect(ids(await db.store.listByRequester('UALICE', 3, { at: T0 - 5, id: 'm0' }))).to.deep.equal([]);
    // Another person's key seeks in this person's requests only.
    expect(ids(await db.store.listByRequester('UALICE', 10, { at: T0 + 2, id: 'p2' }))).to.deep.equal([
      'm4',
      'm3',
      'm2',
      'm1',
      'm0',
    ]);
    expect(ids(await db.store.listPending(10))).to.deep.equal(['p1', 'p2']);
    expect(ids(await db.store.listPending(10, { at: T0 + 1, id: 'p1' }))).to.deep.equal(['p2']);
    expect(ids(await db.store.listDecided(10))).to.deep.equal(['d2', 'd1']);
    expect(ids(await db.store.listDecided(10, { at: T0 + 20, id: 'd2' }))).to.deep.equal(['d1']);
    expect(ids(await db.store.listFinished(10))).to.deep.equal(['d2']);
    expect(ids(await db.store.listFinished(10, { at: T0 + 40, id: 'd2' }))).to.deep.equal([]);
  });

  it('pages through many requests at the same ms, each once, whatever the page size', async () => {
    const made = Array.from({ length: 23 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    for (const [i, id] of made.entries())
      await db.store.createRequest(
        newRequest({ id, account: `60${i}`, status: 'cancelled', createdAt: T0 + (i % 3 === 0 ? 0 : i) }),
      );
    for (const size of [1, 4, 10]) {
      const seen: string[] = [];
      let after: { at: number; id: string } | undefined;
      for (;;) {
        const page = await db.store.listByRequester('UALICE', size, after);
        seen.push(...page.map((r) => r.id));
        const last = page.at(-1);
        if (!last || page.length < size) break;
        after = { at: last.createdAt, id: last.id };
      }
      expect([...seen].sort(), `pages of ${size}`).to.deep.equal(made);
      expect(seen, 'newest first').to.deep.equal(
        [...seen].sort((a, b) => {
          const at = (id: string) => (Number(id.slice(1)) % 3 === 0 ? 0 : Number(id.slice(1)));
          return at(b) - at(a) || (a < b ? 1 : -1);
        }),
      );
    }
  });

  it('records when the approvers were told of a request, without a change of state', async () => {
    await db.store.createRequest(newRequest({ id: 'told' }));
    expect((await db.store.getRequest('told'))?.announcedAt).to.equal(null);
    const announced = await db.store.markAnnounced('told', T0 + 1);
    expect(announced).to.include({ status: 'pending', announcedAt: T0 + 1, updatedAt: T0 + 1 });
    expect(await db.store.getRequest('told')).to.deep.equal(announced);
    expect(await db.store.markAnnounced('nope', T0 + 1)).to.equal(undefined);
  });
});

forEachSqlDatabase('the SQL store', (db) => {
  it('names the migrations not applied yet, and none once migrated', async () => {
    const fresh = await db.fresh();
    const unmigrated = new SqlStore(fresh.url);
    db.cleanup.add(() => unmigrated.close());
    expect(await unmigrated.pendingMigrations()).to.include.members(['001_requests', '003_audit']);
    expect(await unmigrated.pendingMigrations(), 'looking applied nothing').to.include('001_requests');
    expect(await db.store.pendingMigrations()).to.deep.equal([]);
  });

  it('leaves a database that has had a migration this version does not know to the migrator, which refuses it', async () => {
    await runSql(db.database, "insert into kysely_migration (name, timestamp) values ('999_newer', 'x')");
    expect((await rejection(db.store.migrate())).message).to.match(/corrupted migrations/i);
  });

  if (db.kind === 'PostgreSQL') {
    it('closes only once the server has seen every connection end', async () => {
      await db.store.createRequest(newRequest({ id: 'busy' }));
      await Promise.all(Array.from({ length: 20 }, () => db.store.getRequest('busy')));
      expect(await db.database.openConnections()).to.be.greaterThan(1);
      await db.store.close();
      expect(await db.database.openConnections()).to.equal(0);
    });
  }

  if (db.kind === 'SQLite') {
    it('keeps its data in the file across a reopen', async () => {
      await db.store.createRequest(newRequest({ id: 'kept' }));
      await db.store.close();
      db.store = new SqlStore(db.database.url);
      await db.store.migrate();
      expect((await db.store.getRequest('kept'))?.status).to.equal('pending');
      expect(readFileSync(db.database.url).length).to.be.greaterThan(0);
    });
  }
});
