import type { WebClient } from '@slack/web-api';
import type { Config } from './config.js';
import { longestResetMs } from './config.js';
import type { Store, VendorClient } from './domain/ports.js';
import { ResetService } from './domain/reset-service.js';
import { ItnioClient } from './itnio/itnio-client.js';
import type { Logger } from './logging.js';
import { createApp, type SipResetApp } from './slack/app.js';
import { SlackDirectory } from './slack/directory.js';
import { slackWebClient } from './slack/web-api-client.js';

/** The edges of the app, built by its caller: the real ones in main.ts, stand-ins' in the sandbox. */
export interface Edges {
  logger: Logger;
  store: Store;
  vendor: VendorClient;
  now?: () => number;
  /** How the service retries recording a reset's outcome; tests shorten it. */
  recordRetryDelaysMs?: readonly number[];
  /** Hold each HTTP answer until its listener finishes: deterministic tests, not production. */
  processBeforeResponse?: boolean;
  /** The bot's IDs, from our own auth.test at start-up (main.ts) or known (tests): Bolt then asks none. */
  botIdentity?: { botId: string; botUserId: string };
  /** The Web API client for the app's own calls; built from the configuration when not given. */
  slackClient?: WebClient;
}

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
 * The composition root: builds the domain service over the edges it is given, then the Slack
 * side around that service, once. main.ts, the tests, the demo and the benchmark all come here.
 */
export function compose(config: Config, edges: Edges): SipResetApp {
  const { logger } = edges;
  const now = edges.now ?? Date.now;
  const client = edges.slackClient ?? slackWebClient(config.slack, logger);
  const directory = new SlackDirectory(client, groupsIn(config), logger, now);
  const service = new ResetService({
    onEvent: ({ type, request, actor }) =>
      logger.info(`request ${type}`, {
        requestId: request.id,
        actor,
        requester: request.requesterId,
        account: request.account,
        appId: request.appId,
        status: request.status,
        ...(request.failureCode ? { failureCode: request.failureCode } : {}),
      }),
    store: edges.store,
    vendor: edges.vendor,
    policy: config.policy,
    directory,
    settings: {
      appIds: config.itnio.apps.map((a) => a.appId),
      requestTtlMinutes: config.requestTtlMinutes,
      grantTtlMinutes: config.grantTtlMinutes,
      maxRequestsPerHour: config.maxRequestsPerHour,
      approvalsPossible: config.approvalChannel !== undefined,
      resetStaleAfterMs: longestResetMs(config.itnio.timeoutMs),
      recordRetryDelaysMs: edges.recordRetryDelaysMs,
    },
    log: logger,
    now,
  });
  return createApp({
    config,
    logger,
    service,
    directory,
    client,
    processBeforeResponse: edges.processBeforeResponse,
    botIdentity: edges.botIdentity,
    now,
  });
}

/** The user groups named in the helpdesk and approver lists, whose members must be looked up. */
function groupsIn(config: Config): string[] {
  return [...new Set([...config.policy.helpdesk, ...config.policy.approvers])].filter((id) =>
    id.startsWith('S'),
  );
}
