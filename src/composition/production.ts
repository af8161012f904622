import type { Config } from '../config/index.js';
import { ItnioClient } from '../itnio/index.js';
import type { Logger } from '../domain/logger.js';
import type { Redactor } from '../logging/index.js';
import {
  checkApprovalChannel,
  checkAuditChannel,
  SlackTokenRejected,
  verifySlackToken,
} from '../slack/platform/startup-checks.js';
import { slackWebClient } from '../slack/platform/web-api-client.js';
import { describeStoreError } from '../store/database-url.js';
import { SqlStore } from '../store/sql-store.js';
import { compose } from './index.js';

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

/** The app as main.ts runs it: what a graceful stop needs of it. */
export interface RunningApp {
  /** How many requests and sweeps are running. */
  inFlight(): number;
  /** Stops the app gracefully, then closes its database. */
  stop(): Promise<void>;
}

/**
 * The production edges, then the app over them, started: the database (migrated), the ITNIO
 * client (each new password handed to the redactor), and Slack's answer to auth.test, which names
 * the bot and the one workspace served, after the approval and audit channels are checked.
 */
export async function startSipReset(
  config: Config,
  { logger, redactor }: { logger: Logger; redactor: Redactor },
): Promise<RunningApp> {
  const store = new SqlStore(config.databaseUrl, { logger });
  await store.migrate();
  const vendor = itnioClient(config, { logger, onPassword: (password) => redactor.remember(password) });
  // For the start-up checks only; the app's own client, with its metrics, is built by compose().
  const slackClient = slackWebClient(config.slack, logger);
  const owner = await verifySlackToken(slackClient, config.slack, logger);
  await checkApprovalChannel(slackClient, config, logger);
  await checkAuditChannel(slackClient, config, logger);
  const sipReset = compose(config, {
    logger,
    store,
    slackStore: store.slackStore(),
    vendor,
    botIdentity: { botId: owner.botId, botUserId: owner.botUserId },
    workspace: {
      teamId: owner.teamId,
      enterpriseId: owner.enterpriseId,
      enterpriseInstall: owner.enterpriseInstall,
      appId: owner.appId,
    },
    directory: { store: store.phoneDirectory(), vendor },
  });
  await sipReset.start();
  return {
    inFlight: () => sipReset.inFlight(),
    async stop() {
      await sipReset.stop();
      await store.close();
    },
  };
}

/**
 * One line that says what to fix when the app could not start: a rejected token, an unusable
 * database; undefined for any other error.
 */
export function startFailure(error: unknown, config: Config): string | undefined {
  if (error instanceof SlackTokenRejected) return error.message;
  return describeStoreError(error, config.databaseUrl);
}
