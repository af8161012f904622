import 'dotenv/config';
import { ConfigError, dotenvFileText, loadConfig, secretsOf, type Config } from './config/index.js';
import { startFailure, startSipReset, type RunningApp } from './composition/production.js';
import type { Logger } from './domain/logger.js';
import { createLogger, passwordExposureMs, Redactor } from './logging/index.js';
import { handleStrayErrors } from './stray-errors.js';
import { errorMessage } from './domain/errors.js';

/** Ends the process: at once until the app runs, then by a graceful, bounded stop. */
type End = (reason: string, code: number) => void;

/** The process: its configuration and logger, the app started, and the signals that stop it. */
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
    end = boundedStop(await startSipReset(config, { logger, redactor }), config, logger);
  } catch (error) {
    // One line that says what to fix: a rejected token, an unusable database, or else the error.
    const failure = startFailure(error, config);
    if (failure) logger.error(failure);
    else logger.error('sip-reset failed to start', { error });
    process.exit(1);
  }
  // `on`, not `once`: a second signal (npm, systemd and Docker all deliver one to the whole
  // process group) must not kill a stop that is waiting for a reset in flight.
  process.on('SIGTERM', () => end('SIGTERM', 0));
  process.on('SIGINT', () => end('SIGINT', 0));
}

/** A graceful stop, once, given SIP_RESET_SHUTDOWN_TIMEOUT_MS at most before the process ends anyway. */
function boundedStop(sipReset: RunningApp, config: Config, logger: Logger): End {
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
    sipReset.stop().then(
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
  console.error(`sip-reset failed to start: ${errorMessage(error)}`);
  process.exit(1);
});
