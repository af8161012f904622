import {
  App,
  HTTPReceiver,
  SocketModeReceiver,
  type AnyMiddlewareArgs,
  type CodedError,
  type CustomRoute,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import type { Config } from '../config/index.js';
import type { Logger } from '../domain/logger.js';
import { BoltLoggerAdapter } from '../logging/index.js';
import type { AckKind, Metrics } from '../ops/metrics.js';
import { registerListeners } from './listeners/index.js';
import { refuseWhileStopping } from './platform/draining.js';
import type { SlackServices } from './services.js';
import { privateTargetOf } from './platform/private-target.js';
import { screenSlackRequests } from './platform/request-guard.js';
import { slackClientOptions } from './platform/web-api-client.js';
import { slackError } from './platform/web-api-errors.js';
import { foreignTo, requestKindOf, type Workspace } from './platform/workspace.js';

/** What the Slack app is given, built once in the composition root (src/composition/). */
export interface SlackAppOptions {
  config: Config;
  logger: Logger;
  /** What every listener is given. */
  services: SlackServices;
  metrics: Metrics;
  /** Whether the app is stopping, and the work a stop waits for (src/lifecycle.ts). */
  lifecycle: { readonly stopping: boolean; track<T>(work: Promise<T>): Promise<T> };
  /** The operators' routes, served by Bolt's HTTP receiver beside Slack's events (not in Socket Mode). */
  customRoutes: CustomRoute[];
  /** Hold each HTTP answer until its listener finishes: deterministic tests, not production. */
  processBeforeResponse?: boolean;
  /** Skips Bolt's auth.test at start-up when the bot's IDs are known. */
  botIdentity?: { botId: string; botUserId: string };
  /** The workspace and app served, from auth.test at start-up: a request for any other is refused. */
  workspace?: Workspace;
}

const SLACK_ENDPOINT = '/slack/events';

/** The Bolt app: its receiver, its global hooks, and each folder's listeners. */
export function createSlackApp(setup: SlackAppOptions): App {
  const { config, logger, services, metrics, lifecycle } = setup;
  const boltLogger = new BoltLoggerAdapter(logger);
  const app = new App({
    token: config.slack.botToken,
    receiver: receiverOf(setup, boltLogger),
    logger: boltLogger,
    clientOptions: slackClientOptions(config.slack, (...call) => metrics.slackCall(...call)),
    // The error handler gets the request's body: enough to tell the person something failed.
    extendedErrorHandler: true,
    // Bolt's conversation store is a global middleware run for every request; nothing here reads it.
    convoStore: false,
    ...(setup.botIdentity ?? {}),
  });
  screenAndTimeAcks(app, setup);

  // Global middleware sees every request before its listener and settles only after it.
  app.use(async (args) => {
    const refuse = async () => {
      const userId = privateTargetOf(args.body)?.userId;
      const tell = async (text: string) => {
        if (userId) await services.notices.tell(userId, text);
      };
      await refuseWhileStopping(args, userId ? await services.textsFor(userId) : services.t, tell);
    };
    await lifecycle.track(lifecycle.stopping ? refuse() : args.next());
  });
  registerListeners(app, services);
  // Bolt's extended handler's argument, named with Bolt's exported types.
  app.error(async ({ error, body }: { error: CodedError; body: AnyMiddlewareArgs['body'] }) => {
    logger.error('unhandled error in a listener', { error: slackError(error) });
    const target = privateTargetOf(body);
    // A thrown listener has done nothing past its last stored step, and never a reset it did not report.
    if (target) await services.notices.tell(target, (await services.textsFor(target.userId)).unexpectedError);
  });
  return app;
}

/** Socket Mode when SLACK_APP_TOKEN is set; else signed HTTP, screened before Bolt reads it. */
function receiverOf(setup: SlackAppOptions, logger: BoltLoggerAdapter): Receiver {
  const { slack } = setup.config;
  if (slack.appToken) {
    return new SocketModeReceiver({
      appToken: slack.appToken,
      logger,
      // The Socket Mode client's own Web API client calls apps.connections.open: without this it
      // asks slack.com whatever SLACK_API_URL says.
      installerOptions: { clientOptions: { slackApiUrl: slack.apiUrl } },
    });
  }
  const http = new HTTPReceiver({
    signingSecret: slack.signingSecret,
    endpoints: SLACK_ENDPOINT,
    logger,
    customRoutes: setup.customRoutes,
    processBeforeResponse: setup.processBeforeResponse ?? false,
  });
  screenSlackRequests(http, {
    endpoint: SLACK_ENDPOINT,
    signingSecret: slack.signingSecret,
    logger: setup.logger,
  });
  return http;
}

/**
 * Wraps `App.processEvent`, the public method every receiver hands each request to with its ack
 * (DESIGN.md): the one place to refuse another workspace's requests before Bolt reads them, and to
 * time every ack.
 */
function screenAndTimeAcks(app: App, { logger, metrics, workspace }: SlackAppOptions): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    // A request for another install of an app that shares the signing secret is acknowledged with
    // nothing, and nothing is done.
    const foreign = workspace && foreignTo(workspace, event.body);
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
        error: slackError(error),
      });
      if (!acked) await timed.ack({ options: [] });
    }
  };
}

function ackKindOf(body: ReceiverEvent['body']): AckKind {
  if (typeof body.command === 'string') return 'command';
  if (body.type === 'block_actions') return 'click';
  if (body.type === 'view_submission') return 'submission';
  if (body.type === 'block_suggestion') return 'suggestion';
  return 'other';
}
