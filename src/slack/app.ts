import { Server, type ServerOptions } from 'node:http';
import type { PhoneDirectory } from '../domain/directory.js';
import type { ExtendedErrorHandler } from '@slack/bolt/dist/App.js';
import { App, HTTPReceiver, SocketModeReceiver, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import type { ResetService } from '../domain/reset-service.js';
import { checkpointText } from '../domain/audit.js';
import { healthRoute, readyRoute, type Phase } from '../ops/health.js';
import { metricsRoute, type AckKind, type Metrics } from '../ops/metrics.js';
import { customRoutes, OpsServer } from '../ops/server.js';
import { localeOf, messagesFor } from '../i18n/index.js';
import { BoltLoggerAdapter, type Logger } from '../logging.js';
import { mrkdwnSubject } from './blocks/format.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import * as events from './events/index.js';
import * as options from './options/index.js';
import * as shortcuts from './shortcuts/index.js';
import type { ListenerDeps } from './listener-deps.js';
import type { AuditChannel } from './audit-channel.js';
import { PrivateDelivery, responseUrlOrigins } from './delivery.js';
import { slackError } from './web-api-errors.js';
import type { SlackDirectory } from './directory.js';
import { SlackLocales } from './locales.js';
import { AppHome } from './home.js';
import { Notices } from './notices.js';
import { privateTargetOf } from './private-target.js';
import { RequestMessages } from './request-messages.js';
import { refuseWhileStopping, WorkInFlight } from './draining.js';
import { screenSlackRequests } from './request-guard.js';
import { storeKind } from '../store/kind.js';
import { VERSION } from '../version.js';
import { sweep } from './sweeper.js';
import { slackClientOptions } from './web-api-client.js';
import * as views from './views/index.js';
import { foreignTo, requestKindOf, type Workspace } from './workspace.js';

/** What the Slack side is given, built once in the composition root (src/composition.ts). */
export interface AppDeps {
  config: Config;
  logger: Logger;
  service: ResetService;
  directory: SlackDirectory;
  /** The Web API client the app's own helpers use, with the same options as Bolt's. */
  client: WebClient;
  metrics: Metrics;
  /** Where final outcomes and the daily checkpoint are posted, when SIP_RESET_AUDIT_CHANNEL is set. */
  auditChannel?: AuditChannel;
  /** Answers a trivial query, or throws: for GET /readyz. */
  database(): Promise<void>;
  /** Hold each HTTP answer until its listener finishes: deterministic tests, not production. */
  processBeforeResponse?: boolean;
  /** How long a private answer read after its ack may wait for the database (default 5 s). */
  answerReadLimitMs?: number;
  /** Skips Bolt's auth.test at start-up when the bot's IDs are known. */
  botIdentity?: { botId: string; botUserId: string };
  /** The workspace and app served, from auth.test at start-up: a request for any other is refused. */
  workspace?: Workspace;
  /** How long a request may take to arrive over HTTP; tests shorten it. */
  httpLimits?: HttpLimits;
  now?: () => number;
  /** The phone directory, when one is kept (SIP_RESET_DIRECTORY_REFRESH_MINUTES above 0). */
  phoneDirectory?: PhoneDirectory;
}

/** Bounds on a client of the HTTP server, so slow or many clients cannot hold it. */
export interface HttpLimits {
  /** The request line and headers must arrive within this (node's `headersTimeout`). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (node's `requestTimeout`). */
  requestTimeoutMs: number;
  /** How often node looks for requests past those bounds (its `connectionsCheckingInterval`). */
  checkEveryMs: number;
  /** Connections held at once; more are closed as they arrive (node's `maxConnections`). */
  maxConnections: number;
}

export const HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  checkEveryMs: 1_000,
  maxConnections: 500,
};

export interface SipResetApp {
  app: App;
  deps: ListenerDeps;
  /**
   * What GET /readyz cannot find out by itself. `slackToken` is set once Slack has accepted the bot
   * token at start-up; start() sets it after its own check.
   */
  readiness: { slackToken: boolean };
  /** Starts serving (HTTP on config.port, or Socket Mode) and the periodic sweep. */
  start(): Promise<void>;
  /** The port the HTTP server (Slack's events in HTTP mode, the operators' routes) listens on, once started (config.port may be 0). */
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
/** As long as the store waits for a lock by default: beyond it, "try again" helps more than waiting. */
const ANSWER_READ_LIMIT_MS = 5_000;
const SLACK_ENDPOINT = '/slack/events';

export function createApp(deps: AppDeps): SipResetApp {
  const { config, logger, service, directory, client, metrics } = deps;
  let phase: Phase = 'starting';
  const readiness = { slackToken: false };
  const boltLogger = new BoltLoggerAdapter(logger);
  const opsRoutes = [
    healthRoute(() => phase),
    readyRoute({
      phase: () => phase,
      database: deps.database,
      slackToken: () => readiness.slackToken,
      vendorConfigured: () => config.itnio.apps.length > 0 && config.itnio.apiKey.length > 0,
    }),
    metricsRoute(metrics, config.metricsToken),
  ];
  const limits = deps.httpLimits ?? HTTP_LIMITS;
  // In Socket Mode, Slack's traffic comes over a WebSocket; the operators' routes get a server of their own.
  const opsServer = config.slack.appToken
    ? new OpsServer(opsRoutes, {
        serverOptions: serverOptionsOf(limits),
        maxConnections: limits.maxConnections,
      })
    : undefined;

  const receiver: Receiver = config.slack.appToken
    ? new SocketModeReceiver({
        appToken: config.slack.appToken,
        logger: boltLogger,
        // The Socket Mode client's own Web API client calls apps.connections.open: without this it
        // asks slack.com whatever SLACK_API_URL says.
        installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl } },
      })
    : httpReceiver();

  function httpReceiver(): HTTPReceiver {
    const http = new HTTPReceiver({
      signingSecret: config.slack.signingSecret,
      endpoints: SLACK_ENDPOINT,
      logger: boltLogger,
      customRoutes: customRoutes(opsRoutes),
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
    clientOptions: slackClientOptions(config.slack, (...call) => metrics.slackCall(...call)),
    // The error handler gets the request's body: enough to tell the person something failed.
    extendedErrorHandler: true,
    // Bolt's conversation store is a global middleware run for every request; nothing here reads it.
    convoStore: false,
    ...(deps.botIdentity ?? {}),
  });

  const t = messagesFor(config.defaultLocale);
  const locales = new SlackLocales(client, logger, deps.now ?? Date.now);
  const textsFor = async (userId: string) =>
    messagesFor(localeOf(await locales.of(userId)) ?? config.defaultLocale);
  const appLabel = (appId: string) => config.itnio.apps.find((a) => a.appId === appId)?.label ?? appId;
  const delivery = new PrivateDelivery(
    client,
    logger,
    config.slack.timeoutMs,
    responseUrlOrigins(config.slack.apiUrl),
    (route) => (route === 'failed' ? metrics.deliveryFailed() : metrics.delivered(route)),
  );
  const home = new AppHome(client, service, {
    textsFor,
    logger,
    directory,
    policy: config.policy,
    appLabel,
    phoneDirectory: deps.phoneDirectory,
  });
  const listenerDeps: ListenerDeps = {
    config,
    service,
    messages: new RequestMessages(client, service, {
      t,
      textsFor,
      logger,
      policy: config.policy,
      approvalChannel: config.approvalChannel,
      grantTtlMinutes: config.grantTtlMinutes,
      appLabel,
      home,
      phoneDirectory: deps.phoneDirectory,
    }),
    home,
    delivery,
    notices: new Notices(client, delivery, logger),
    directory,
    phoneDirectory: deps.phoneDirectory,
    logger,
    t,
    textsFor,
    appLabel,
    subject: (request) => mrkdwnSubject(request, appLabel(request.appId)),
    auditChannel: deps.auditChannel,
    answerReadLimitMs: deps.answerReadLimitMs ?? ANSWER_READ_LIMIT_MS,
  };

  // Every receiver hands each request to processEvent with its ack: the one place to time acks.
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    // Both receivers hand every request here, before Bolt reads it: one for another install of an
    // app that shares the signing secret is acknowledged with nothing, and nothing is done.
    const foreign = deps.workspace && foreignTo(deps.workspace, event.body);
    if (foreign) {
      logger.warn('refused a request for another workspace or app', {
        kind: requestKindOf(event.body),
        names: foreign,
      });
      await event.ack();
      return;
    }
    const received = performance.now();
    const kind = ackKindOf(event.body);
    let acked = false;
    const timed: ReceiverEvent = {
      ...event,
      ack: (response) => {
        acked = true;
        metrics.ack(kind, (performance.now() - received) / 1000);
        return event.ack(response);
      },
    };
    if (kind !== 'suggestion') return processEvent(timed);
    try {
      await processEvent(timed);
    } catch (error) {
      // A suggestion Bolt could not read (over Socket Mode, where no screen stands before it): no
      // options, at once, rather than none after Slack's 3 s.
      logger.warn('answered a suggestion Bolt could not read with no options', {
        error: (error as Error).message,
      });
      if (!acked) await timed.ack({ options: [] });
    }
  };

  const inFlight = new WorkInFlight();
  // Global middleware sees every request before its listener and settles only after it.
  app.use(async (args) => {
    const refuse = async () => {
      const userId = privateTargetOf(args.body)?.userId;
      const tell = async (text: string) => {
        if (userId) await listenerDeps.notices.tell(userId, text);
      };
      await refuseWhileStopping(args, userId ? await textsFor(userId) : t, tell);
    };
    await inFlight.track(phase === 'stopping' ? refuse() : args.next());
  });
  commands.register(app, listenerDeps);
  shortcuts.register(app, listenerDeps);
  views.register(app, listenerDeps);
  actions.register(app, listenerDeps);
  events.register(app, listenerDeps);
  options.register(app, listenerDeps);
  // Bolt's index does not export the extended handler's argument type; its parameter is that type.
  app.error(async ({ error, body }: Parameters<ExtendedErrorHandler>[0]) => {
    logger.error('unhandled error in a listener', { error: slackError(error) });
    const target = privateTargetOf(body);
    // A thrown listener has done nothing past its last stored step, and never a reset it did not report.
    if (target) await listenerDeps.notices.tell(target, (await textsFor(target.userId)).unexpectedError);
  });

  let timer: NodeJS.Timeout | undefined;
  let server: Server | undefined;
  let stopping: Promise<void> | undefined;
  const sweepOnce = () =>
    inFlight.track(
      sweep(listenerDeps).then(
        ({ expired, recovered }) => metrics.swept(expired, recovered),
        (error: unknown) => {
          logger.error('sweep failed', { error: (error as Error).message });
        },
      ),
    );

  return {
    app,
    deps: listenerDeps,
    readiness,
    sweep: sweepOnce,
    async start() {
      // The audit chain's head as this process found it, before its first sweep appends anything: a
      // checkpoint for log shipping, which a database admin rewriting the trail while the app was
      // down cannot take back.
      try {
        const head = await service.auditCheckpoint();
        logger.info('audit chain head', { audit: head, checkpoint: checkpointText(head) });
      } catch (error) {
        logger.warn('could not read the audit chain head', { error: (error as Error).message });
      }
      await sweepOnce();
      await opsServer?.listen(config.port, config.host);
      const listen = config.host ? { port: config.port, host: config.host } : config.port;
      const started = await (opsServer ? app.start(listen) : app.start(listen, serverOptionsOf(limits)));
      if (started instanceof Server) {
        server = started;
        server.maxConnections = limits.maxConnections;
      }
      // Started only once Slack accepted the token: main.ts asks auth.test before it builds the app.
      readiness.slackToken = true;
      phase = 'serving';
      timer = setInterval(() => void sweepOnce(), SWEEP_INTERVAL_MS);
      timer.unref();
      // One line that says what runs, for the admin reading the log of a (re)start; never a credential.
      logger.info('sip-reset is running', {
        version: VERSION,
        mode: config.slack.appToken ? 'socket' : 'http',
        port: server ? this.port() : config.port,
        store: storeKind(config.databaseUrl),
        apps: config.itnio.apps.map((a) => a.label),
        approvals: config.approvalChannel ? 'on' : 'off',
        helpdeskEntries: config.policy.helpdesk.length,
        approverEntries: config.policy.approvers.length,
      });
    },
    port() {
      if (opsServer) return opsServer.port();
      const address = server?.address();
      return typeof address === 'object' && address ? address.port : undefined;
    },
    stop() {
      stopping ??= (async () => {
        phase = 'stopping';
        if (timer) clearInterval(timer);
        await inFlight.drained();
        await deps.auditChannel?.settled();
        await app.stop();
        await opsServer?.close();
      })();
      return stopping;
    },
    inFlight: () => inFlight.size,
  };
}

/**
 * Node's own bounds, passed through Bolt's public `start(port, serverOptions)`: a client whose
 * headers or whole request take longer is answered 408 and cut, so slow clients cannot pile up
 * (node's defaults are 60 s and 300 s, checked every 30 s).
 */
export function serverOptionsOf(limits: HttpLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.checkEveryMs,
  };
}

function ackKindOf(body: ReceiverEvent['body']): AckKind {
  if (typeof body.command === 'string') return 'command';
  if (body.type === 'block_actions') return 'click';
  if (body.type === 'view_submission') return 'submission';
  if (body.type === 'block_suggestion') return 'suggestion';
  return 'other';
}
