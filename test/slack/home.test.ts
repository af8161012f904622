import { expect } from 'chai';
import type { HomeView } from '@slack/types';
import { blocksProblem, type Blocks } from '../../sandbox/slack-stub.js';
import { findButton } from '../../sandbox/slack-driver.js';
import type { ResetRequest } from '../../src/domain/request.js';
import type { HomeContents, Page, Queries } from '../../src/domain/use-cases/queries.js';
import { catalogueFor } from '../../src/i18n/index.js';
import { FIRST_PAGES, HOME_MAX_BLOCKS, homeView, readPaging } from '../../src/slack/blocks/home-view.js';
import { AppHome, HOME_VIEWERS } from '../../src/slack/outbound/home-tab.js';
import { MemorySlackStore, MemorySlackTables } from '../../src/store/memory-slack-store.js';
import type { PhoneDirectory } from '../../src/domain/directory.js';
import type { WebClient } from '@slack/web-api';
import sinon from 'sinon';
import { captureLogger } from '../helpers/logs.js';
import { storedRequest, T0 } from '../helpers/requests.js';

const t = catalogueFor('en');
const appLabel = (appId: string) => (appId === 'app1' ? 'Head office' : appId);
const page = <T>(items: T[], position = 0, more = false): Page<T> => ({
  items,
  position,
  more,
  ...(more ? { next: { at: T0 - position, id: `last-of-${position}` } } : {}),
});
/** A list's place after `position` items, the last of them at this key. */
const at = (position: number, id = `last-of-${position}`, time = T0 - position) =>
  position === 0 ? { position } : { position, after: { at: time, id } };
const blocksOf = (view: HomeView) => view.blocks as unknown as Blocks;
const text = (view: HomeView) => JSON.stringify(view.blocks);

/** As many requests as a page holds, each a worst case for length: long reason, long deny reason. */
function fullPage(status: ResetRequest['status'], requesterId = 'UALICE'): ResetRequest[] {
  return Array.from({ length: 10 }, (_, i) =>
    storedRequest({
      id: `${status}-${i}`,
      requesterId,
      account: '&<>'.repeat(10) + String(i).padStart(2, '0'),
      status,
      reason: '<!channel> '.repeat(300),
      denyReason: status === 'denied' ? '&'.repeat(3000) : null,
      decidedBy: status === 'pending' ? null : 'UDAVE',
      decidedAt: T0 + i,
      finishedAt: T0 + i,
      failureCode: status === 'failed' ? 'timeout' : null,
    }),
  );
}

describe('the Home tab builder', () => {
  it('says plainly when there is nothing to show, for a requester: no queue, no resets', () => {
    const view = homeView(t, { viewerId: 'UALICE', mine: page([]) }, { appLabel, paging: FIRST_PAGES });
    expect(view.type).to.equal('home');
    expect(text(view)).to.contain('You have not asked for a reset yet').and.contain('/sip-reset');
    expect(text(view)).not.to.contain(t.home.queue).and.not.to.contain(t.home.resets);
    expect(findButton(blocksOf(view), 'sip_reset_home_older')).to.equal(undefined);
  });

  it('says so for each empty list of a helpdesk agent', () => {
    const contents: HomeContents = {
      viewerId: 'UHANA',
      mine: page([]),
      queue: page([]),
      decisions: page([]),
      resets: page([]),
    };
    const view = homeView(t, contents, { appLabel, paging: FIRST_PAGES });
    for (const empty of [t.home.queueEmpty, t.home.decisionsEmpty, t.home.resetsEmpty])
      expect(text(view)).to.contain(empty);
  });

  it("shows a requester's request with its state, and Cancel only on an open one", () => {
    const pending = storedRequest({ id: 'open', account: '1001', appId: 'app1' });
    const done = storedRequest({ id: 'done', account: '1002', status: 'completed', finishedAt: T0 + 5 });
    const view = homeView(
      t,
      { viewerId: 'UALICE', mine: page([pending, done]) },
      { appLabel, paging: FIRST_PAGES },
    );
    expect(text(view)).to.contain('*1001* (Head office)').and.contain('Waiting for approval');
    expect(text(view)).to.contain('Password reset');
    expect(findButton(blocksOf(view), 'sip_reset_cancel', 'open')).to.not.equal(undefined);
    expect(findButton(blocksOf(view), 'sip_reset_cancel', 'done')).to.equal(undefined);
  });

  it('shows a direct reset as starting, with no DM button to press and no Cancel, in both languages', () => {
    const direct = storedRequest({
      id: 'direct',
      status: 'approved',
      requiredApprovals: 0,
      grantExpiresAt: T0,
    });
    const granted = storedRequest({ id: 'granted', status: 'approved', grantExpiresAt: T0 });
    for (const texts of [t, catalogueFor('zh-CN')]) {
      const view = homeView(
        texts,
        { viewerId: 'UALICE', mine: page([direct, granted]) },
        { appLabel, paging: FIRST_PAGES },
      );
      expect(text(view)).to.contain(texts.home.starting);
      expect(text(view).split(texts.home.approved('').slice(0, 20)), 'only the granted one').to.have.length(
        2,
      );
      expect(findButton(blocksOf(view), 'sip_reset_cancel', 'direct')).to.equal(undefined);
      expect(findButton(blocksOf(view), 'sip_reset_cancel', 'granted')).to.not.equal(undefined);
    }
  });

  it('gives an approver Approve and Deny on the queue, but not on their own request', () => {
    const theirs = storedRequest({ id: 'theirs', requesterId: 'UALICE' });
    const own = storedRequest({ id: 'own', account: '1009', requesterId: 'UBOB' });
    const approvals = [{ requestId: 'theirs', approverId: 'UDAVE', at: T0 }];
    const contents: HomeContents = {
      viewerId: 'UBOB',
      mine: page([own]),
      queue: page([
        { request: theirs, approvals },
        { request: own, approvals: [] },
      ]),
      decisions: page([]),
    };
    const blocks = blocksOf(homeView(t, contents, { appLabel, paging: FIRST_PAGES }));
    expect(findButton(blocks, 'sip_reset_approve', 'theirs')).to.not.equal(undefined);
    expect(findButton(blocks, 'sip_reset_deny', 'theirs')).to.not.equal(undefined);
    expect(findButton(blocks, 'sip_reset_approve', 'own')).to.equal(undefined);
    const approved = homeView(t, { ...contents, viewerId: 'UDAVE' }, { appLabel, paging: FIRST_PAGES });
    expect(findButton(blocksOf(approved), 'sip_reset_approve', 'theirs'), 'approved once already').to.equal(
      undefined,
    );
    expect(findButton(blocksOf(approved), 'sip_reset_deny', 'theirs')).to.not.equal(undefined);
    expect(JSON.stringify(blocks)).to.contain(t.home.ownRequest).and.contain('Approvals: 1 of 1: <@UDAVE>');
  });

  it('stays within 100 blocks and every text limit with every list full, in both languages', () => {
    const contents: HomeContents = {
      viewerId: 'UHANA',
      mine: page(fullPage('denied', 'UHANA'), 10, true),
      queue: page(
        fullPage('pending').map((request) => ({ request, approvals: [] })),
        0,
        true,
      ),
      decisions: page(fullPage('denied'), 0, true),
      resets: page(fullPage('failed'), 240, false),
    };
    for (const locale of ['en', 'zh-CN'] as const) {
      const view = homeView(catalogueFor(locale), contents, { appLabel, paging: FIRST_PAGES });
      expect(view.blocks.length).to.be.at.most(HOME_MAX_BLOCKS);
      expect(blocksProblem(blocksOf(view), HOME_MAX_BLOCKS)).to.equal(undefined);
      expect(text(view), 'user text is escaped').not.to.contain('<!channel>');
    }
  });

  it('pages: Show older carries where its list goes on, Back to the newest the first page', () => {
    const paging = { ...FIRST_PAGES, resets: at(20, 'r-19') };
    const contents: HomeContents = {
      viewerId: 'UHANA',
      mine: page(fullPage('cancelled', 'UHANA'), 0, true),
      resets: page(fullPage('completed'), 20, true),
    };
    const view = homeView(t, contents, { appLabel, paging });
    const olders = blocksOf(view)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements as Array<{ action_id: string; value: string }>)
      .filter((e) => e.action_id === 'sip_reset_home_older')
      .map((e) => readPaging(e.value));
    expect(olders).to.deep.equal([
      {
        paging: { ...paging, mine: { position: 10, after: { at: T0, id: 'last-of-0' } } },
        unreadable: false,
      },
      {
        paging: { ...paging, resets: { position: 30, after: { at: T0 - 20, id: 'last-of-20' } } },
        unreadable: false,
      },
    ]);
    const newest = findButton(blocksOf(view), 'sip_reset_home_newest');
    expect(readPaging(newest?.value)).to.deep.equal({ paging: FIRST_PAGES, unreadable: false });
    expect(text(view)).to.contain('21 to 30');
    expect(text(view)).not.to.contain(t.home.pageUnreadable);
  });

  it('reads a forged, broken or out-of-date paging as unreadable: the first pages', () => {
    const first = { n: 0 };
    const valid = { mine: { n: 10, at: T0, id: 'x' }, queue: first, decisions: first, resets: first };
    expect(readPaging(JSON.stringify(valid))).to.deep.equal({
      paging: { ...FIRST_PAGES, mine: { position: 10, after: { at: T0, id: 'x' } } },
      unreadable: false,
    });
    const forged: unknown[] = [
      'not json',
      undefined,
      'null',
      '[]',
      // A Home published before pages were keys: its buttons counted items.
      JSON.stringify({ mine: 10, queue: 0, decisions: 0, resets: 0 }),
      JSON.stringify({ ...valid, mine: { n: -5, at: T0, id: 'x' } }),
      JSON.stringify({ ...valid, mine: { n: 10, at: 'yesterday', id: 'x' } }),
      JSON.stringify({ ...valid, mine: { n: 10, at: T0 } }),
      JSON.stringify({ ...valid, mine: { n: 0, at: T0, id: 'x' } }),
      JSON.stringify({ ...valid, mine: { n: 10, at: 1.5, id: 'x' } }),
      JSON.stringify({ ...valid, mine: { n: 10, at: 1e300, id: 'x' } }),
      JSON.stringify({ ...valid, mine: { n: 10, at: T0, id: 'x'.repeat(101) } }),
      JSON.stringify({ ...valid, mine: { n: 10, at: T0, id: { $gt: '' } } }),
      JSON.stringify({ ...valid, mine: { n: 10, at: T0, id: 'x', requesterId: 'UBOB' } }),
      JSON.stringify({ ...valid, requesterId: 'UBOB' }),
      JSON.stringify({ mine: valid.mine }),
    ];
    for (const value of forged)
      expect(readPaging(value as string | undefined), String(value)).to.deep.equal({
        paging: FIRST_PAGES,
        unreadable: true,
      });
  });

  it('says, in both languages, when the page a button named could not be read', () => {
    for (const texts of [t, catalogueFor('zh-CN')]) {
      const view = homeView(
        texts,
        { viewerId: 'UALICE', mine: page([]) },
        { appLabel, paging: FIRST_PAGES, pagingUnreadable: true },
      );
      expect(text(view)).to.contain(texts.home.pageUnreadable);
    }
  });
});

describe('AppHome', () => {
  const policy = {
    helpdesk: [],
    approvers: ['UBOB'],
    owners: {},
    protectedAccounts: [],
    protectedApprovals: 2,
  };

  function appHome(viewers: string[] = []) {
    const gates: Array<() => void> = [];
    const publish = sinon.fake(
      () =>
        new Promise<{ ok: true }>((resolve) => {
          gates.push(() => resolve({ ok: true }));
        }),
    );
    const queries = {
      home: sinon.fake((viewerId: string, _pages: unknown) => Promise.resolve({ viewerId, mine: page([]) })),
    };
    const viewerStore = {
      // As the store answers: the latest first, at most `limit`.
      homeViewersSince: sinon.fake((_since: number, limit: number) =>
        Promise.resolve(viewers.slice(0, limit)),
      ),
      rememberHomeViewer: sinon.fake.resolves(undefined),
      pruneHomeViewers: sinon.fake.resolves(0),
    };
    const logs = captureLogger();
    const home = new AppHome({ views: { publish } } as unknown as WebClient, queries as unknown as Queries, {
      textsFor: () => Promise.resolve(t),
      logger: logs.logger,
      directory: {
        resolve: (userId: string) => Promise.resolve({ userId, groupIds: [] }),
      },
      policy,
      appLabel,
      viewers: viewerStore,
      now: () => T0,
    });
    /** Lets every publish waiting for Slack's answer have it, until none is left. */
    const answerAll = async () => {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        const next = gates.shift();
        if (!next) return;
        next();
      }
    };
    return { home, publish, queries, logs, answerAll };
  }

  it('publishes a burst of changes for one person as two calls, the last with the latest paging', async () => {
    const { home, publish, queries, answerAll } = appHome();
    const done = Promise.all(
      [1, 2, 3, 4, 5].map((n) => home.publish('UALICE', { ...FIRST_PAGES, mine: at(n) })),
    );
    await answerAll();
    await done;
    expect(publish.callCount).to.equal(2);
    expect(queries.home.lastCall.args[1]).to.deep.include({ mine: { ...at(5), limit: 10 } });
  });

  it('republishes a change at the page the person went to, with the new state', async () => {
    const { home, queries, answerAll } = appHome(['UALICE']);
    const paged = home.publish('UALICE', { ...FIRST_PAGES, mine: at(10) });
    await answerAll();
    await paged;
    const changed = home.republishFor(storedRequest({ requesterId: 'UALICE' }));
    await answerAll();
    await changed;
    expect(queries.home.callCount).to.equal(2, 'read again for the change');
    expect(queries.home.lastCall.args[1]).to.deep.include({ mine: { ...at(10), limit: 10 } });
  });

  it("never lets a change replace a click's paging, whichever comes first", async () => {
    const { home, queries, answerAll } = appHome(['UALICE']);
    const change = home.publish('UALICE');
    const click = home.publish('UALICE', { ...FIRST_PAGES, mine: at(20) });
    const laterChange = home.publish('UALICE');
    await answerAll();
    await Promise.all([change, click, laterChange]);
    expect(queries.home.lastCall.args[1]).to.deep.include({ mine: { ...at(20), limit: 10 } });
  });

  it('says an unreadable paging once, on the publish that answers the click, not on a later change', async () => {
    const { home, publish, answerAll } = appHome(['UALICE']);
    const clicked = home.publish('UALICE', FIRST_PAGES, { unreadable: true });
    await answerAll();
    await clicked;
    const changed = home.republishFor(storedRequest({ requesterId: 'UALICE' }));
    await answerAll();
    await changed;
    const views = publish.getCalls().map((call) => JSON.stringify(call.args));
    expect(views).to.have.length(2);
    expect(views[0]).to.contain(t.home.pageUnreadable);
    expect(views[1]).not.to.contain(t.home.pageUnreadable);
  });

  it('shows the first pages again when the person opens the tab', async () => {
    const { home, queries, answerAll } = appHome(['UALICE']);
    const paged = home.publish('UALICE', { ...FIRST_PAGES, mine: at(10) });
    await answerAll();
    await paged;
    const opened = home.opened('UALICE');
    await answerAll();
    await opened;
    expect(queries.home.lastCall.args[1]).to.deep.include({ mine: { position: 0, limit: 10 } });
  });

  it('republishes for the requester and the deciders among recent viewers, no one else', async () => {
    const { home, publish, answerAll } = appHome(['UALICE', 'UBOB', 'UEVE']);
    const done = home.republishFor(storedRequest({ requesterId: 'UALICE' }));
    await answerAll();
    await done;
    const users = publish
      .getCalls()
      .map((call) => (call.args as unknown as [{ user_id: string }])[0].user_id);
    expect(users.sort()).to.deep.equal(['UALICE', 'UBOB']);
  });

  it('republishes the deciders however many others opened their Home since, at most 50 of them', async () => {
    const crowd = Array.from({ length: 300 }, (_, i) => `UCROWD${i}`);
    const deciders = Array.from({ length: 60 }, (_, i) => `UAPPROVER${i}`);
    const { home, publish, answerAll } = appHome([...crowd, 'UALICE', ...deciders, 'UBOB']);
    policy.approvers = ['UBOB', ...deciders];
    try {
      const done = home.republishFor(storedRequest({ requesterId: 'UALICE' }));
      await answerAll();
      await done;
    } finally {
      policy.approvers = ['UBOB'];
    }
    const users = publish
      .getCalls()
      .map((call) => (call.args as unknown as [{ user_id: string }])[0].user_id);
    expect(users).to.include('UALICE');
    expect(users.filter((u) => u.startsWith('UAPPROVER'))).to.have.length(50);
    expect(users.filter((u) => u.startsWith('UCROWD'))).to.deep.equal([]);
  });

  it('logs a refused publish and does not throw', async () => {
    const { logs } = appHome();
    const failing = new AppHome(
      {
        views: {
          publish: sinon.fake.rejects(Object.assign(new Error('x'), { data: { error: 'view_too_large' } })),
        },
      } as unknown as WebClient,
      { home: sinon.fake.resolves({ viewerId: 'UALICE', mine: page([]) }) } as unknown as Queries,
      {
        textsFor: () => Promise.resolve(t),
        logger: logs.logger,
        directory: { resolve: sinon.fake.rejects(new Error('unused')) },
        policy,
        appLabel,
        viewers: new MemorySlackStore(new MemorySlackTables()),
        now: () => T0,
      },
    );
    await failing.publish('UALICE');
    expect(logs.text()).to.contain('could not publish the Home tab').and.contain('view_too_large');
  });

  it('remembers who opens the Home when they do, and forgets who has not for longer than a change looks back', async () => {
    const viewers = new MemorySlackStore(new MemorySlackTables());
    const clock = { now: T0 };
    const home = new AppHome(
      { views: { publish: sinon.fake.resolves({ ok: true }) } } as unknown as WebClient,
      {
        home: sinon.fake((viewerId: string) => Promise.resolve({ viewerId, mine: page([]) })),
      } as unknown as Queries,
      {
        textsFor: () => Promise.resolve(t),
        logger: captureLogger().logger,
        directory: { resolve: sinon.fake.rejects(new Error('unused')) },
        policy,
        appLabel,
        viewers,
        now: () => clock.now,
      },
    );
    await home.opened('UALICE');
    clock.now += HOME_VIEWERS.withinMs;
    await home.opened('UBOB');
    expect(await viewers.homeViewersSince(0, 10)).to.deep.equal(['UBOB', 'UALICE']);
    expect(await home.forgetOldViewers(), 'none opened it longer ago than that').to.equal(0);
    clock.now += 1;
    expect(await home.forgetOldViewers()).to.equal(1);
    expect(await viewers.homeViewersSince(0, 10)).to.deep.equal(['UBOB']);
  });

  it("publishes a protected Approve behind Slack's dialog, each phone beside its account, and pages by key, all at once", async () => {
    const queued = Array.from({ length: 10 }, (_, i) =>
      storedRequest({ id: `req-${i}`, account: i === 0 ? '9000' : `100${i}`, createdAt: T0 + i }),
    );
    const publish = sinon.fake.resolves({ ok: true });
    const home = new AppHome(
      { views: { publish } } as unknown as WebClient,
      {
        home: sinon.fake.resolves({
          viewerId: 'UBOB',
          mine: page([]),
          queue: {
            items: queued.map((request) => ({ request, approvals: [] })),
            position: 0,
            more: true,
            next: { at: T0 + 9, id: 'req-9' },
          },
        }),
      } as unknown as Queries,
      {
        textsFor: () => Promise.resolve(t),
        logger: captureLogger().logger,
        directory: { resolve: sinon.fake.rejects(new Error('unused')) },
        policy: { ...policy, protectedAccounts: ['9*'] },
        appLabel,
        viewers: new MemorySlackStore(new MemorySlackTables()),
        now: () => T0,
        phoneDirectory: {
          findPhones: (keys: ReadonlyArray<{ appId: string; account: string }>) =>
            Promise.resolve(
              new Map(
                keys.map(({ appId, account }) => [
                  `${appId}\n${account}`,
                  { account, phoneName: `Desk ${account}`, groupName: 'Annex', displayNum: '' },
                ]),
              ),
            ),
        } as unknown as PhoneDirectory,
      },
    );
    await home.publish('UBOB');
    const view = publish.lastCall.args[0].view as HomeView;
    expect(blocksProblem(blocksOf(view), HOME_MAX_BLOCKS)).to.equal(undefined);
    type Element = { action_id: string; value: string; confirm?: unknown; accessibility_label?: string };
    const approves = blocksOf(view)
      .flatMap((block) => (block.type === 'actions' ? (block.elements as Element[]) : []))
      .filter((element) => element.action_id === 'sip_reset_approve');
    expect(approves.map((b) => [b.value, b.confirm !== undefined])).to.deep.equal(
      queued.map((r) => [r.id, r.account === '9000']),
    );
    expect(approves[0]?.accessibility_label).to.contain('9000');
    expect(text(view)).to.contain('Desk 9000 · Annex').and.contain('Desk 1009 · Annex');
    const older = findButton(blocksOf(view), 'sip_reset_home_older');
    expect(readPaging(older?.value).paging.queue).to.deep.equal({
      position: 10,
      after: { at: T0 + 9, id: 'req-9' },
    });
  });
});
