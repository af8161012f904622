/**
 * The app's logger: winston, with every field of every line passed through the Redactor, as JSON
 * lines or, at a terminal, lines for a person.
 */
import { inspect } from 'node:util';
import winston from 'winston';
import type { LogLevel as Level } from '../domain/logger.js';
import type { Redactor } from './redactor.js';

/** A winston format that passes every field of every line through the redactor. */
const redaction = (redactor: Redactor) =>
  winston.format((info) => {
    for (const key of Object.keys(info)) {
      info[key] = redactor.redactField(key, info[key]);
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

/**
 * The app's logger: winston, every line redacted. It implements the one logger contract
 * (domain/logger.ts), which is all the rest of the app asks of it.
 */
export function createLogger(options: LoggerOptions): winston.Logger {
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
