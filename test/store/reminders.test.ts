import { expect } from 'chai';
import { newRequest, T0 } from '../helpers/requests.js';
import { forEachDatabase } from '../helpers/for-each-database.js';

const HOUR = 3_600_000;

forEachDatabase('store reminders', (db) => {
  it('lists pending, announced requests past half their time, and marks each reminded once', async () => {
    const posted = await db.store.createRequest(newRequest({ id: 'posted', expiresAt: T0 + HOUR }));
    await db.store.markAnnounced(posted.id, T0);
    // Never announced to the approvers: nobody to remind.
    await db.store.createRequest(newRequest({ id: 'unposted', account: '1002', expiresAt: T0 + HOUR }));
    expect(await db.store.listReminderDue(T0 + HOUR / 2 - 1)).to.deep.equal([]);
    expect((await db.store.listReminderDue(T0 + HOUR / 2)).map((r) => r.id)).to.deep.equal(['posted']);

    const marks = await Promise.all(
      Array.from({ length: 10 }, () => db.store.markReminded('posted', T0 + HOUR / 2)),
    );
    expect(marks.filter(Boolean)).to.have.length(1);
    expect(marks.find(Boolean)?.remindedAt).to.equal(T0 + HOUR / 2);
    expect(await db.store.listReminderDue(T0 + HOUR)).to.deep.equal([]);
  });

  it('never marks a request that is no longer pending', async () => {
    const request = await db.store.createRequest(newRequest({ id: 'r1' }));
    await db.store.transition(request.id, ['pending'], 'cancelled', T0 + 1);
    expect(await db.store.markReminded(request.id, T0 + 2)).to.equal(undefined);
  });
});
