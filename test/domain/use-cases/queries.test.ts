import { expect } from 'chai';
import { domainWorld, input, type DomainWorld } from '../../helpers/use-cases.js';

const FIRST = { position: 0, limit: 2 };
const FIRST_PAGES = { mine: FIRST, queue: FIRST, decisions: FIRST, resets: FIRST };

describe('queries (store in memory)', () => {
  let world: DomainWorld;
  beforeEach(() => {
    world = domainWorld();
  });

  it("shows each person's Home the lists their roles allow, a page at a time", async () => {
    for (const account of ['1001', '1002', '1003']) await world.intake.submit('UANY', input(account));
    const mine = await world.queries.home('UANY', FIRST_PAGES);
    expect(mine.mine.items).to.have.length(2);
    expect(mine.mine.more).to.equal(true);
    expect(mine.mine.next?.id).to.equal(mine.mine.items[1]?.id);
    expect(mine).not.to.have.any.keys('queue', 'decisions', 'resets');

    const approver = await world.queries.home('UAPP1', FIRST_PAGES);
    expect(approver.queue?.items.map(({ approvals }) => approvals)).to.deep.equal([[], []]);
    expect(approver).to.have.keys('viewerId', 'mine', 'queue', 'decisions');
    const helpdesk = await world.queries.home('UHELP', FIRST_PAGES);
    expect(helpdesk).to.have.keys('viewerId', 'mine', 'queue', 'decisions', 'resets');
  });

  it("lists a person's open requests, and an account's history for the helpdesk only", async () => {
    const { request } = await world.intake.submit('UANY', input());
    const other = await world.intake.submit('UANY', input('1002'));
    await world.decisions.cancel(other.request.id, 'UANY');
    expect((await world.queries.openRequestsOf('UANY')).map((r) => r.id)).to.deep.equal([request.id]);
    expect(await world.queries.history('UANY', '1001', 10)).to.equal(undefined);
    expect((await world.queries.history('UHELP', '1001', 10))?.map((row) => row.type)).to.deep.equal([
      'requested',
    ]);
    expect((await world.queries.get(request.id))?.id).to.equal(request.id);
    expect(await world.queries.approvals(request.id)).to.deep.equal([]);
  });
});
