import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { expect } from 'chai';
import pg from 'pg';
import { ItnioStub } from '../../sandbox/itnio-stub.js';
import { SlackDriver } from '../../sandbox/slack-driver.js';
import { SlackStub } from '../../sandbox/slack-stub.js';
import { CAST, SIGNING_SECRET } from '../../sandbox/world.js';
import { longestDeliveryMs, longestResetMs } from '../../src/config/index.js';
import type { RequestStatus } from '../../src/domain/lifecycle.js';
import { en } from '../../src/i18n/en/index.js';
import { zhCN } from '../../src/i18n/zh-CN/index.js';
import { storeKind } from '../../src/store/kind.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { standInEnv, startApp, type Child } from '../helpers/child.js';
import { Cleanup } from '../helpers/cleanup.js';
import { freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { testWorld, worldTest } from '../helpers/world.js';
import { lockDatabase } from '../helpers/sqlite-lock.js';
import { secretFinder } from '../helpers/secrets.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

const ITNIO_TIMEOUT_MS = 5_000;
const MEI = CAST.chineseEmployee;
const HANA = CAST.helpdesk;

/**
 * The process was down (or the reset in flight) for this long: every time in the database moved
 * back by it, as the clock would have moved on. The recovery age is 2 × ITNIO_TIMEOUT_MS + 30 s,
 * which no setting shortens, so time passes here, not in a sleep.
 */
const DOWN_MS = 10 * 60_000;
const TIME_COLUMNS = [
  'created_at',
  'expires_at',
  'grant_expires_at',
  'decided_at',
  'reset_started_at',
  'finished_at',
  'reminded_at',
  'announced_at',
  'updated_at',
];
async function timePasses(databaseUrl: string, ms: number): Promise<void> {
  const set = TIME_COLUMNS.map((column) => `${column} = ${column} - ${ms}`).join(', ');
  if (storeKind(databaseUrl) === 'postgres') {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`update reset_requests set ${set}`).finally(() => client.end());
    return;
  }
  const db = new SQLite(databaseUrl);
  try {
    db.exec(`update reset_requests set ${set}`);
  } finally {
    db.close();
  }
}

describe('attack: process faults, on the compiled app in a child process', function () {
  // Several real processes each; a loaded machine takes seconds to start one.
  this.timeout(60_000);
  let slack: SlackStub;
  let vendor: ItnioStub;
  let database: string;
  const children: Child[] = [];

  beforeEach(async () => {
    slack = new SlackStub({
      channels: { [CAST.general]: [HANA, MEI, CAST.employee] },
      locales: { [MEI]: 'zh-CN' },
    });
    vendor = new ItnioStub({ apiKey: 'key', apiSecret: 'api-secret', accounts: { [HEAD_OFFICE]: ['1001'] } });
    await Promise.all([slack.start(), vendor.start()]);
    database = join(mkdtempSync(join(tmpdir(), 'sip-reset-attack-process-')), 'db.sqlite');
  });

  async function killAll(): Promise<void> {
    for (const child of children.splice(0)) {
      child.process.kill('SIGKILL');
      await child.exit;
    }
  }
  afterEach(async () => {
    await killAll();
    await Promise.all([slack.stop(), vendor.stop()]);
  });

  /** Settles once the stand-in has answered a call that matches (this process cannot see the app's work). */
  function slackAnswered(stub: SlackStub, match: (method: string) => boolean): Promise<void> {
    return new Promise((answered) => {
      const before = stub.onCall;
      stub.onCall = (call, answer) => {
        before?.(call, answer);
        if (!match(call.method)) return;
        stub.onCall = before;
        answered();
      };
    });
  }

  /** A slash command, then its modal submitted once Slack has opened it. */
  async function command(stub: SlackStub, driver: SlackDriver, user: string, account: string) {
    const opened = slackAnswered(stub, (method) => method === 'views.open');
    expect((await driver.command(user, account, CAST.general)).status).to.equal(200);
    await opened;
  }

  const env = (databaseUrl = database) => ({
    ...standInEnv({ slack, vendor, signingSecret: SIGNING_SECRET, appId: HEAD_OFFICE, helpdesk: HANA }),
    ITNIO_TIMEOUT_MS: String(ITNIO_TIMEOUT_MS),
    PORT: '0',
    DATABASE_URL: databaseUrl,
  });

  /** Starts the app; resolves once it serves (its start-up sweep done), with a driver to reach it. */
  async function start(databaseUrl = database): Promise<{ child: Child; driver: SlackDriver }> {
    const child = startApp(env(databaseUrl));
    children.push(child);
    const port = await Promise.race([
      child.port,
      child.exit.then((code) => {
        throw new Error(`the app exited ${code}: ${child.output.stdout}${child.output.stderr}`);
      }),
    ]);
    const driver = new SlackDriver({
      eventsUrl: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      stub: slack,
    });
    return { child, driver };
  }

  async function kill(child: Child): Promise<void> {
    child.process.kill('SIGKILL');
    await child.exit;
  }

  async function stored(databaseUrl: string = database): Promise<RequestStatus | undefined> {
    const store = new SqlStore(databaseUrl);
    try {
      return (await store.listByRequester(HANA, 1))[0]?.status;
    } finally {
      await store.close();
    }
  }

  /** Hana's direct reset of 1001, submitted; the app answers the submission before it resets. */
  async function submitDirectReset(driver: SlackDriver): Promise<void> {
    await command(slack, driver, HANA, '1001');
    expect((await driver.submitModal(HANA, { account: '1001', app: HEAD_OFFICE })).status).to.equal(200);
  }

  /** Everything Hana was shown privately, and in her DM, as JSON. */
  const toHana = () =>
    JSON.stringify([
      ...slack.ephemerals.filter((e) => e.user === HANA),
      ...slack.messages.filter((m) => m.channel === slack.dmOf(HANA)),
    ]);

  /** No password in what a child wrote, in any public message, or in the SQLite files' bytes. */
  function expectNoLeak(...of: Child[]): void {
    const files = [database, `${database}-wal`].filter((file) => existsSync(file));
    const bytes = files.map((file) => readFileSync(file).toString('latin1')).join('');
    const passwordsIn = secretFinder(vendor.issued);
    for (const child of of)
      expect(
        [...passwordsIn(child.output.stdout + child.output.stderr)],
        'a password was logged',
      ).to.deep.equal([]);
    expect([...passwordsIn(slack.nonPrivateText())], 'a password was posted').to.deep.equal([]);
    expect([...passwordsIn(bytes)], 'a password reached the database').to.deep.equal([]);
  }

  /**
   * As the vendor answers, another connection holds the lock the outcome's write needs (an admin's
   * transaction on PostgreSQL, a backup or a shell on SQLite): the delivery goes on, since the store
   * waits without blocking the app, and the process is killed before the outcome is stored.
   */
  async function killedBeforeTheOutcomeIsStored(url: string): Promise<void> {
    const first = await start(url);
    let release: () => Promise<void>;
    if (storeKind(url) === 'postgres') {
      const locker = new pg.Client({ connectionString: url });
      await locker.connect();
      vendor.duringReset.push(async () => {
        await locker.query('begin');
        await locker.query('lock table reset_requests in exclusive mode');
      });
      release = async () => {
        await locker.query('rollback');
        await locker.end();
      };
    } else {
      let unlock: (() => void) | undefined;
      vendor.duringReset.push(() => {
        unlock = lockDatabase(url);
      });
      release = () => Promise.resolve(unlock?.());
    }
    const delivered = first.child.logged('"message":"password delivered"');
    await submitDirectReset(first.driver);
    await delivered;
    await kill(first.child);
    await release();
    expect(await stored(url)).to.equal('resetting');

    await timePasses(url, longestResetMs(ITNIO_TIMEOUT_MS) + 1);
    await start(url);
    // The outcome died with the process: unknown is all a later process can say, and it says so.
    expect(await stored(url)).to.equal('outcome_unknown');
    expect(toHana()).to.contain(en.interruptedNotice('1001', 'Head office'));
    const [password] = vendor.issued;
    expect(slack.ephemerals.filter((e) => JSON.stringify(e).includes(password ?? '-'))).to.have.length(1);
    expect(vendor.calls).to.have.length(1);
    expectNoLeak(first.child);
  }

  it('SIGKILL after the vendor answered, before the outcome is stored (SQLite locked): the password delivered, then outcome_unknown', () =>
    killedBeforeTheOutcomeIsStored(database));

  it('SIGKILL before the vendor call: nothing reset, and the request does not hold the account', async () => {
    const first = await start();
    // The "resetting" note is the step before the vendor call: held at Slack, the process dies there.
    const note = slack.hold('response_url');
    await submitDirectReset(first.driver);
    await note.arrived;
    await kill(first.child);
    note.release();
    expect(await stored()).to.equal('approved');

    await timePasses(database, DOWN_MS);
    const second = await start();
    expect(await stored(), 'the unused direct approval expired at the start-up sweep').to.equal('expired');
    expect(vendor.calls, 'never called').to.have.length(0);
    expect(toHana()).to.contain(en.directExpiredNotice('1001', 'Head office'));
    // Asking again works at once.
    const done = Promise.all(
      ['password delivered', 'request completed'].map((m) => second.child.logged(`"message":"${m}"`)),
    );
    await submitDirectReset(second.driver);
    await done;
    expect(await stored()).to.equal('completed');
    expect(vendor.calls).to.have.length(1);
    expect(toHana()).to.contain(vendor.issued[0]);
    expectNoLeak(first.child, second.child);
  });

  it('SIGKILL during the vendor call: left alone at a quick restart, then outcome_unknown and told, never retried', async () => {
    const first = await start();
    const held = vendor.hold('sipReset');
    await submitDirectReset(first.driver);
    await held.arrived;
    await kill(first.child);
    // The vendor acts all the same: the old password is gone, the new one reaches nobody.
    held.release();
    expect(await stored()).to.equal('resetting');

    // A restart at once cannot tell a dead process's reset from another instance's still running.
    const quick = await start();
    expect(await stored(), 'too fresh to settle').to.equal('resetting');
    await kill(quick.child);

    await timePasses(database, longestResetMs(ITNIO_TIMEOUT_MS) + 1);
    const later = await start();
    expect(await stored()).to.equal('outcome_unknown');
    expect(toHana()).to.contain(en.interruptedNotice('1001', 'Head office'));
    expect(vendor.calls, 'one vendor call, never a second').to.have.length(1);
    // The other stays settled: a later start tells nobody again.
    await kill(later.child);
    const told = slack.messages.length;
    await start();
    expect(slack.messages.length).to.equal(told);
    expectNoLeak(first.child, quick.child, later.child);
  });

  /**
   * The password's private message hangs at Slack (it never shows), and the process is killed with
   * it in flight, after it recorded that the vendor issued a password. A quick restart leaves it to
   * a live instance that may still be delivering; later, it is final as `undelivered`, its requester
   * is told in their language and may ask again at once. Nothing sends a password twice.
   */
  async function killedMidDelivery(url: string): Promise<void> {
    const first = await start(url);
    const held = vendor.hold('sipReset');
    await submitDirectReset(first.driver);
    await held.arrived;
    // The next response_url call after the vendor's answer is the password message: never answered.
    const delivery = slack.hold('response_url');
    const issued = first.child.logged('"message":"request delivering"');
    held.release();
    await Promise.all([delivery.arrived, issued]);
    await kill(first.child);
    expect(await stored(url)).to.equal('delivering');

    const quick = await start(url);
    expect(await stored(url), 'too fresh to settle').to.equal('delivering');
    await kill(quick.child);

    await timePasses(url, Math.max(longestResetMs(ITNIO_TIMEOUT_MS), longestDeliveryMs(5_000)) + 1);
    const later = await start(url);
    expect(await stored(url)).to.equal('undelivered');
    expect(toHana()).to.contain(en.undeliveredNotice('1001', 'Head office'));
    const store = new SqlStore(url);
    try {
      const types = (await store.auditOf('1001', 20)).map((row) => row.type);
      expect(types).to.include.members(['password_issued', 'undelivered']);
      expect(types).not.to.include('completed');
    } finally {
      await store.close();
    }
    const [password] = vendor.issued;
    expect(toHana(), 'never shown, never sent again').not.to.contain(password);
    expect(vendor.calls).to.have.length(1);

    // The old request no longer holds the account: a new reset works at once.
    const done = later.child.logged('"message":"request completed"');
    await submitDirectReset(later.driver);
    await done;
    expect(await stored(url)).to.equal('completed');
    expect(toHana()).to.contain(vendor.issued[1]);
    expectNoLeak(first.child, quick.child, later.child);
  }

  it('SIGKILL with the password on its way to Slack: undelivered after a restart, the requester told', () =>
    killedMidDelivery(database));

  it('SIGTERM with work in flight: newcomers told in their language, the reset finishes, nothing lost', async () => {
    const first = await start();
    const held = vendor.hold('sipReset');
    await submitDirectReset(first.driver);
    await held.arrived;
    first.child.process.kill('SIGTERM');
    await first.child.logged('"message":"shutting down"');
    const refused = await first.driver.command(MEI, '1001', CAST.general);
    expect(refused.json()).to.deep.equal({ response_type: 'ephemeral', text: zhCN.restarting.command });
    held.release();
    expect(await first.child.exit).to.equal(0);
    expect(await stored()).to.equal('completed');
    expect(toHana()).to.contain(vendor.issued[0]);

    const second = await start();
    expect(await stored(), 'a restart changes nothing').to.equal('completed');
    // Mei is served by the new process, in Chinese.
    await command(slack, second.driver, MEI, '1001');
    const modal = slack.views.at(-1)?.view as { title: { text: string } };
    expect(modal.title.text).to.equal('重置话机密码');
    expect(vendor.calls).to.have.length(1);
    expectNoLeak(first.child, second.child);
  });

  describe('on PostgreSQL', () => {
    const cleanup = new Cleanup();
    afterEach(() => cleanup.run());

    /** A fresh database for the app's processes, dropped once they are killed and their connections ended. */
    async function childrensDatabase(context: Mocha.Context): Promise<TestDatabase> {
      const database = await freshDatabase(context, cleanup);
      cleanup.add(async () => {
        await killAll();
        // A killed process's connections end as the server notices: before the drop, which checks.
        for (let i = 0; i < 1_000 && (await database.openConnections()) > 0; i += 1);
      });
      return database;
    }

    it('SIGKILL after the vendor answered, before the outcome is stored: the password delivered, then outcome_unknown', async function () {
      await killedBeforeTheOutcomeIsStored((await childrensDatabase(this)).url);
    });

    it('SIGKILL with the password on its way to Slack: undelivered after a restart, the requester told', async function () {
      await killedMidDelivery((await childrensDatabase(this)).url);
    });

    worldTest(
      'two instances, one killed mid-reset: the survivor serves on, and its sweep settles it once',
      async function () {
        const database = await childrensDatabase(this);
        // The survivor is a whole app in this process, so its sweep can be run and its clock moved on.
        let clock = Date.now();
        const world = await testWorld({ databaseUrl: database.url, now: () => clock });
        cleanup.add(() => world.stop());
        const killed = startApp({
          ...env(database.url),
          SLACK_BOT_TOKEN: world.slack.token,
          SLACK_API_URL: world.slack.apiUrl,
          ITNIO_API_KEY: world.config.itnio.apiKey,
          ITNIO_API_SECRET: world.config.itnio.apiSecret,
          ITNIO_BASE_URL: world.vendor.baseUrl,
        });
        children.push(killed);
        const driver = new SlackDriver({
          eventsUrl: `http://127.0.0.1:${await killed.port}/slack/events`,
          signingSecret: SIGNING_SECRET,
          stub: world.slack,
        });
        const held = world.vendor.hold('sipReset');
        await command(world.slack, driver, HANA, '1001');
        await driver.submitModal(HANA, { account: '1001', app: HEAD_OFFICE });
        await held.arrived;
        await kill(killed);
        held.release();

        const status = async () => (await world.store.listByRequester(HANA, 1))[0]?.status;
        await world.sipReset.sweep();
        expect(await status(), "another instance's reset is left alone while it may still run").to.equal(
          'resetting',
        );
        // The survivor serves everyone else meanwhile.
        expect((await world.driver.command(CAST.employee, 'help', CAST.general)).status).to.equal(200);
        // The clock moves on from the kill's time (the child's), past the longest a reset may take.
        clock = Date.now() + longestResetMs(world.config.itnio.timeoutMs) + 1;
        const second = await world.addInstance();
        // Both instances' sweeps at once, as their timers may line up: one settles it, one tells.
        await world.sweepAll();
        expect(await status()).to.equal('outcome_unknown');
        const told = world.slack.messages.filter(
          (m) =>
            m.channel === world.slack.dmOf(HANA) && m.text === en.interruptedNotice('1001', 'Head office'),
        );
        expect(told, 'told once').to.have.length(1);
        expect(world.vendor.calls).to.have.length(1);
        expect((await second.command(HANA, 'help', CAST.general)).status).to.equal(200);
        expect(
          [...secretFinder(world.vendor.issued)(killed.output.stdout + killed.output.stderr)],
          'a password was logged',
        ).to.deep.equal([]);
      },
    );
  });
});
