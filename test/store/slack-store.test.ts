import { expect } from 'chai';
import { migrationProvider } from '../../src/store/migrations.js';
import { kysely } from '../../src/store/modules.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { connectWithoutStore as connect } from '../helpers/databases.js';
import { forEachDatabase, forEachSqlDatabase } from '../helpers/for-each-database.js';
import { newRequest, T0 } from '../helpers/requests.js';

const HOUR = 3_600_000;
const { sql } = kysely;

forEachDatabase("the Slack side's store", (db) => {
  it("remembers where a request's messages are, each kind replacing only its own", async () => {
    await db.store.createRequest(newRequest({ id: 'shown' }));
    const slack = db.store.slackStore();
    expect(await slack.messageRefsOf('shown'), 'never posted').to.deep.equal({});
    await slack.saveMessageRef('shown', 'approval', { channel: 'C1', ts: '1.1' });
    expect(await slack.messageRefsOf('shown')).to.deep.equal({ approval: { channel: 'C1', ts: '1.1' } });
    await slack.saveMessageRef('shown', 'grant', { channel: 'D1', ts: '2.2' });
    await slack.saveMessageRef('shown', 'approval', { channel: 'C2', ts: '1.2' });
    expect(await slack.messageRefsOf('shown')).to.deep.equal({
      approval: { channel: 'C2', ts: '1.2' },
      grant: { channel: 'D1', ts: '2.2' },
    });
    expect((await db.store.getRequest('shown'))?.updatedAt, "the request's own row untouched").to.equal(T0);
  });

  it('shares them with another instance on the same database', async () => {
    await db.store.createRequest(newRequest({ id: 'shared' }));
    await db.store.slackStore().saveMessageRef('shared', 'approval', { channel: 'C1', ts: '1.1' });
    const other = await db.another();
    expect(await other.slackStore().messageRefsOf('shared')).to.deep.equal({
      approval: { channel: 'C1', ts: '1.1' },
    });
  });

  it('remembers who opened the Home tab, the latest first, within a time and a number', async () => {
    const slack = db.store.slackStore();
    await slack.rememberHomeViewer('UALICE', T0);
    await slack.rememberHomeViewer('UBOB', T0 + 1);
    await slack.rememberHomeViewer('UDAVE', T0 - 100);
    await slack.rememberHomeViewer('UALICE', T0 + 2);
    expect(await slack.homeViewersSince(T0 - 10, 10)).to.deep.equal(['UALICE', 'UBOB']);
    expect(await slack.homeViewersSince(T0 - 1000, 2)).to.deep.equal(['UALICE', 'UBOB']);
  });

  it('forgets who opened the Home tab before a time, and only them', async () => {
    const slack = db.store.slackStore();
    await slack.rememberHomeViewer('UALICE', T0);
    await slack.rememberHomeViewer('UBOB', T0 - 100);
    await slack.rememberHomeViewer('UDAVE', T0 - 101);
    expect(await slack.pruneHomeViewers(T0 - 100)).to.equal(1);
    expect(await slack.homeViewersSince(0, 10)).to.deep.equal(['UALICE', 'UBOB']);
    expect(await slack.pruneHomeViewers(T0 - 100), 'nothing left to forget').to.equal(0);
  });
});

forEachSqlDatabase("upgrading to the Slack side's own table (011)", (db) => {
  it("copies where each request's messages are out of reset_requests, keeps its reminders, and lets 1.1.0 still write", async () => {
    const database = await db.fresh();
    const older = connect(database);
    try {
      const { error } = await new kysely.Migrator({
        db: older,
        provider: migrationProvider,
      }).migrateTo('010_requester_pages');
      if (error) throw error;
      const request = (id: string, account: string, status: string, refs: Array<string | null>) =>
        sql`insert into reset_requests (id, requester_id, account, app_id, reason, status,
          required_approvals, created_at, expires_at, updated_at,
          approval_channel, approval_ts, grant_channel, grant_ts)
          values (${id}, 'UALICE', ${account}, 'app1', 'lost it', ${status}, 1, ${T0}, ${T0 + HOUR},
          ${T0 + 5}, ${refs[0]}, ${refs[1]}, ${refs[2]}, ${refs[3]})`.execute(older);
      await request('granted', '1001', 'approved', ['C1', '1.1', 'D1', '2.2']);
      await request('posted', '1002', 'pending', ['C1', '1.2', null, null]);
      await request('unposted', '1003', 'pending', [null, null, null, null]);
    } finally {
      await older.destroy();
    }

    const store = new SqlStore(database.url);
    db.cleanup.add(() => store.close());
    await store.migrate();
    const slack = store.slackStore();
    expect(await slack.messageRefsOf('granted')).to.deep.equal({
      approval: { channel: 'C1', ts: '1.1' },
      grant: { channel: 'D1', ts: '2.2' },
    });
    expect(await slack.messageRefsOf('posted')).to.deep.equal({ approval: { channel: 'C1', ts: '1.2' } });
    expect(await slack.messageRefsOf('unposted')).to.deep.equal({});
    // Posted as they were made: announced then, in the request's own words.
    expect((await store.getRequest('posted'))?.announcedAt).to.equal(T0);
    expect((await store.getRequest('granted'))?.announcedAt).to.equal(T0);
    expect((await store.getRequest('unposted'))?.announcedAt).to.equal(null);
    expect((await store.listReminderDue(T0 + HOUR / 2)).map((r) => r.id)).to.deep.equal(['posted']);
    expect(await store.pendingMigrations()).to.deep.equal([]);

    // An instance of 1.1.0 still serving during a rolling restart writes the old columns: it
    // still can, and the new version neither reads them nor minds them.
    const older110 = connect(database);
    try {
      await sql`insert into reset_requests (id, requester_id, account, app_id, reason, status,
        required_approvals, created_at, expires_at, updated_at, approval_channel, approval_ts)
        values ('by-1.1.0', 'UBOB', '1004', 'app1', 'lost it', 'pending', 1, ${T0}, ${T0 + HOUR},
        ${T0}, 'C1', '1.4')`.execute(older110);
    } finally {
      await older110.destroy();
    }
    expect((await store.getRequest('by-1.1.0'))?.status).to.equal('pending');
    expect(await slack.messageRefsOf('by-1.1.0')).to.deep.equal({});
    // The old columns stay in the table, never in a request the domain is given.
    const slackFields = ['approvalChannel', 'approvalTs', 'grantChannel', 'grantTs'];
    for (const id of ['granted', 'by-1.1.0'])
      expect(await store.getRequest(id), id).not.to.have.any.keys(...slackFields);
    expect((await store.listByStatus('pending'))[0]).not.to.have.any.keys(...slackFields);
  });
});
