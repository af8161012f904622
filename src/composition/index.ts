import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { App } from '@slack/bolt';
import type { Config } from '../config/index.js';
import { lockoutLeaseMs, longestDeliveryMs, longestResetMs, userGroupsOf } from '../config/index.js';
import { checkpointText } from '../domain/audit.js';
import { errorMessage, VendorFailure } from '../domain/errors.js';
import type { Store, VendorClient } from '../domain/ports.js';
import {
  DEFAULT_DIRECTORY_SETTINGS,
  PhoneDirectory,
  type DirectorySettings,
  type DirectoryStore,
  type PhoneLister,
} from '../domain/directory.js';
import type { ResetRequest } from '../domain/request.js';
import { isFinal, OPEN_STATUSES, type RequestEvent } from '../domain/lifecycle.js';
import { buildUseCases } from '../domain/use-cases/index.js';
import { catalogueFor } from '../i18n/index.js';
import { Lifecycle, serversOf } from '../lifecycle.js';
import type { Logger } from '../domain/logger.js';
import { DirectorySchedule } from '../ops/directory-schedule.js';
import { healthRoute, readyRoute } from '../ops/health.js';
import { Metrics, metricsRoute, type RequestPath } from '../ops/metrics.js';
import { customRoutes, HTTP_LIMITS, OpsServer, type HttpLimits } from '../ops/server.js';
import { createSlackApp } from '../slack/app.js';
import { AuditChannel } from '../slack/outbound/audit-channel.js';
import { SlackDirectory } from '../slack/platform/user-groups.js';
import type { SlackServices } from '../slack/services.js';
import { sweep } from '../slack/flows/upkeep-sweep.js';
import type { LockoutRuns } from '../slack/flows/lockout-run.js';
import type { SlackStore } from '../slack/platform/slack-store.js';
import { storeKind } from '../store/kind.js';
import { slackWebClient } from '../slack/platform/web-api-client.js';
import { slackError } from '../slack/platform/web-api-errors.js';
import type { Workspace } from '../slack/platform/workspace.js';
import { VERSION } from '../version.js';
import { slackServicesOf } from './slack.js';
import type { LockoutLauncher } from '../slack/flows/lockout-launcher.js';

/** The edges of the app, built by its caller: the real ones in production.ts, stand-ins' in the sandbox. */
export interface Edges {
  logger: Logger;
  store: Store;
  /** The Slack side's own tables, beside the domain's store (store.slackStore() of the SQL and memory stores). */
  slackStore: SlackStore;
  vendor: VendorClient;
  now?: () => number;
  /** How the reset retries recording its outcome; tests shorten it. */
  recordRetryDelaysMs?: readonly number[];
  /** Hold each HTTP answer until its listener finishes: deterministic tests, not production. */
  processBeforeResponse?: boolean;
  /** How long a private answer read after its ack may wait for the database; tests shorten it. */
  answerReadLimitMs?: number;
  /** Names this process on the leases of the lock-outs it runs; defaults to a random one. */
  leaseOwner?: string;
  /**
   * How the Slack side waits out Slack's Retry-After before asking again (a lock-out's summary),
   * cut short when the process stops; tests pass one that waits for nothing.
   */
  slackSleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The bot's IDs, from our own auth.test at start-up (production.ts) or known (tests): Bolt then asks none. */
  botIdentity?: { botId: string; botUserId: string };
  /** The workspace and app served (production.ts: from auth.test); requests for any other are refused. */
  workspace?: Workspace;
  /** Bounds on HTTP clients; tests shorten them. */
  httpLimits?: HttpLimits;
  /**
   * The phone directory's table and the vendor's sipQuery: with both (and a refresh interval above
   * 0), the app keeps a directory of phones.
   */
  directory?: {
    store: DirectoryStore;
    vendor: PhoneLister;
    /** Pacing and lease settings; tests shorten them. */
    settings?: Partial<DirectorySettings>;
    sleep?: (ms: number) => Promise<void>;
    /** Names this process's lease; defaults to a random one. */
    holder?: string;
  };
  /** In place of the lock-out engine, as the form reaches it: for a test that records what the form asks of it. */
  lockouts?: LockoutLauncher;
}

/** The app, built: what production.ts (for main.ts), the sandbox and the tests start, stop and look into. */
export interface SipResetApp {
  app: App;
  services: SlackServices;
  /** What GET /readyz cannot find out by itself (see Lifecycle). */
  readiness: { slackToken: boolean };
  /** The phone directory, when one is kept. */
  phoneDirectory?: PhoneDirectory;
  /** The lock-outs this process runs: `settled()` waits for them (tests). */
  lockoutRuns: LockoutRuns;
  /** Starts serving (HTTP on config.port, or Socket Mode), the periodic sweep and the directory's refresh. */
  start(): Promise<void>;
  /** The port the HTTP server (Slack's events in HTTP mode, the operators' routes) listens on, once started (config.port may be 0). */
  port(): number | undefined;
  /** Stops gracefully (see Lifecycle); calling it again returns the same stop. */
  stop(): Promise<void>;
  /** How many requests and sweeps are running. */
  inFlight(): number;
  /** One round of expiry and recovery; also run by a timer. */
  sweep(): Promise<void>;
}

/**
 * The composition root: builds every edge and service once, from the edges it is given: the
 * metrics, the Slack Web API client and directory, the domain's use cases, the audit channel and the
 * phone directory, the Slack side's services, the operators' routes, the Bolt app and the
 * lifecycle that runs them. main.ts (through production.ts), the tests, the demo and the bench
 * all come here.
 */
export function compose(config: Config, edges: Edges): SipResetApp {
  const { logger } = edges;
  const now = edges.now ?? Date.now;
  const appLabel = (appId: string) => config.itnio.apps.find((app) => app.appId === appId)?.label ?? appId;
  const metrics = new Metrics(() => edges.store.countByStatus(OPEN_STATUSES));
  const client = slackWebClient(config.slack, logger, (...call) => metrics.slackCall(...call));
  const directory = new SlackDirectory(client, userGroupsOf(config), logger, now);
  // Built once the use cases exist, since it reads approvals and the chain's head through them;
  // their first event comes later, from a request or a sweep.
  let auditChannel: AuditChannel | undefined;
  const useCases = buildUseCases({
    onEvent: (event) => {
      countEvent(metrics, event);
      auditChannel?.onEvent(event);
      const { type, request, actor } = event;
      logger.info(`request ${type}`, {
        requestId: request.id,
        actor,
        requester: request.requesterId,
        account: request.account,
        appId: request.appId,
        status: request.status,
        ...(request.failureCode ? { failureCode: request.failureCode } : {}),
      });
    },
    store: edges.store,
    vendor: timed(edges.vendor, metrics),
    policy: config.policy,
    directory,
    settings: {
      appIds: config.itnio.apps.map((a) => a.appId),
      requestTtlMinutes: config.requestTtlMinutes,
      grantTtlMinutes: config.grantTtlMinutes,
      maxRequestsPerHour: config.maxRequestsPerHour,
      approvalsPossible: config.approvalChannel !== undefined,
      resetStaleAfterMs: longestResetMs(config.itnio.timeoutMs),
      deliveryStaleAfterMs: longestDeliveryMs(config.slack.timeoutMs),
      recordRetryDelaysMs: edges.recordRetryDelaysMs,
      lockoutRatePerSecond: config.lockout.ratePerSecond,
      lockoutGrantDays: config.lockout.grantDays,
      lockoutLeaseMs: lockoutLeaseMs(config.itnio.timeoutMs, config.slack.timeoutMs),
    },
    log: logger,
    now,
  });
  if (config.auditChannel) {
    auditChannel = new AuditChannel(client, useCases, {
      channel: config.auditChannel,
      t: catalogueFor(config.defaultLocale),
      logger,
      appLabel,
    });
  }
  const phoneDirectory = directoryOf(config, edges, metrics, now);
  const schedule = phoneDirectory && new DirectorySchedule(phoneDirectory, logger);
  const services = slackServicesOf({
    config,
    logger,
    useCases,
    slackStore: edges.slackStore,
    directory,
    client,
    metrics,
    auditChannel,
    phoneDirectory,
    answerReadLimitMs: edges.answerReadLimitMs,
    appLabel,
    now,
    leaseOwner: edges.leaseOwner ?? `${hostname()}:${process.pid}:${randomUUID()}`,
    sleep: edges.slackSleep ?? abortableSleep,
    lockouts: edges.lockouts,
  });
  metrics.watchLockouts(() => services.lockoutRuns.queuedPhones());
  // Set as a stop begins: the lock-outs halt before their next call, and the stop waits for them.
  let lockoutsHalted: Promise<void> = Promise.resolve();

  const lifecycle: Lifecycle = new Lifecycle({
    sweep: () =>
      sweep(services).then(
        ({ expired, recovered }) => metrics.swept(expired, recovered),
        (error: unknown) => {
          logger.error('sweep failed', { error: slackError(error) });
        },
      ),
    // The audit chain's head as this process found it, before its first sweep appends anything: a
    // checkpoint for log shipping, which a database admin rewriting the trail while the app was
    // down cannot take back.
    starting: async () => {
      try {
        const head = await useCases.upkeep.auditCheckpoint();
        logger.info('audit chain head', { audit: head, checkpoint: checkpointText(head) });
      } catch (error) {
        logger.warn('could not read the audit chain head', { error: errorMessage(error) });
      }
    },
    serving: () => {
      // One line that says what runs, for the admin reading the log of a (re)start; never a credential.
      logger.info('sip-reset is running', {
        version: VERSION,
        mode: config.slack.appToken ? 'socket' : 'http',
        port: config.slack.appToken ? config.port : lifecycle.port(),
        store: storeKind(config.databaseUrl),
        apps: config.itnio.apps.map((a) => a.label),
        approvals: config.approvalChannel ? 'on' : 'off',
        helpdeskEntries: config.policy.helpdesk.length,
        approverEntries: config.policy.approvers.length,
      });
      schedule?.start();
    },
    stopping: () => {
      schedule?.stop();
      lockoutsHalted = services.lockoutRuns.halt();
    },
    drained: async () => {
      await lockoutsHalted;
      await auditChannel?.settled();
    },
  });
  const opsRoutes = [
    healthRoute(() => lifecycle.phase),
    readyRoute({
      phase: () => lifecycle.phase,
      database: () => edges.store.ping(),
      slackToken: () => lifecycle.readiness.slackToken,
      vendorConfigured: () => config.itnio.apps.length > 0 && config.itnio.apiKey.length > 0,
    }),
    metricsRoute(metrics, config.metricsToken),
  ];
  const limits = edges.httpLimits ?? HTTP_LIMITS;
  // In Socket Mode, Slack's traffic comes over a WebSocket; the operators' routes get a server of their own.
  const opsServer = config.slack.appToken ? new OpsServer(opsRoutes, limits) : undefined;
  const app = createSlackApp({
    config,
    logger,
    services,
    metrics,
    lifecycle,
    customRoutes: opsServer ? [] : customRoutes(opsRoutes),
    processBeforeResponse: edges.processBeforeResponse,
    botIdentity: edges.botIdentity,
    workspace: edges.workspace,
  });
  const servers = serversOf(app, opsServer, { port: config.port, host: config.host }, limits);
  return {
    app,
    services,
    readiness: lifecycle.readiness,
    phoneDirectory,
    lockoutRuns: services.lockoutRuns,
    start: () => lifecycle.start(servers),
    port: () => lifecycle.port(),
    stop: () => lifecycle.stop(),
    inFlight: () => lifecycle.inFlight(),
    sweep: () => lifecycle.sweep(),
  };
}

/** The phone directory, when the edges give it a table and a vendor and the configuration keeps one. */
function directoryOf(
  config: Config,
  edges: Edges,
  metrics: Metrics,
  now: () => number,
): PhoneDirectory | undefined {
  const given = edges.directory;
  if (!given || config.directoryRefreshMinutes === 0) return undefined;
  const appIds = config.itnio.apps.map((app) => app.appId);
  metrics.watchDirectory(() => given.store.states(), appIds, now);
  return new PhoneDirectory({
    store: given.store,
    vendor: given.vendor,
    settings: {
      ...DEFAULT_DIRECTORY_SETTINGS,
      appIds,
      refreshIntervalMs: config.directoryRefreshMinutes * 60_000,
      ...given.settings,
    },
    log: edges.logger,
    holder: given.holder ?? `${hostname()}:${process.pid}:${randomUUID()}`,
    now,
    sleep: given.sleep,
    onRefresh: (appId, { failureCode }) => {
      if (failureCode) metrics.directoryRefreshFailed(appId, failureCode);
    },
  });
}

function pathOf(request: ResetRequest): RequestPath {
  return request.requiredApprovals === 0 ? 'direct' : 'approval';
}

function countEvent(metrics: Metrics, { type, request }: RequestEvent): void {
  if (type === 'created') metrics.requestCreated(pathOf(request));
  else if (isFinal(type)) metrics.requestFinished(pathOf(request), type);
}

/** The vendor, with each call's result code and time measured. */
function timed(vendor: VendorClient, metrics: Metrics): VendorClient {
  return {
    async sipReset(request) {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const result = await vendor.sipReset(request);
        metrics.vendorCall('ok', seconds());
        return result;
      } catch (error) {
        metrics.vendorCall(error instanceof VendorFailure ? error.code : 'client_error', seconds());
        throw error;
      }
    },
  };
}

/** Waits `ms`, or less once `signal` aborts (the process stops): never rejects. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
