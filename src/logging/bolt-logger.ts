/**
 * Bolt's Logger over the app's, so what Bolt and its WebClient log passes the same redaction and
 * obeys LOG_LEVEL alone.
 */
import { format as formatMessage } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger, LogLevel as Level } from '../domain/logger.js';

const BOLT_TO_WINSTON: Record<LogLevel, Level> = {
  [LogLevel.ERROR]: 'error',
  [LogLevel.WARN]: 'warn',
  [LogLevel.INFO]: 'info',
  [LogLevel.DEBUG]: 'debug',
};

/**
 * Bolt's Logger interface over winston, so Bolt's and its WebClient's lines pass the same redaction.
 * Bolt logs several arguments at once; they are joined as console.log would join them.
 */
export class BoltLoggerAdapter implements BoltLogger {
  private name = 'bolt';
  /** The levels let through, worked out again only when the logger's level changes. */
  private enabled: { for: string; levels: ReadonlySet<Level> } = { for: '', levels: new Set() };

  constructor(private readonly logger: Logger) {}

  private write(level: Level, msgs: unknown[]): void {
    // Bolt and its WebClient log at debug several times on every request: formatting what is
    // dropped cost more than the rest of a command's handling beyond Bolt's own, and winston's
    // isLevelEnabled() itself allocates at each call (bench/).
    if (this.enabled.for !== this.logger.level) {
      const levels = Object.values(BOLT_TO_WINSTON).filter((l) => this.logger.isLevelEnabled(l));
      this.enabled = { for: this.logger.level, levels: new Set(levels) };
    }
    if (!this.enabled.levels.has(level)) return;
    this.logger[level](formatMessage(...msgs), { component: this.name });
  }

  debug(...msgs: unknown[]): void {
    this.write('debug', msgs);
  }
  info(...msgs: unknown[]): void {
    this.write('info', msgs);
  }
  warn(...msgs: unknown[]): void {
    this.write('warn', msgs);
  }
  error(...msgs: unknown[]): void {
    this.write('error', msgs);
  }
  /**
   * Bolt, its receivers and its WebClient each set a level of their own (INFO unless told), which
   * would change the shared logger: LOG_LEVEL rules every line, so their wish changes nothing.
   */
  setLevel(_level: LogLevel): void {}
  getLevel(): LogLevel {
    const entry = Object.entries(BOLT_TO_WINSTON).find(([, level]) => level === this.logger.level);
    return (entry?.[0] as LogLevel | undefined) ?? LogLevel.INFO;
  }
  setName(name: string): void {
    this.name = name;
  }
}
