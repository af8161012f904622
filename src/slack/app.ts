import { Server } from 'node:http';
import type { ExtendedErrorHandler } from '@slack/bolt/dist/App.js';
import { App, HTTPReceiver, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { longestResetMs, type Config } from '../config.js';
import { ResetService } from '../domain/reset-service.js';
import { healthRoute, type Phase } from '../ops/health.js';
import { messagesFor } from '../i18n/index.js';
import { BoltLoggerAdapter, type Logger } from '../logging.js';
import { mrkdwnSubject } from './blocks/format.js';
import type { Store } from '../domain/ports.js';
import type { VendorClient } from '../domain/ports.js';
import * as actions from './actions/index.js';
import { RequestAnnouncer } from './announcer.js';
import * as commands from './commands/index.js';
import type { SlackContext } from './context.js';
import { PrivateDelivery, slackError } from './delivery.js';
import { SlackDirectory } from './directory.js';
import { notice } from './blocks/messages.js';
import { privateTargetOf } from './request-body.js';
import { tellPrivately } from './reset-flow.js';
import { refuseWhileStopping, WorkInFlight } from './draining.js';
import { screenSlackRequests } from './request-guard.js';
import { sweep } from './sweeper.js';
import * as views from './views/index.js';

/** The edges of the app: tests pass fakes of exactly the ones they mean to. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  store: Store;
  vendor: VendorClient;
  now?: () => number;
  /** How the service retries recording a reset's outcome; tests shorten it. */
  recordRetryDelaysMs?: readonly number[];
  /** Hold each HTTP answer until its listener finishes: deterministic tests, not production. */
  processBeforeResponse?: boolean;
  /** Skips Bolt's auth.test at start-up when the bot's IDs are known. */
  botIdentity?: { botId: string; botUserId: string };
}

export interface SipResetApp {
  app: App;
  context: SlackContext;
  /** Starts serving (HTTP on config.port, or Socket Mode) and the periodic sweep. */
  start(): Promise<void>;
  /** The port the HTTP server listens on, once started (config.port may be 0). */
  port(): number | undefined;
  /**
   * Stops gracefully: /healthz answers 503 and new requests are refused kindly at once, the sweep
   * stops, and the work in flight (a reset waiting for the vendor, its delivery) finishes before the
   * server closes. Calling it again returns the same stop.
   */
  stop(): Promise<void>;
  /** How many requests and sweeps are running. */
  inFlight(): number;
  /** One round of expiry and recovery; also run by a timer. */
  sweep(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 30_000;
const SLACK_ENDPOINT = '/slack/events';

export function createApp(deps: AppDeps): SipResetApp {
  const { config, logger, store, vendor } = deps;
  const now = deps.now ?? Date.now;
  let phase: Phase = 'starting';
  const boltLogger = new BoltLoggerAdapter(logger);

  const receiver: Receiver = config.slack.appToken
    ? new SocketModeReceiver({
        appToken: config.slack.appToken,
        logger: boltLogger,
        customRoutes: [healthRoute(() => phase)],
        installerOptions: { port: config.port },
      })
    : httpReceiver();

  function httpReceiver(): HTTPReceiver {
    const http = new HTTPReceiver({
      signingSecret: config.slack.signingSecret,
      endpoints: SLACK_ENDPOINT,
      logger: boltLogger,
      customRoutes: [healthRoute(() => phase)],
      processBeforeResponse: deps.processBeforeResponse ?? false,
    });
    screenSlackRequests(http, {
      endpoint: SLACK_ENDPOINT,
      signingSecret: config.slack.signingSecret,
      logger,
    });
    return http;
  }

  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger: boltLogger,
    clientOptions: slackClientOptions(config),
    // The error handler gets the request's body: enough to tell the person something failed.
    extendedErrorHandler: true,
    ...(deps.botIdentity ?? {}),
  });

  const directory = new SlackDirectory(app.client, groupsIn(config), logger, now);
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
    store,
    vendor,
    policy: config.policy,
    directory,
    settings: {
      appIds: config.itnio.apps.map((a) => a.appId),
      requestTtlMinutes: config.requestTtlMinutes,
      grantTtlMinutes: config.grantTtlMinutes,
      maxRequestsPerHour: config.maxRequestsPerHour,
      approvalsPossible: config.approvalChannel !== undefined,
      resetStaleAfterMs: longestResetMs(config.itnio.timeoutMs),
      recordRetryDelaysMs: deps.recordRetryDelaysMs,
    },
    log: logger,
    now,
  });
  const t = messagesFor('en');
  const appLabel = (appId: string) => config.itnio.apps.find((a) => a.appId === appId)?.label ?? appId;
  const context: SlackContext = {
    config,
    service,
    announcer: new RequestAnnouncer(app.client, service, {
      t,
      logger,
      policy: config.policy,
      approvalChannel: config.approvalChannel,
      appLabel,
    }),
    delivery: new PrivateDelivery(app.client, logger, config.slack.timeoutMs),
    directory,
    logger,
    t,
    appLabel,
    subject: (request) => mrkdwnSubject(request, appLabel(request.appId)),
  };

  const inFlight = new WorkInFlight();
  // Global middleware sees every request before its listener and settles only after it.
  app.use(async (args) => {
    await inFlight.track(phase === 'stopping' ? refuseWhileStopping(args, t) : args.next());
  });
  commands.register(app, context);
  views.register(app, context);
  actions.register(app, context);
  // Bolt's index does not export the extended handler's argument type; its parameter is that type.
  app.error(async ({ error, body }: Parameters<ExtendedErrorHandler>[0]) => {
    logger.error('unhandled error in a listener', { error: slackError(error) });
    const target = privateTargetOf(body);
    // A thrown listener has done nothing past its last stored step, and never a reset it did not report.
    if (target) await tellPrivately(context, target, notice(t.unexpectedError));
  });

  let timer: NodeJS.Timeout | undefined;
  let server: Server | undefined;
  let stopping: Promise<void> | undefined;
  const sweepOnce = () =>
    inFlight.track(
      sweep(context).catch((error: unknown) => {
        logger.error('sweep failed', { error: (error as Error).message });
      }),
    );

  return {
    app,
    context,
    sweep: sweepOnce,
    async start() {
      await sweepOnce();
      const started = await app.start(config.port);
      if (started instanceof Server) server = started;
      phase = 'serving';
      timer = setInterval(() => void sweepOnce(), SWEEP_INTERVAL_MS);
      timer.unref();
      logger.info('sip-reset is running', {
        mode: config.slack.appToken ? 'socket' : 'http',
        port: server ? this.port() : config.port,
      });
    },
    port() {
      const address = server?.address();
      return typeof address === 'object' && address ? address.port : undefined;
    },
    stop() {
      stopping ??= (async () => {
        phase = 'stopping';
        if (timer) clearInterval(timer);
        await inFlight.drained();
        await app.stop();
      })();
      return stopping;
    },
    inFlight: () => inFlight.size,
  };
}

/**
 * Every call to Slack is time-boxed, so no listener (nor a stop waiting for it) hangs on Slack.
 * None is retried: each sits in a person's flow with a fallback of its own (delivery tries three
 * routes, a modal that does not open is answered with an error), while a retry after a timeout may
 * repeat what Slack already did: post a message, or a password, twice, or spend a trigger_id that
 * worked. For the same reason a rate limit fails at once instead of holding the listener for its
 * Retry-After.
 */
function slackClientOptions(config: Config): WebClientOptions {
  const { apiUrl, timeoutMs } = config.slack;
  return {
    slackApiUrl: apiUrl,
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Bolt's respond() posts to a response_url through this fetch, with no deadline of its own.
    fetch: (url, init) => fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) }),
  };
}

/** The user groups named in the helpdesk and approver lists, whose members must be looked up. */
function groupsIn(config: Config): string[] {
  return [...new Set([...config.policy.helpdesk, ...config.policy.approvers])].filter((id) =>
    id.startsWith('S'),
  );
}
