import { expect } from 'chai';
import { migrationProvider } from '../../src/store/migrations.js';
import { kysely } from '../../src/store/modules.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { connectWithoutStore as connect } from '../helpers/databases.js';
import { forEachDatabase, forEachSqlDatabase } from '../helpers/for-each-database.js';
import { lockoutCampaign, lockoutItem } from '../helpers/lockout-world.js';
import { T0 } from '../helpers/requests.js';

const { sql } = kysely;

const campaign = lockoutCampaign();
const item = (seq: number) => lockoutItem(seq, { ownerId: 'UOWNER' });

forEachDatabase("a lock-out's people told", (under) => {
  beforeEach(async () => {
    await under.store.createCampaign(campaign, [item(0), item(1), item(2)]);
    for (const seq of [0, 1]) {
      await under.store.moveItem('c1', seq, ['queued'], 'locked_out', T0, { finishedAt: T0 });
    }
  });

  it('records once, by compare-and-set, that a locked-out phone was told, or why its owners were not', async () => {
    const other = await under.another();
    const both = await Promise.all([
      under.store.markTold('c1', 0, T0 + 1, null),
      other.markTold('c1', 0, T0 + 2, 'dm_failed'),
    ]);
    expect(both.filter(Boolean), 'one of two instances').to.have.length(1);
    expect(await under.store.markTold('c1', 1, T0 + 3, 'grant_failed')).to.equal(true);
    expect(await under.store.markTold('c1', 1, T0 + 4, null), 'recorded already').to.equal(false);
    expect(await under.store.markTold('c1', 2, T0 + 5, null), 'not locked out').to.equal(false);
    const [first, second, third] = await under.store.listItems('c1');
    expect([T0 + 1, T0 + 2]).to.include(first?.toldAt);
    expect(first?.notTold).to.equal(first?.toldAt === T0 + 1 ? null : 'dm_failed');
    expect(second).to.include({ toldAt: T0 + 3, notTold: 'grant_failed' });
    expect(third).to.include({ toldAt: null, notTold: null });
  });

  it('keeps the requests a lock-out made and withdrew on the phone', async () => {
    await under.store.moveItem('c1', 0, ['locked_out'], 'locked_out', T0, { withdrawnRequestId: 'r-old' });
    await under.store.moveItem('c1', 0, ['locked_out'], 'locked_out', T0, { ownerRequestId: 'r-grant' });
    expect((await under.store.listItems('c1'))[0]).to.include({
      state: 'locked_out',
      withdrawnRequestId: 'r-old',
      ownerRequestId: 'r-grant',
      toldAt: null,
    });
  });
});

forEachSqlDatabase('upgrading to lock-outs whose people are told once (013)', (db) => {
  it('counts the phones 1.3.0 locked out as told, and no other phone', async () => {
    const database = await db.fresh();
    const older = connect(database);
    try {
      const { error } = await new kysely.Migrator({ db: older, provider: migrationProvider }).migrateTo(
        '012_lockouts',
      );
      if (error) throw error;
      await sql`insert into lockout_campaigns (id, agent_id, reason, state, count, created_at,
        draft_expires_at, started_at, updated_at)
        values ('c1', 'UHELP', 'leaked', 'running', 3, ${T0}, ${T0}, ${T0}, ${T0})`.execute(older);
      const row = (seq: number, state: string, finishedAt: number | null) =>
        sql`insert into lockout_items (campaign_id, seq, account, app_id, state, owner_id, finished_at)
          values ('c1', ${seq}, ${String(1000 + seq)}, 'app1', ${state}, 'UOWNER', ${finishedAt})`.execute(
          older,
        );
      await row(0, 'locked_out', T0 + 7);
      await row(1, 'failed', T0 + 8);
      await row(2, 'queued', null);
    } finally {
      await older.destroy();
    }
    const store = new SqlStore(database.url);
    db.cleanup.add(() => store.close());
    await store.migrate();
    expect(
      (await store.listItems('c1')).map((i) => [i.state, i.toldAt, i.notTold, i.withdrawnRequestId]),
    ).to.deep.equal([
      ['locked_out', T0 + 7, null, null],
      ['failed', null, null, null],
      ['queued', null, null, null],
    ]);
    expect(await store.pendingMigrations()).to.deep.equal([]);
  });
});
