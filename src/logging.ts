import { format as formatMessage, inspect } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import winston from 'winston';

export type Level = 'error' | 'warn' | 'info' | 'debug';
export type Logger = winston.Logger;

const REDACTED = '[REDACTED]';

/** Keys whose values are secret whatever they hold. */
const SECRET_KEY =
  /pass(word|wd)?$|secret|token|^sign$|signature|authori[sz]ation|cookie|api[-_]?key|response_?url|private_metadata/i;

/**
 * Secret by their shape wherever they appear, configured or not: Slack tokens, and Slack's
 * response and webhook URLs (each lets its holder post as the app for a while).
 */
const SECRET_SHAPES = [
  /\bxox[a-z]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /https:\/\/hooks\.slack\.com\/[^\s"'<>]+/g,
];

/** The shortest value redacted by value: shorter ones would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;
/** How many vendor-issued passwords are remembered for redaction, newest kept. */
const MAX_REMEMBERED = 1000;

/**
 * Removes secrets from anything about to be logged: values under secret-sounding keys, and every
 * occurrence of a known secret value (configured credentials, passwords the vendor returned)
 * inside any string, error message or stack.
 */
export class Redactor {
  private readonly fixed: string[];
  private readonly remembered = new Set<string>();

  constructor(secrets: readonly string[] = []) {
    this.fixed = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
  }

  /** Remembers a value issued at run time (a new password) so no later line can carry it. */
  remember(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    this.remembered.delete(value);
    this.remembered.add(value);
    if (this.remembered.size > MAX_REMEMBERED) {
      const oldest = this.remembered.values().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
  }

  redactString(text: string): string {
    let out = SECRET_SHAPES.reduce((acc, shape) => acc.replace(shape, REDACTED), text);
    for (const secret of [...this.fixed, ...this.remembered]) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  redact(value: unknown, seen = new WeakSet<object>()): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    if (value instanceof Error) {
      const plain: Record<string, unknown> = { name: value.name, message: value.message, stack: value.stack };
      for (const [key, inner] of Object.entries(value)) plain[key] = inner;
      return this.redact(plain, seen);
    }
    if (Array.isArray(value)) return value.map((item) => this.redact(item, seen));
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : this.redact(inner, seen);
    }
    return out;
  }
}

/** A winston format that passes every field of every line through the redactor. */
const redaction = (redactor: Redactor) =>
  winston.format((info) => {
    for (const key of Object.keys(info)) {
      info[key] = SECRET_KEY.test(key) ? REDACTED : redactor.redact(info[key]);
    }
    return info;
  })();

export interface LoggerOptions {
  level: Level;
  redactor: Redactor;
  /** Readable lines for a person at a terminal; JSON lines otherwise. Defaults to stdout being a TTY. */
  pretty?: boolean;
  /** Where lines go; defaults to the console. Tests pass a stream to read what was logged. */
  stream?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  const output = pretty
    ? winston.format.combine(
        winston.format.colorize(),
        winston.format.printf((info) => {
          // Only the string keys: winston's own symbols (level, splat) are not for a person to read.
          const { level, message, timestamp, ...rest } = Object.fromEntries(Object.entries(info));
          const extra = Object.keys(rest).length > 0 ? ` ${inspect(rest, { breakLength: Infinity })}` : '';
          return `${String(timestamp)} ${String(level)} ${String(message)}${extra}`;
        }),
      )
    : winston.format.json();
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console({ stderrLevels: ['error', 'warn'] });
  return winston.createLogger({
    level: options.level,
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      redaction(options.redactor),
      winston.format.timestamp(),
      output,
    ),
    transports: [transport],
  });
}

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

  constructor(private readonly logger: Logger) {}

  private write(level: Level, msgs: unknown[]): void {
    this.logger.log(level, formatMessage(...msgs), { component: this.name });
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
