import { expect } from 'chai';
import { SqlStore } from '../../src/store/sql-store.js';
import { newRequest, T0 } from '../helpers/requests.js';
import { Cleanup } from '../helpers/cleanup.js';
import { DATABASE_KINDS, requirePostgres, type TestDatabase } from '../helpers/databases.js';

const HOUR = 3_600_000;

for (const { kind, create, postgres } of DATABASE_KINDS) {
  describe(`SQL store reminders on ${kind}`, () => {
    let database: TestDatabase;
    let store: SqlStore;
    const cleanup = new Cleanup();

    before(async function () {
      if (postgres) await requirePostgres(this);
    });

    beforeEach(async () => {
      database = await create();
      cleanup.add(() => database.drop());
      store = new SqlStore(database.url);
      cleanup.add(() => store.close());
      await store.migrate();
    });

    afterEach(() => cleanup.run());

    it('lists pending, posted requests past half their time, and marks each reminded once', async () => {
      const posted = await store.createRequest(newRequest({ id: 'posted', expiresAt: T0 + HOUR }));
      await store.update(posted.id, T0, { approvalChannel: 'C1', approvalTs: '1.1' });
      // Not posted to the approval channel: nobody to remind there.
      await store.createRequest(newRequest({ id: 'unposted', account: '1002', expiresAt: T0 + HOUR }));
      expect(await store.listReminderDue(T0 + HOUR / 2 - 1)).to.deep.equal([]);
      expect((await store.listReminderDue(T0 + HOUR / 2)).map((r) => r.id)).to.deep.equal(['posted']);

      const marks = await Promise.all(
        Array.from({ length: 10 }, () => store.markReminded('posted', T0 + HOUR / 2)),
      );
      expect(marks.filter(Boolean)).to.have.length(1);
      expect(marks.find(Boolean)?.remindedAt).to.equal(T0 + HOUR / 2);
      expect(await store.listReminderDue(T0 + HOUR)).to.deep.equal([]);
    });

    it('never marks a request that is no longer pending', async () => {
      const request = await store.createRequest(newRequest({ id: 'r1' }));
      await store.transition(request.id, ['pending'], 'cancelled', T0 + 1);
      expect(await store.markReminded(request.id, T0 + 2)).to.equal(undefined);
    });
  });
}
