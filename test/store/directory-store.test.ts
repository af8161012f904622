import { expect } from 'chai';
import { ItnioStub, type StubPhone } from '../../sandbox/itnio-stub.js';
import {
  PhoneDirectory,
  DEFAULT_DIRECTORY_SETTINGS,
  type DirectorySettings,
} from '../../src/domain/directory.js';
import { ItnioClient } from '../../src/itnio/index.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { DATABASE_KINDS, requirePostgres, type TestDatabase } from '../helpers/databases.js';
import { captureLogger } from '../helpers/logs.js';

const API_KEY = 'key-for-tests';
const API_SECRET = 'secret-for-tests-0123';
const HOUR = 3_600_000;

function phones(count: number, first = 1000): StubPhone[] {
  return Array.from({ length: count }, (_, i) => ({
    account: String(first + i),
    phoneName: i === 3 ? 'Reception desk' : `Desk ${i}`,
    groupName: i % 2 ? 'Head office' : 'Warehouse',
    password: `pw"\\+%/${i}`,
  }));
}

for (const { kind, create, postgres } of DATABASE_KINDS) {
  describe(`phone directory on ${kind}`, function () {
    let database: TestDatabase;
    let stores: SqlStore[];
    let stub: ItnioStub;
    let clock: number;
    const sleeps: number[] = [];
    const logs = captureLogger([API_KEY, API_SECRET]);

    async function openStore(): Promise<SqlStore> {
      const store = new SqlStore(database.url);
      await store.migrate();
      stores.push(store);
      return store;
    }

    function directory(
      store: SqlStore,
      holder: string,
      settings: Partial<DirectorySettings> = {},
      sleep?: (ms: number) => Promise<void>,
    ): PhoneDirectory {
      const vendor = new ItnioClient({
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        baseUrl: stub.baseUrl,
        appIds: ['app1', 'app2'],
        timeoutMs: 2000,
        logger: logs.logger,
      });
      return new PhoneDirectory({
        store: store.phoneDirectory(),
        vendor,
        settings: {
          ...DEFAULT_DIRECTORY_SETTINGS,
          appIds: ['app1', 'app2'],
          refreshIntervalMs: HOUR,
          ...settings,
        },
        log: logs.logger,
        holder,
        now: () => clock,
        sleep:
          sleep ??
          ((ms) => {
            sleeps.push(ms);
            clock += ms;
            return Promise.resolve();
          }),
      });
    }

    beforeEach(async function () {
      if (postgres) await requirePostgres(this);
      database = await create();
      stores = [];
      clock = Date.UTC(2026, 0, 5, 9);
      sleeps.splice(0);
      logs.clear();
      stub = new ItnioStub({
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        accounts: {},
        phones: { app1: phones(250), app2: phones(3, 2000) },
      });
      await stub.start();
    });

    afterEach(async () => {
      await stub.stop();
      await Promise.all(stores.map((store) => store.close()));
      await database.drop();
    });

    it('reads every page of every application, paced, and keeps names and groups but no password', async () => {
      const store = await openStore();
      const dir = directory(store, 'one');
      expect(await dir.isStale()).to.equal(true);
      const result = await dir.refresh();
      expect(result).to.deep.equal({
        ran: true,
        apps: [
          { appId: 'app1', phones: 250 },
          { appId: 'app2', phones: 3 },
        ],
      });
      expect(stub.queries.map((q) => `${q.appId}:${q.current}:${q.size}`)).to.deep.equal([
        'app1:1:100',
        'app1:2:100',
        'app1:3:100',
        'app2:1:100',
      ]);
      expect(sleeps, 'no two calls closer than the pacing allows').to.deep.equal([350, 350, 350]);
      expect(await dir.findPhone('app1', '1003')).to.deep.equal({
        account: '1003',
        phoneName: 'Reception desk',
        groupName: 'Head office',
        displayNum: '1003',
      });
      expect(await dir.check('app1', '1003')).to.deep.include({ checked: true });
      expect(await dir.check('app1', '9999')).to.deep.equal({ checked: true, phone: undefined });
      expect(await dir.isStale()).to.equal(false);
      clock += HOUR;
      expect(await dir.check('app1', '9999'), 'stale: cannot say').to.deep.equal({ checked: false });
      expect(await dir.isStale()).to.equal(true);
    });

    it('searches by digits, name or group, the preferred accounts first, at most the limit, wildcards as themselves', async () => {
      const store = await openStore();
      const dir = directory(store, 'one');
      await dir.refresh();
      expect((await dir.search('app1', 'recep', [], 100)).map((p) => p.account)).to.deep.equal(['1003']);
      expect((await dir.search('app1', '100', ['1007'], 3)).map((p) => p.account)).to.deep.equal([
        '1007',
        '1000',
        '1001',
      ]);
      expect(await dir.search('app1', '%', [], 100)).to.deep.equal([]);
      expect(await dir.search('app1', 'HEAD OFF', [], 500)).to.have.length(125);
    });

    it('waits and asks again after -15, and a failed refresh keeps the last good directory, saying so', async () => {
      const store = await openStore();
      const dir = directory(store, 'one');
      await dir.refresh();
      stub.faults.push({ kind: 'status', status: '-15' }, { kind: 'status', status: '-15' });
      const again = await dir.refresh();
      expect(again.apps[0]).to.deep.equal({ appId: 'app1', phones: 250 });
      expect(sleeps).to.include.members([2000, 5000]);
      expect(stub.queries.filter((q) => q.answered === '-15')).to.have.length(2);

      clock += 1000;
      stub.faults.push({ kind: 'status', status: '0' }, { kind: 'http', code: 500 });
      const failed = await dir.refresh();
      expect(failed.apps).to.deep.equal([
        { appId: 'app1', failureCode: 'bad_response' },
        { appId: 'app2', failureCode: 'http_error' },
      ]);
      const [app1] = await dir.states();
      expect(app1).to.include({
        appId: 'app1',
        phoneCount: 250,
        failureCode: 'bad_response',
      });
      expect(app1?.failedAt).to.be.greaterThan(app1?.refreshedAt ?? Infinity);
      expect(await dir.findPhone('app1', '1249')).to.not.equal(undefined);
      expect(await dir.check('app1', '1249'), 'a failed refresh: cannot say').to.deep.equal({
        checked: false,
      });
      expect(
        logs.lines().filter((l) => l.message === 'directory refresh failed; the last good directory is kept'),
      ).to.have.length(2);
    });

    it('lets one instance refresh at a time across two, through the lease in the database', async () => {
      const [a, b] = [await openStore(), await openStore()];
      const hold = stub.hold('sipQuery');
      const first = directory(a, 'instance-a', {}, () => Promise.resolve()).refresh();
      await hold.arrived;
      const second = await directory(b, 'instance-b', {}, () => Promise.resolve()).refresh();
      expect(second, 'the second instance found the lease taken').to.deep.equal({ ran: false, apps: [] });
      hold.release();
      expect((await first).ran).to.equal(true);
      expect(stub.queries.filter((q) => q.current === 1 && q.appId === 'app1')).to.have.length(1);
      const third = await directory(b, 'instance-b', {}, () => Promise.resolve()).refresh();
      expect(third.ran, 'the lease was given back').to.equal(true);
    });

    it('takes over a lease its holder never gave back, once it expired', async () => {
      const store = (await openStore()).phoneDirectory();
      expect(await store.claimRefreshLease('a', clock, 1000)).to.equal(true);
      expect(await store.claimRefreshLease('b', clock + 999, 1000)).to.equal(false);
      expect(await store.claimRefreshLease('a', clock + 999, 1000), 'its holder renews it').to.equal(true);
      expect(await store.claimRefreshLease('b', clock + 1999, 1000)).to.equal(true);
    });
  });
}
