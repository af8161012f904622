import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { findButton, type Acknowledgement, type Driver } from '../../sandbox/slack-driver.js';
import type { EphemeralMessage, PublicMessage } from '../../sandbox/slack-stub.js';
import { CAST, createWorld, type SocketWorld, type World, type WorldOptions } from '../../sandbox/world.js';
import pg from 'pg';
import { storeKind } from '../../src/store/kind.js';
import type { Cleanup } from './cleanup.js';
import { freshDatabase, sqliteDatabase, type DatabaseKind } from './databases.js';
import { captureLogger, type CapturedLogs } from './logs.js';
import { PostgresRelay } from './postgres-relay.js';
import { HEAD_OFFICE } from './requests.js';
import { secretFinder } from './secrets.js';

/** What a test world adds to a sandbox world. */
export interface Checks {
  logs: CapturedLogs;
  /** The latest public message in a channel, not in a thread (a user ID means the app's DM with them). */
  lastMessage(channel: string): PublicMessage;
  /** The latest private message to a user, optionally one holding a given button. */
  lastPrivate(user: string, actionId?: string): EphemeralMessage;
  /** Everything a user was shown privately, as one string of text and blocks. */
  privateTo(user: string): string;
  /**
   * Stops the world, then checks that no issued password reached a log line, the database or a
   * public message, and no secret a log line. `worldTest` calls it at the end of each test body.
   */
  stopAndCheck(): Promise<void>;
  /**
   * Stops the world, for afterEach whatever happened: safe to call again, and checks nothing, but
   * fails when the world belonged to a plain `it`, whose leak check never ran.
   */
  stop(): Promise<void>;
}

export type TestWorld = World & Checks;
export type TestSocketWorld = SocketWorld & Checks;

/** Everything the database holds, as text: the SQLite files' bytes, or every PostgreSQL row. */
export async function databaseContents(url: string): Promise<string> {
  if (storeKind(url) === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = [
        'reset_requests',
        'request_approvals',
        'audit_events',
        'audit_chain_head',
        'kysely_migration',
        'lockout_campaigns',
        'lockout_items',
        'slack_lockout_messages',
      ];
      // One after another: pg deprecates a query sent while its client is still busy with another.
      const rows: unknown[] = [];
      for (const table of tables) rows.push((await client.query(`select * from ${table}`)).rows);
      return JSON.stringify(rows);
    } finally {
      await client.end();
    }
  }
  return [url, `${url}-wal`]
    .map((path) => {
      try {
        return readFileSync(path).toString('latin1');
      } catch {
        return '';
      }
    })
    .join('');
}

/** The worlds the running test may still use, each with whether a worldTest checks it. */
const open = new Map<Checks, { checked: boolean }>();
let worldTestRunning = false;

/**
 * `it` for a test that uses testWorld: once the body has passed, still inside the test, it stops
 * every world the test or its beforeEach opened and checks that nothing leaked. A leak then fails
 * the test that caused it, by name, and the rest of the suite still runs (a failing afterEach would
 * skip it and leave the leaking test marked as passed).
 */
export function worldTest(title: string, body: (this: Mocha.Context) => Promise<void>): Mocha.Test {
  return it(title, async function () {
    for (const state of open.values()) state.checked = true;
    worldTestRunning = true;
    try {
      await body.call(this);
      for (const world of [...open.keys()]) await world.stopAndCheck();
    } finally {
      worldTestRunning = false;
    }
  });
}

/**
 * A sandbox world for one `worldTest`, which checks at its end the product's first promise for
 * everything the test did: no password the vendor issued is in a log line, the database file, or
 * any Slack message that is not ephemeral.
 */
export async function testWorld(
  options: Partial<WorldOptions> & { mode: 'socket' },
): Promise<TestSocketWorld>;
export async function testWorld(options?: Partial<WorldOptions> & { mode?: 'http' }): Promise<TestWorld>;
export async function testWorld(options: Partial<WorldOptions> = {}): Promise<TestWorld | TestSocketWorld> {
  const logs = captureLogger();
  const world = await createWorld({
    databaseUrl: sqliteDatabase().url,
    logger: logs.logger,
    redactor: logs.redactor,
    // No test waits out a Retry-After for real; one that looks at the waits passes its own.
    slackSleep: () => Promise.resolve(),
    ...options,
  });
  const stop = world.stop.bind(world);
  const channelOf = (id: string) => (/^[UW]/.test(id) ? world.slack.dmOf(id) : id);
  const checks: Checks = {
    logs,
    lastMessage(channel: string) {
      const found = [...world.slack.messages]
        .reverse()
        .find((m) => m.channel === channelOf(channel) && !m.threadTs);
      if (!found) throw new Error(`nothing was posted in ${channel}`);
      return found;
    },
    lastPrivate(user: string, actionId?: string) {
      const found = [...world.slack.ephemerals]
        .reverse()
        .find((e) => e.user === user && (!actionId || findButton(e.blocks, actionId)));
      if (!found) throw new Error(`no private message${actionId ? ` with ${actionId}` : ''} for ${user}`);
      return found;
    },
    privateTo(user: string) {
      return JSON.stringify(world.slack.ephemerals.filter((e) => e.user === user));
    },
    async stop() {
      const state = open.get(checks);
      if (!state) return;
      open.delete(checks);
      await stop();
      // Thrown after cleaning up, so that the next test starts clean all the same.
      if (!state.checked)
        throw new Error('a testWorld was used outside a worldTest: its leak check never ran');
    },
    async stopAndCheck() {
      const database = await databaseContents(world.config.databaseUrl);
      await checks.stop();
      // Each text read once, and every password looked for in one pass: a load test issues hundreds.
      const passwordsIn = secretFinder(world.vendor.issued);
      expect([...passwordsIn(logs.text())], 'a password reached a log line').to.deep.equal([]);
      expect(
        [...passwordsIn(world.slack.nonPrivateText())],
        'a password reached a non-ephemeral message',
      ).to.deep.equal([]);
      expect([...passwordsIn(database)], 'a password reached the database').to.deep.equal([]);
      const secretsIn = secretFinder(
        [
          world.config.itnio.apiSecret,
          world.config.slack.signingSecret,
          world.config.slack.botToken,
          world.config.slack.appToken,
        ].filter((secret): secret is string => Boolean(secret)),
      );
      expect([...secretsIn(logs.text())], 'a secret reached a log line').to.deep.equal([]);
    },
  };
  open.set(checks, { checked: worldTestRunning });
  return Object.assign(world, checks);
}

/**
 * A world for the running test on a fresh database of `kind` (see freshDatabase): `build` makes it
 * on the database's URL, and `cleanup` stops it, then drops the database.
 */
export async function worldOn<W extends Checks>(
  context: Mocha.Context,
  cleanup: Cleanup,
  kind: DatabaseKind,
  build: (databaseUrl: string) => Promise<W>,
): Promise<W> {
  const database = await freshDatabase(context, cleanup, kind);
  const world = await build(database.url);
  cleanup.add(() => world.stop());
  return world;
}

/** testWorld with `options` on a fresh PostgreSQL database of its own, as worldOn. */
export function worldOnPostgres(
  context: Mocha.Context,
  cleanup: Cleanup,
  options: Partial<WorldOptions> & { mode?: 'http' } = {},
): Promise<TestWorld> {
  return worldOn(context, cleanup, 'PostgreSQL', (databaseUrl) => testWorld({ ...options, databaseUrl }));
}

/**
 * testWorld with `options` on a fresh PostgreSQL database of its own, reached through a relay the
 * test can take down and bring back: `cleanup` stops the world, then the relay, then drops the database.
 */
export async function worldBehindRelay(
  context: Mocha.Context,
  cleanup: Cleanup,
  options: Partial<WorldOptions> & { mode?: 'http' } = {},
): Promise<{ world: TestWorld; relay: PostgresRelay }> {
  const database = await freshDatabase(context, cleanup);
  const relay = new PostgresRelay(new URL(database.url));
  await relay.start();
  cleanup.add(() => relay.stop());
  const world = await testWorld({ ...options, databaseUrl: relay.url });
  cleanup.add(() => world.stop());
  return { world, relay };
}

/**
 * A person asks for a reset as in Slack: the command in #general, then the form submitted for Head
 * office, with a reason when one is given; the submission's answer.
 */
export async function requestReset<A extends Acknowledgement>(
  world: { driver: Pick<Driver<A>, 'command' | 'submitModal'> },
  user: string,
  account: string,
  reason?: string,
): Promise<A> {
  await world.driver.command(user, account, CAST.general);
  return world.driver.submitModal(user, {
    account,
    app: HEAD_OFFICE,
    ...(reason === undefined ? {} : { reason }),
  });
}
