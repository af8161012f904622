/** Facts beside a log line: never a secret (the logger redacts what slips through, but none should). */
export type LogMeta = Record<string, unknown>;

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * The app's one logger contract, for operators: what went wrong where nobody else will hear of it,
 * and what happened. src/logging/ implements it (winston, with redaction); the domain, the store, the
 * vendor's client and the Slack side each take the part of it they use (`Pick<Logger, 'warn'>`).
 */
export interface Logger {
  error(message: string, meta?: LogMeta): unknown;
  warn(message: string, meta?: LogMeta): unknown;
  info(message: string, meta?: LogMeta): unknown;
  debug(message: string, meta?: LogMeta): unknown;
  /** The lowest level written now: it may change while the app runs. */
  readonly level: string;
  /** Whether a line at `level` would be written: to skip building one that would be dropped. */
  isLevelEnabled(level: LogLevel): boolean;
}
