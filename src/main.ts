import 'dotenv/config';
import { ConfigError, dotenvFileText, loadConfig, secretsOf, type Config } from './config.js';
import { createLogger, passwordExposureMs, Redactor } from './logging.js';
import type { Logger } from './domain/logger.js';
import { compose, itnioClient } from './composition.js';
import {
  checkApprovalChannel,
  checkAuditChannel,
  SlackTokenRejected,
  verifySlackToken,
} from './slack/startup-checks.js';
import { slackWebClient } from './slack/web-api-client.js';
import { describeStoreError } from './store/database-url.js';
import { SqlStore } from './store/sql-store.js';
import { handleStrayErrors } from './stray-errors.js';

/** Ends the process: at once until the app runs, then by a graceful, bounded stop. */
type End = (reason: string, code: number) => void;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, undefined, dotenvFileText(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const redactor = new Redactor(secretsOf(config), {
    rememberForMs: passwordExposureMs(),
    slackApiUrl: config.slack.apiUrl,
  });
  const logger = createLogger({ level: config.logLevel, redactor });
  for (const warning of [...config.ineffective, ...config.warnings]) logger.warn(warning);
  let end: End = (_reason, code) => process.exit(code);
  handleStrayErrors(process, logger, () => end('an uncaught exception', 1));
  try {
    end = await run(config, redactor, logger);
  } catch (error) {
    // One line that says what to fix: a rejected token, an unusable database, or else the error.
    if (error instanceof SlackTokenRejected) logger.error(error.message);
    else {
      const store = describeStoreError(error, config.databaseUrl);
      if (store) logger.error(store);
      else logger.error('sip-reset failed to start', { error });
    }
    process.exit(1);
  }
  // `on`, not `once`: a second signal (npm, systemd and Docker all deliver one to the whole
  // process group) must not kill a stop that is waiting for a reset in flight.
  process.on('SIGTERM', () => end('SIGTERM', 0));
  process.on('SIGINT', () => end('SIGINT', 0));
}

async function run(config: Config, redactor: Redactor, logger: Logger): Promise<End> {
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

  let ending = false;
  return (reason, code) => {
    if (ending) {
      logger.info('already shutting down', { reason, inFlight: sipReset.inFlight() });
      return;
    }
    ending = true;
    logger.info('shutting down', { reason, inFlight: sipReset.inFlight() });
    // A reset still running past its longest legitimate time is stuck; the sweep at the next start
    // tells its requester the outcome is unknown.
    setTimeout(() => {
      logger.error('shutdown gave up waiting for work in flight', {
        waitedMs: config.shutdownTimeoutMs,
        inFlight: sipReset.inFlight(),
      });
      process.exit(1);
    }, config.shutdownTimeoutMs);
    sipReset
      .stop()
      .then(() => store.close())
      .then(
        () => {
          logger.info('sip-reset stopped', { reason });
          process.exit(code);
        },
        (error: unknown) => {
          logger.error('shutdown failed', { error });
          process.exit(1);
        },
      );
  };
}

main().catch((error: unknown) => {
  console.error(`sip-reset failed to start: ${(error as Error).message}`);
  process.exit(1);
});
