import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { expect } from 'chai';
import pg from 'pg';
import { findButton } from '../../sandbox/slack-driver.js';
import { CAST } from '../../sandbox/world.js';
import type { RequestStatus } from '../../src/domain/lifecycle.js';
import { zhCN } from '../../src/i18n/zh-CN/index.js';
import { Cleanup } from '../helpers/cleanup.js';
import { POSTGRES_ADMIN_URL } from '../helpers/databases.js';
import type { PostgresRelay } from '../helpers/postgres-relay.js';
import { lockDatabase } from '../helpers/sqlite-lock.js';
import {
  requestReset,
  testWorld,
  type TestWorld,
  worldBehindRelay,
  worldOn,
  worldTest,
} from '../helpers/world.js';
import { expectStillServing, UNLIMITED } from './attack.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

const MEI = CAST.chineseEmployee;
const HAN = /\p{Script=Han}/u;

/** A database fault that lasts while one store write runs. */
interface DatabaseFault {
  name: string;
  postgres: boolean;
  during<T>(world: TestWorld, write: () => Promise<T>): Promise<T>;
}

/** A fault applied before the write and healed after it. */
const around =
  (apply: (world: TestWorld) => () => void) =>
  async <T>(world: TestWorld, write: () => Promise<T>): Promise<T> => {
    const heal = apply(world);
    try {
      return await write();
    } finally {
      heal();
    }
  };

/**
 * The server ends the app's connection in the middle of the write's transaction, as an admin or a
 * failover does: an admin transaction locks the table, the write waits on it inside its own
 * transaction, and that backend is terminated while it waits. Deterministic: no timing.
 */
async function connectionEndedDuring<T>(world: TestWorld, write: () => Promise<T>): Promise<T> {
  const name = new URL(world.config.databaseUrl).pathname.slice(1);
  const locker = new pg.Client({ connectionString: world.config.databaseUrl });
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await Promise.all([locker.connect(), admin.connect()]);
  try {
    await locker.query('begin');
    await locker.query('lock table reset_requests in exclusive mode');
    const lockerPid = (await locker.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
    const written = write().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    let ended = 0;
    for (let i = 0; i < 2_000 && ended === 0; i += 1) {
      const { rows } = await admin.query<{ ended: boolean }>(
        `select pg_terminate_backend(pid) as ended from pg_stat_activity
          where datname = $1 and pid <> $2 and wait_event_type = 'Lock'`,
        [name, lockerPid],
      );
      ended = rows.length;
    }
    await locker.query('rollback');
    expect(ended, 'a write was cut off').to.equal(1);
    const outcome = await written;
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  } finally {
    await Promise.all([locker.end(), admin.end()]);
  }
}

/**
 * The SQLite files made read-only. Permissions do not stop root (CI runs as root), the immutable
 * attribute does: chattr +i, which root may set and which no write passes, root's included.
 */
function readOnly(path: string): () => void {
  const files = [path, `${path}-wal`];
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', ...files]);
    return () => execFileSync('chattr', ['-i', ...files]);
  }
  for (const file of files) chmodSync(file, 0o444);
  return () => {
    for (const file of files) chmodSync(file, 0o644);
  };
}

const FAULTS: DatabaseFault[] = [
  {
    name: 'PostgreSQL ends the connection mid-transaction (pg_terminate_backend)',
    postgres: true,
    during: connectionEndedDuring,
  },
  {
    name: 'SQLite locked by another connection',
    postgres: false,
    during: around((world) => lockDatabase(world.config.databaseUrl)),
  },
  {
    name: 'SQLite read-only',
    postgres: false,
    during: around((world) => readOnly(world.config.databaseUrl)),
  },
];

/** The store writes of the two paths, each the one atomic change of a transition. */
type Transition = 'submit' | 'approve' | 'claim' | 'finish' | 'deny' | 'cancel';
const WRITE_TO: Record<Exclude<Transition, 'submit' | 'approve'>, RequestStatus> = {
  claim: 'resetting',
  finish: 'completed',
  deny: 'denied',
  cancel: 'cancelled',
};

/** Runs the fault around the first store write of this transition, and only that one. */
function faultAt(world: TestWorld, transition: Transition, fault: DatabaseFault): { fired: () => boolean } {
  let fired = false;
  const store = world.store;
  const faulted = <T>(write: () => Promise<T>): Promise<T> => {
    fired = true;
    return fault.during(world, write);
  };
  if (transition === 'submit') {
    const original = store.createRequest.bind(store);
    store.createRequest = (...args) => (fired ? original(...args) : faulted(() => original(...args)));
  } else if (transition === 'approve') {
    const original = store.addApproval.bind(store);
    store.addApproval = (...args) => (fired ? original(...args) : faulted(() => original(...args)));
  } else {
    const original = store.transition.bind(store);
    store.transition = (...args) =>
      fired || args[2] !== WRITE_TO[transition] ? original(...args) : faulted(() => original(...args));
  }
  return { fired: () => fired };
}

describe('attack: the database fails at each transition of both paths', function () {
  this.timeout(60_000);
  let world: TestWorld;
  const cleanup = new Cleanup();

  afterEach(() => cleanup.run());

  async function open(
    context: Mocha.Context,
    postgres: boolean,
    locales?: Record<string, string>,
  ): Promise<TestWorld> {
    world = await worldOn(context, cleanup, postgres ? 'PostgreSQL' : 'SQLite', (databaseUrl) =>
      testWorld({
        databaseUrl,
        ...(locales ? { locales } : {}),
        env: UNLIMITED,
        store: { sqliteBusyTimeoutMs: 10 },
        recordRetryDelaysMs: [5, 5, 5],
      }),
    );
    return world;
  }

  const latestOf = (user: string) => world.store.listByRequester(user, 1).then((r) => r[0]);
  const hostOf = (channel: string) => {
    const message = world.lastMessage(channel);
    return { kind: 'message' as const, channel: message.channel, ts: message.ts };
  };

  /** Mei asks; a step that the fault broke is done again, once, as the person would. */
  const steps = {
    async submit() {
      await world.driver.command(MEI, '1001', CAST.general);
      return world.driver.submitModal(MEI, { account: '1001', app: HEAD_OFFICE, reason: '换了新话机' });
    },
    approve: () => world.driver.click(CAST.approver, hostOf(CAST.approvals), 'sip_reset_approve'),
    claim: () => world.driver.click(MEI, hostOf(MEI), 'sip_reset_claim'),
    async deny() {
      await world.driver.click(CAST.approver, hostOf(CAST.approvals), 'sip_reset_deny');
      return world.driver.submitModal(CAST.approver, { deny_reason: '请找 IT 当面处理' });
    },
    async cancel() {
      const note = [...world.slack.ephemerals]
        .reverse()
        .find((e) => e.user === MEI && findButton(e.blocks, 'sip_reset_cancel'));
      return world.driver.click(MEI, { kind: 'ephemeral', id: note?.id ?? '' }, 'sip_reset_cancel');
    },
  };
  const PATHS: Array<{ transition: Transition; path: Array<keyof typeof steps>; final: RequestStatus }> = [
    { transition: 'submit', path: ['submit', 'approve', 'claim'], final: 'completed' },
    { transition: 'approve', path: ['submit', 'approve', 'claim'], final: 'completed' },
    { transition: 'claim', path: ['submit', 'approve', 'claim'], final: 'completed' },
    { transition: 'finish', path: ['submit', 'approve', 'claim'], final: 'completed' },
    { transition: 'deny', path: ['submit', 'deny'], final: 'denied' },
    { transition: 'cancel', path: ['submit', 'cancel'], final: 'cancelled' },
  ];

  for (const fault of FAULTS) {
    for (const { transition, path, final } of PATHS) {
      worldTest(`${fault.name}, at ${transition} (approval path, zh-CN requester)`, async function () {
        await open(this, fault.postgres);
        const injected = faultAt(world, transition, fault);
        for (const step of path) {
          const toldBefore = world.slack.ephemerals.length + world.slack.messages.length;
          const firedBefore = injected.fired();
          const answer = await steps[step]();
          // The step whose write failed: the person was told, nothing moved on; they try again.
          const brokeThisStep = !firedBefore && injected.fired() && transition !== 'finish';
          if (brokeThisStep) {
            // The Deny modal stays open with the message; anything else is told in a new message.
            if (step === 'deny') expect(answer?.json()).to.deep.include({ response_action: 'errors' });
            else
              expect(world.slack.ephemerals.length + world.slack.messages.length, 'told').to.be.above(
                toldBefore,
              );
            if (step === 'submit') expect(await latestOf(MEI)).to.equal(undefined);
            else expect((await latestOf(MEI))?.status).to.be.oneOf(['pending', 'approved']);
            expect(world.vendor.calls).to.have.length(0);
            if (step === 'deny')
              await world.driver.submitModal(CAST.approver, { deny_reason: '请找 IT 当面处理' });
            else await steps[step]();
          }
        }
        expect(injected.fired(), 'the fault was met').to.equal(true);
        await world.sipReset.sweep();
        expect((await latestOf(MEI))?.status).to.equal(final);
        expect(world.vendor.calls).to.have.length(final === 'completed' ? 1 : 0);
        const toMei = [
          ...world.slack.ephemerals.filter((e) => e.user === MEI),
          ...world.slack.messages.filter((m) => m.channel === world.slack.dmOf(MEI)),
        ];
        for (const { text } of toMei) expect(text, 'Mei is told in Chinese').to.match(HAN);
        if (['submit', 'claim', 'cancel'].includes(transition))
          expect(toMei.map((m) => m.text)).to.include(zhCN.unexpectedError);
        if (final === 'completed')
          expect(
            toMei.filter((m) => m.text === zhCN.passwordReadyText('1001', 'Head office')),
          ).to.have.length(1);
        await expectStillServing(world);
      });
    }
  }

  for (const fault of FAULTS) {
    for (const transition of ['submit', 'claim', 'finish'] as const) {
      worldTest(`${fault.name}, at ${transition} (direct path, zh-CN helpdesk agent)`, async function () {
        // Hana resets directly, her Slack in Chinese: each message she gets must be too.
        await open(this, fault.postgres, { [CAST.helpdesk]: 'zh-CN' });
        const injected = faultAt(world, transition, fault);
        const directReset = () => requestReset(world, CAST.helpdesk, '1001');
        await directReset();
        expect(injected.fired(), 'the fault was met').to.equal(true);
        if (transition !== 'finish') {
          expect(world.lastPrivate(CAST.helpdesk).text).to.equal(zhCN.unexpectedError);
          expect(world.vendor.calls).to.have.length(0);
          // Nothing is left in the way of trying again at once.
          await directReset();
        }
        await world.sipReset.sweep();
        expect((await latestOf(CAST.helpdesk))?.status).to.equal('completed');
        expect(world.vendor.calls).to.have.length(1);
        const password = world.vendor.issued[0] ?? 'none';
        expect(world.slack.ephemerals.filter((e) => JSON.stringify(e).includes(password))).to.have.length(1);
        const toHana = [
          ...world.slack.ephemerals.filter((e) => e.user === CAST.helpdesk),
          ...world.slack.messages.filter((m) => m.channel === world.slack.dmOf(CAST.helpdesk)),
        ];
        expect(toHana.map((m) => m.text)).to.include(zhCN.passwordReadyText('1001', 'Head office'));
        for (const { text } of toHana) expect(text, 'Hana is told in Chinese').to.match(HAN);
        await expectStillServing(world);
      });
    }
  }
});

describe('attack: the PostgreSQL server gone for a while, and back', function () {
  this.timeout(60_000);
  let relay: PostgresRelay;
  let world: TestWorld;
  const cleanup = new Cleanup();

  afterEach(() => cleanup.run());

  /** A world on a fresh PostgreSQL database behind a relay the test can take down and bring back. */
  async function openBehindRelay(context: Mocha.Context): Promise<void> {
    ({ world, relay } = await worldBehindRelay(context, cleanup, {
      env: UNLIMITED,
      recordRetryDelaysMs: [5, 5, 5],
    }));
  }

  worldTest(
    'a reset in flight when it goes still has the "Reset now" button taken out of its grant DM',
    async function () {
      await openBehindRelay(this);
      const on = (message: { channel: string; ts: string }) =>
        ({ kind: 'message', channel: message.channel, ts: message.ts }) as const;
      await requestReset(world, CAST.employee, '1001', 'lost it');
      await world.driver.click(CAST.approver, on(world.lastMessage(CAST.approvals)), 'sip_reset_approve');
      const grant = world.lastMessage(CAST.employee);
      expect(findButton(grant.blocks, 'sip_reset_claim')).to.not.equal(undefined);

      // Gone once the vendor has the reset: neither its outcome nor where its messages are can be read.
      world.vendor.duringReset.push(() => relay.goDown());
      await world.driver.click(CAST.employee, on(grant), 'sip_reset_claim');
      const [password] = world.vendor.issued;
      expect(world.privateTo(CAST.employee)).to.contain(password);
      const redrawn = world.lastMessage(CAST.employee);
      expect(redrawn.ts, 'the grant DM itself').to.equal(grant.ts);
      expect(findButton(redrawn.blocks, 'sip_reset_claim'), 'nothing left to press').to.equal(undefined);

      relay.up();
      await world.sipReset.sweep();
      expect((await world.store.listByRequester(CAST.employee, 1))[0]?.status).to.equal('completed');
      expect(world.vendor.calls).to.have.length(1);
    },
  );

  worldTest(
    'requests meanwhile are told, a reset in flight is kept, and all goes on once it is back',
    async function () {
      await openBehindRelay(this);
      const stored = (user: string) => world.store.listByRequester(user, 1).then((r) => r[0]);

      // A reset in flight when the server goes: the password is delivered, its outcome kept for later.
      world.vendor.duringReset.push(() => relay.goDown());
      await world.driver.command(CAST.helpdesk, '1001', CAST.general);
      await world.driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE });
      const [password] = world.vendor.issued;
      expect(world.privateTo(CAST.helpdesk)).to.contain(password);

      // While it is gone (the outage is held open for as long as these take, not timed): each
      // person is told privately, in their language, and nothing is half-done.
      await world.driver.command(MEI, '1002', CAST.general);
      if (world.slack.views.some((v) => v.user === MEI))
        await world.driver.submitModal(MEI, { account: '1002', app: HEAD_OFFICE, reason: '换了新话机' });
      expect(world.lastPrivate(MEI).text).to.equal(zhCN.unexpectedError);
      await world.sipReset.sweep();
      expect(world.logs.text()).to.contain('sweep failed');

      relay.up();
      await world.sipReset.sweep();
      expect((await stored(CAST.helpdesk))?.status, 'the outcome kept through the outage').to.equal(
        'completed',
      );
      expect(await stored(MEI), 'nothing stored of what came meanwhile').to.equal(undefined);
      await world.driver.command(MEI, '1002', CAST.general);
      await world.driver.submitModal(MEI, { account: '1002', app: HEAD_OFFICE, reason: '换了新话机' });
      expect((await stored(MEI))?.status).to.equal('pending');
      expect(world.vendor.calls).to.have.length(1);
      await expectStillServing(world);
    },
  );
});
