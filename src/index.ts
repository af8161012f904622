import 'dotenv/config';
import { ConfigError, loadConfig, secretsOf, type Config } from './config.js';
import { createLogger, passwordExposureMs, Redactor, type Logger } from './logging.js';
import { createApp } from './slack/app.js';
import { SqlStore } from './store/sql-store.js';
import { ItnioClient } from './vendor/itnio-client.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const redactor = new Redactor(secretsOf(config), {
    rememberForMs: passwordExposureMs(config.passwordMessageTtlMinutes),
  });
  const logger = createLogger({ level: config.logLevel, redactor });
  try {
    await run(config, redactor, logger);
  } catch (error) {
    logger.error('sip-reset failed to start', { error });
    process.exit(1);
  }
}

async function run(config: Config, redactor: Redactor, logger: Logger): Promise<void> {
  const store = new SqlStore(config.databaseUrl, { logger });
  await store.migrate();
  const vendor = new ItnioClient({
    apiKey: config.itnio.apiKey,
    apiSecret: config.itnio.apiSecret,
    baseUrl: config.itnio.baseUrl,
    appIds: config.itnio.apps.map((app) => app.appId),
    timeoutMs: config.itnio.timeoutMs,
    logger,
    onPassword: (password) => redactor.remember(password),
  });
  const sipReset = createApp({ config, logger, store, vendor });
  await sipReset.start();

  const shutdown = async (signal: string) => {
    logger.info('shutting down', { signal });
    await sipReset.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`sip-reset failed to start: ${(error as Error).message}`);
  process.exit(1);
});
