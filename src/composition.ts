import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from './config.js';
import { longestDeliveryMs, longestResetMs, userGroupsOf } from './config.js';
import { VendorFailure } from './domain/errors.js';
import type { Store, VendorClient } from './domain/ports.js';
import {
  DEFAULT_DIRECTORY_SETTINGS,
  PhoneDirectory,
  type DirectorySettings,
  type DirectoryStore,
  type PhoneLister,
} from './domain/directory.js';
import { DirectorySchedule } from './ops/directory-schedule.js';
import type { ResetRequest } from './domain/request.js';
import { isFinal, OPEN_STATUSES, type RequestEvent } from './domain/lifecycle.js';
import { buildUseCases } from './domain/use-cases/index.js';
import { ItnioClient } from './itnio/itnio-client.js';
import type { Logger } from './domain/logger.js';
import { Metrics, type RequestPath } from './ops/metrics.js';
import { createApp, type HttpLimits, type SipResetApp } from './slack/app.js';
import { AuditChannel } from './slack/audit-channel.js';
import { messagesFor } from './i18n/index.js';
import { SlackDirectory } from './slack/directory.js';
import { slackWebClient } from './slack/web-api-client.js';
import type { Workspace } from './slack/workspace.js';

/** The edges of the app, built by its caller: the real ones in main.ts, stand-ins' in the sandbox. */
export interface Edges {
  logger: Logger;
  store: Store;
  vendor: VendorClient;
  now?: () => number;
  /** How the reset retries recording its outcome; tests shorten it. */
  recordRetryDelaysMs?: readonly number[];
  /** Hold each HTTP answer until its listener finishes: deterministic tests, not production. */
  processBeforeResponse?: boolean;
  /** How long a private answer read after its ack may wait for the database; tests shorten it. */
  answerReadLimitMs?: number;
  /** The bot's IDs, from our own auth.test at start-up (main.ts) or known (tests): Bolt then asks none. */
  botIdentity?: { botId: string; botUserId: string };
  /** The workspace and app served (main.ts: from auth.test); requests for any other are refused. */
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
}

/** The app, and its phone directory when one is kept. */
export type ComposedApp = SipResetApp & { phoneDirectory?: PhoneDirectory };

/** The signed ITNIO client as the configuration describes it. */
export function itnioClient(
  config: Config,
  options: { logger: Logger; now?: () => number; onPassword?: (password: string) => void },
): ItnioClient {
  return new ItnioClient({
    apiKey: config.itnio.apiKey,
    apiSecret: config.itnio.apiSecret,
    baseUrl: config.itnio.baseUrl,
    appIds: config.itnio.apps.map((app) => app.appId),
    timeoutMs: config.itnio.timeoutMs,
    ...options,
  });
}

/**
 * The composition root: builds the domain's use cases over the edges it is given, then the Slack
 * side around them, once. main.ts, the tests, the demo and the benchmark all come here.
 */
export function compose(config: Config, edges: Edges): ComposedApp {
  const { logger } = edges;
  const now = edges.now ?? Date.now;
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
    },
    log: logger,
    now,
  });
  if (config.auditChannel) {
    auditChannel = new AuditChannel(client, useCases, {
      channel: config.auditChannel,
      t: messagesFor(config.defaultLocale),
      logger,
      appLabel: (appId) => config.itnio.apps.find((app) => app.appId === appId)?.label ?? appId,
    });
  }
  const phoneDirectory = directoryOf(config, edges, metrics, now);
  const sipReset: ComposedApp = createApp({
    config,
    auditChannel,
    logger,
    useCases,
    directory,
    client,
    metrics,
    database: () => edges.store.ping(),
    processBeforeResponse: edges.processBeforeResponse,
    answerReadLimitMs: edges.answerReadLimitMs,
    botIdentity: edges.botIdentity,
    workspace: edges.workspace,
    httpLimits: edges.httpLimits,
    now,
    phoneDirectory,
  });
  if (!phoneDirectory) return sipReset;
  const schedule = new DirectorySchedule(phoneDirectory, logger);
  const start = sipReset.start.bind(sipReset);
  const stop = sipReset.stop.bind(sipReset);
  return Object.assign(sipReset, {
    phoneDirectory,
    async start() {
      await start();
      schedule.start();
    },
    stop() {
      schedule.stop();
      return stop();
    },
  });
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
