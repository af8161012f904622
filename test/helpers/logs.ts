import { Writable } from 'node:stream';
import { createLogger, Redactor } from '../../src/logging/index.js';

export interface CapturedLogs {
  /** The app's logger itself (winston), which implements the logger contract. */
  logger: ReturnType<typeof createLogger>;
  redactor: Redactor;
  /** Every line written so far, parsed. */
  lines(): Array<Record<string, unknown>>;
  /** Every line written so far, raw, joined. */
  text(): string;
  clear(): void;
}

/** A real winston logger, with the real redaction, writing JSON lines into memory. */
export function captureLogger(secrets: string[] = [], redactor = new Redactor(secrets)): CapturedLogs {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', redactor, pretty: false, stream });
  return {
    logger,
    redactor,
    lines: () =>
      raw
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => raw.join(''),
    clear: () => raw.splice(0),
  };
}
