import { Server } from 'node:http';
import type { ExtendedErrorHandler } from '@slack/bolt/dist/App.js';
import { App, HTTPReceiver, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { Config } from '../config.js';
import { ResetService } from '../domain/reset-service.js';
import { healthRoute } from '../http/health.js';
import { messagesFor } from '../i18n/index.js';
import { BoltLoggerAdapter, type Logger } from '../logging.js';
import { mrkdwnSubject } from './blocks/format.js';
import type { Store } from '../store/types.js';
import type { VendorClient } from '../vendor/itnio-client.js';
import * as actions from './actions/index.js';
import { RequestAnnouncer } from './announcer.js';
import * as commands from './commands/index.js';
import type { SlackContext } from './context.js';
import { PrivateDelivery, slackError } from './delivery.js';
import { SlackDirectory } from './directory.js';
import { notice } from './blocks/messages.js';
import { privateTargetOf } from './request-body.js';
import { tellPrivately } from './reset-flow.js';
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
  stop(): Promise<void>;
  /** One round of expiry and recovery; also run by a timer. */
  sweep(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 30_000;

export function createApp(deps: AppDeps): SipResetApp {
  const { config, logger, store, vendor } = deps;
  const now = deps.now ?? Date.now;
  let ready = false;
  const boltLogger = new BoltLoggerAdapter(logger);

  const receiver: Receiver = config.slack.appToken
    ? new SocketModeReceiver({
        appToken: config.slack.appToken,
        logger: boltLogger,
        customRoutes: [healthRoute(() => ready)],
        // The Socket Mode client's own Web API client calls apps.connections.open: without this it
        // asks slack.com whatever SLACK_API_URL says.
        installerOptions: { port: config.port, clientOptions: { slackApiUrl: config.slack.apiUrl } },
      })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret,
        endpoints: '/slack/events',
        logger: boltLogger,
        customRoutes: [healthRoute(() => ready)],
        processBeforeResponse: deps.processBeforeResponse ?? false,
      });

  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger: boltLogger,
    clientOptions: { slackApiUrl: config.slack.apiUrl },
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
      // The vendor call with its one retry, plus a margin.
      resetStaleAfterMs: 2 * config.itnio.timeoutMs + 30_000,
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
    delivery: new PrivateDelivery(app.client, logger),
    directory,
    logger,
    t,
    appLabel,
    subject: (request) => mrkdwnSubject(request, appLabel(request.appId)),
  };

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
  const sweepOnce = async () => {
    try {
      await sweep(context);
    } catch (error) {
      logger.error('sweep failed', { error: (error as Error).message });
    }
  };

  return {
    app,
    context,
    sweep: sweepOnce,
    async start() {
      await sweepOnce();
      const started = await app.start(config.port);
      if (started instanceof Server) server = started;
      ready = true;
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
    async stop() {
      ready = false;
      if (timer) clearInterval(timer);
      await app.stop();
    },
  };
}

/** The user groups named in the helpdesk and approver lists, whose members must be looked up. */
function groupsIn(config: Config): string[] {
  return [...new Set([...config.policy.helpdesk, ...config.policy.approvers])].filter((id) =>
    id.startsWith('S'),
  );
}
