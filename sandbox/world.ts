import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReceiverEvent } from '@slack/bolt';
import { loadConfig, secretsOf, type Config } from '../src/config/index.js';
import type { Logger } from '../src/domain/logger.js';
import type { Redactor } from '../src/logging/index.js';
import { compose, type SipResetApp } from '../src/composition/index.js';
import { itnioClient } from '../src/composition/production.js';
import type { HttpLimits } from '../src/ops/server.js';
import type { SqlStoreOptions } from '../src/store/sql-connection.js';
import { SqlStore } from '../src/store/sql-store.js';
import type { LockoutLauncher } from '../src/slack/flows/lockout-launcher.js';
import { ItnioStub, type StubPhone } from './itnio-stub.js';
import { SlackDriver } from './slack-driver.js';
import { SlackStub } from './slack-stub.js';
import { SocketModeDriver, SocketModeStub } from './socket-mode-stub.js';

/** The sandbox's people and places. */
export const CAST = {
  helpdesk: 'UHANA',
  employee: 'UALICE',
  approver: 'UBOB',
  secondApprover: 'UDAVE',
  owner: 'UCAROL',
  stranger: 'UEVE',
  /** Her Slack is in Simplified Chinese. */
  chineseEmployee: 'UMEI',
  helpdeskGroup: 'SHELPDESK',
  general: 'CGENERAL',
  approvals: 'CAPPROVALS',
  /** A channel the bot is not in: ephemeral messages there fail. */
  elsewhere: 'CRANDOM',
  /** Where SIP_RESET_AUDIT_CHANNEL points, when a test sets it. */
  audit: 'CAUDIT',
} as const;

export const NAMES: Record<string, string> = {
  UHANA: 'Hana (helpdesk)',
  UALICE: 'Alice',
  UBOB: 'Bob (approver)',
  UDAVE: 'Dave (approver)',
  UCAROL: 'Carol (owns 1002)',
  UEVE: 'Eve',
  UMEI: 'Mei (Slack in Chinese)',
  UBOT: 'sip-reset',
  CGENERAL: '#general',
  CAPPROVALS: '#phone-approvals',
  CAUDIT: '#sip-reset-audit',
  CRANDOM: '#random',
};

export const SIGNING_SECRET = 'sandbox-signing-secret-0123456789';
export const APP_TOKEN = 'xapp-1-A1-sandbox-app-token';
const API_KEY = 'sandbox-api-key';
const API_SECRET = 'sandbox-api-secret-0123';

export interface WorldOptions {
  databaseUrl: string;
  logger: Logger;
  redactor: Redactor;
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  now?: () => number;
  /** For fault tests: how the store waits for a lock, how the reset retries recording its outcome. */
  store?: SqlStoreOptions;
  recordRetryDelaysMs?: readonly number[];
  /**
   * Answer Slack as soon as a listener acks, as in production, rather than once it finishes (the
   * default here, for determinism): for tests of what must be acknowledged before slow work.
   */
  ackBeforeWork?: boolean;
  /** How long `status` and `history` wait for the database after their ack. */
  answerReadLimitMs?: number;
  /** Accounts per app that exist at the vendor. */
  accounts?: Record<string, string[]>;
  /** Phones per app as the vendor's sipQuery lists them (names, groups, passwords), beyond `accounts`. */
  phones?: Record<string, StubPhone[]>;
  /** Slack locales of the cast (user ID -> IETF tag), beyond Mei's zh-CN; anyone else's is en-US. */
  locales?: Record<string, string>;
  /** Bounds on HTTP clients, shorter than the product's for tests of slow clients. */
  httpLimits?: HttpLimits;
  /** How Slack reaches the app: signed HTTP requests (the default), or Socket Mode with SLACK_APP_TOKEN. */
  mode?: 'http' | 'socket';
  /** Keeps a phone directory from the stand-in's sipQuery, unpaced (each instance refreshes it at start). */
  directory?: boolean;
  /** The lock-out engine the form reaches (until it is merged in, a recording one in tests). */
  lockouts?: LockoutLauncher;
  /** How the app waits out Slack's Retry-After (a lock-out's summary): the real wait when not given. */
  slackSleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface WorldParts<D> {
  config: Config;
  slack: SlackStub;
  vendor: ItnioStub;
  store: SqlStore;
  sipReset: SipResetApp;
  driver: D;
  /** Builds and starts a new app process on the same store, stand-ins and port: a restart. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A world whose app serves HTTP. */
export interface World extends WorldParts<SlackDriver> {
  mode: 'http';
  /**
   * Starts another instance of the app, with its own connection to the same database and its own
   * port, as a second server of a deployment; returns the driver that reaches it.
   */
  addInstance(): Promise<SlackDriver>;
  /** One sweep on every instance at once, as their timers may line up. */
  sweepAll(): Promise<void>;
  /** Waits for the lock-outs every instance runs, the added ones too. */
  lockoutsSettledEverywhere(): Promise<void>;
}

/** A world whose app runs in Socket Mode, connected to the stand-in's WebSocket server. */
export interface SocketWorld extends WorldParts<SocketModeDriver> {
  mode: 'socket';
  socket: SocketModeStub;
}

/**
 * The whole product on one machine, with no Slack workspace and no vendor account: the real app
 * over its real receiver (HTTP, or Socket Mode) and a real database, talking to local stand-ins.
 */
export async function createWorld(options: WorldOptions & { mode: 'socket' }): Promise<SocketWorld>;
export async function createWorld(options: WorldOptions & { mode?: 'http' }): Promise<World>;
export async function createWorld(options: WorldOptions): Promise<World | SocketWorld>;
export async function createWorld(options: WorldOptions): Promise<World | SocketWorld> {
  const now = options.now ?? Date.now;
  const vendor = new ItnioStub({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    accounts: options.accounts ?? { '4luaKsL2': ['1001', '1002', '1003', '9000'], Xy12ab: ['2001'] },
    ...(options.phones ? { phones: options.phones } : {}),
  });
  await vendor.start();
  const slack = new SlackStub({
    channels: {
      [CAST.general]: [
        CAST.helpdesk,
        CAST.employee,
        CAST.approver,
        CAST.owner,
        CAST.secondApprover,
        CAST.chineseEmployee,
      ],
      [CAST.approvals]: [CAST.approver, CAST.helpdesk, CAST.secondApprover],
      [CAST.audit]: [CAST.helpdesk],
    },
    groups: { [CAST.helpdeskGroup]: [CAST.helpdesk] },
    users: NAMES,
    locales: { [CAST.chineseEmployee]: 'zh-CN', ...options.locales },
    now,
  });
  await slack.start();
  const socket = options.mode === 'socket' ? new SocketModeStub(slack, APP_TOKEN) : undefined;
  await socket?.start();

  const dir = mkdtempSync(join(tmpdir(), 'sip-reset-sandbox-'));
  const ownersFile = join(dir, 'owners.json');
  writeFileSync(ownersFile, JSON.stringify({ [CAST.owner]: ['1002'] }));
  const config = loadConfig({
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    ITNIO_API_KEY: API_KEY,
    ITNIO_API_SECRET: API_SECRET,
    ITNIO_BASE_URL: vendor.baseUrl,
    ITNIO_APP_IDS: 'Head office=4luaKsL2,Warehouse=Xy12ab',
    ITNIO_TIMEOUT_MS: '2000',
    SIP_RESET_HELPDESK: CAST.helpdeskGroup,
    SIP_RESET_APPROVERS: `${CAST.approver},${CAST.secondApprover},${CAST.helpdeskGroup}`,
    SIP_RESET_APPROVAL_CHANNEL: CAST.approvals,
    SIP_RESET_OWNERS_FILE: ownersFile,
    SIP_RESET_PROTECTED: '9*',
    // As a new install from manifest.yml has it: the options load URL set, so the picker on.
    SIP_RESET_PHONE_PICKER: 'on',
    DATABASE_URL: options.databaseUrl,
    ...(socket ? { SLACK_APP_TOKEN: socket.appToken } : {}),
    ...options.env,
  });
  for (const secret of secretsOf(config)) options.redactor.keepSecret(secret);

  const store = new SqlStore(config.databaseUrl, { ...options.store, logger: options.logger });
  await store.migrate();
  const others: Array<{ instance: SipResetApp; store: SqlStore }> = [];
  let port = 0;

  // Requests the app is still working on. A Socket Mode ack comes as soon as a listener calls
  // ack(), before its work is done, so the Socket Mode driver waits for these as the HTTP one waits
  // for its answer (processBeforeResponse). processEvent is what every receiver calls for a request,
  // and it ends after the listeners and the error handler.
  const running = new Set<Promise<void>>();
  const settled = async () => {
    while (running.size > 0) await Promise.allSettled(running);
  };
  const trackRequests = (instance: SipResetApp): SipResetApp => {
    const { app } = instance;
    const processEvent = app.processEvent.bind(app);
    app.processEvent = (event: ReceiverEvent) => {
      const run = processEvent(event);
      running.add(run);
      const done = () => running.delete(run);
      run.then(done, done);
      return run;
    };
    return instance;
  };

  const build = (on: { store: SqlStore; port: number } = { store, port }): SipResetApp => {
    const vendorClient = itnioClient(config, {
      logger: options.logger,
      now,
      onPassword: (password) => options.redactor.remember(password),
    });
    const instance = compose(
      { ...config, port: on.port },
      {
        logger: options.logger,
        store: on.store,
        slackStore: on.store.slackStore(),
        vendor: vendorClient,
        ...(options.directory
          ? {
              directory: {
                store: on.store.phoneDirectory(),
                vendor: vendorClient,
                settings: { minCallIntervalMs: 0, tooFrequentWaitsMs: [0, 0] },
              },
            }
          : {}),
        now,
        recordRetryDelaysMs: options.recordRetryDelaysMs,
        processBeforeResponse: !options.ackBeforeWork,
        answerReadLimitMs: options.answerReadLimitMs,
        botIdentity: { botId: 'BBOT', botUserId: slack.botUserId },
        workspace: { teamId: slack.teamId, appId: slack.appId },
        httpLimits: options.httpLimits,
        lockouts: options.lockouts,
        slackSleep: options.slackSleep,
      },
    );
    return socket ? trackRequests(instance) : instance;
  };

  const parts: Omit<WorldParts<never>, 'driver'> = {
    config,
    slack,
    vendor,
    store,
    sipReset: build(),
    async restart() {
      await parts.sipReset.stop();
      parts.sipReset = build();
      await parts.sipReset.start();
    },
    async stop() {
      for (const other of others) {
        await other.instance.stop();
        await other.store.close();
      }
      await parts.sipReset.stop();
      // After the app: it leaves its connections itself, as a stopping app does.
      await socket?.stop();
      await store.close();
      await slack.stop();
      await vendor.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await parts.sipReset.start();
  if (socket) {
    return Object.assign(parts, {
      mode: 'socket' as const,
      socket,
      driver: new SocketModeDriver({ stub: slack, socket, settled }),
    });
  }
  port = parts.sipReset.port() ?? 0;
  return Object.assign(parts, {
    mode: 'http' as const,
    driver: new SlackDriver({
      eventsUrl: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      stub: slack,
    }),
    async sweepAll() {
      await Promise.all([parts.sipReset, ...others.map((other) => other.instance)].map((i) => i.sweep()));
    },
    async lockoutsSettledEverywhere() {
      await Promise.all(
        [parts.sipReset, ...others.map((other) => other.instance)].map((i) => i.lockoutRuns.settled()),
      );
    },
    async addInstance() {
      const ownStore = new SqlStore(config.databaseUrl, { ...options.store, logger: options.logger });
      const instance = build({ store: ownStore, port: 0 });
      await instance.start();
      others.push({ instance, store: ownStore });
      return new SlackDriver({
        eventsUrl: `http://127.0.0.1:${instance.port() ?? 0}/slack/events`,
        signingSecret: SIGNING_SECRET,
        stub: slack,
      });
    },
  });
}
