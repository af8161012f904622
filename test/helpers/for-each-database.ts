import type { Store } from '../../src/domain/ports.js';
import type { SlackStore } from '../../src/slack/platform/slack-store.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { Cleanup } from './cleanup.js';
import { postgresDatabase, requirePostgres, sqliteDatabase, type TestDatabase } from './databases.js';

/** A store of the domain's, with the Slack side's tables beside it on the same database. */
export type StoreWithSlack = Store & { slackStore(): SlackStore };

/** A store under test, new and migrated before each test, closed (and its database dropped) after. */
export interface StoreUnderTest<S extends StoreWithSlack> {
  readonly kind: 'SQLite' | 'PostgreSQL' | 'memory';
  /** The store open now: a test may replace it (a reopen), and the one open at the end is closed. */
  store: S;
  /** Another instance on the same database, closed after the test. */
  another(): Promise<S>;
  /** What the test opens besides, closed newest first after it. */
  readonly cleanup: Cleanup;
}

export interface SqlStoreUnderTest extends StoreUnderTest<SqlStore> {
  readonly kind: 'SQLite' | 'PostgreSQL';
  readonly database: TestDatabase;
  /** Another empty database of the same kind, not migrated, dropped after the test. */
  fresh(): Promise<TestDatabase>;
}

/**
 * Runs `body`'s tests against each store that implements the Store port, and the Slack side's
 * SlackStore beside it: SQLite, PostgreSQL and memory, each in a describe block of its own named
 * `${title} on ${kind}`. The contract the domain and the Slack side rely on, held by every store.
 */
export function forEachDatabase(title: string, body: (under: StoreUnderTest<StoreWithSlack>) => void): void {
  forEachSqlDatabase(title, body);
  describe(`${title} on memory`, () => {
    const cleanup = new Cleanup();
    const under: StoreUnderTest<MemoryStore> = {
      kind: 'memory',
      store: new MemoryStore(),
      another: () => Promise.resolve(under.store.another()),
      cleanup,
    };
    beforeEach(() => {
      under.store = new MemoryStore();
    });
    afterEach(() => cleanup.run());
    body(under);
  });
}

/** The same for what only the SQL store does (migrations, verification, its files and connections). */
export function forEachSqlDatabase(title: string, body: (under: SqlStoreUnderTest) => void): void {
  const kinds = [
    { kind: 'SQLite', create: () => Promise.resolve(sqliteDatabase()) },
    { kind: 'PostgreSQL', create: postgresDatabase },
  ] as const;
  for (const { kind, create } of kinds) {
    describe(`${title} on ${kind}`, () => {
      const cleanup = new Cleanup();
      let database: TestDatabase | undefined;
      let store: SqlStore | undefined;
      const open = async () => {
        const opened = new SqlStore(under.database.url);
        cleanup.add(() => opened.close());
        await opened.migrate();
        return opened;
      };
      const under: SqlStoreUnderTest = {
        kind,
        get database() {
          if (!database) throw new Error('no database outside a test');
          return database;
        },
        get store() {
          if (!store) throw new Error('no store outside a test');
          return store;
        },
        set store(replacement) {
          store = replacement;
        },
        another: open,
        async fresh() {
          const created = await create();
          cleanup.add(() => created.drop());
          return created;
        },
        cleanup,
      };

      before(async function () {
        if (kind === 'PostgreSQL') await requirePostgres(this);
      });

      beforeEach(async () => {
        const created = await create();
        database = created;
        cleanup.add(() => created.drop());
        store = new SqlStore(created.url);
        // The store open at the end, which a test may have replaced.
        cleanup.add(() => under.store.close());
        await store.migrate();
      });

      afterEach(() => cleanup.run());

      body(under);
    });
  }
}
