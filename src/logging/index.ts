/**
 * Logging's one public entry: the winston logger, the Redactor it passes every line through, and
 * Bolt's logger over it.
 */
export { BoltLoggerAdapter } from './bolt-logger.js';
export { createLogger, type LoggerOptions } from './logger.js';
export { passwordExposureMs, Redactor, type RedactorOptions } from './redactor.js';
