import { format as formatMessage, inspect } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import winston from 'winston';
import type { Logger, LogLevel as Level } from './domain/logger.js';

const REDACTED = '[REDACTED]';

/** Keys whose values are secret whatever they hold. */
const SECRET_KEY =
  /pass(word|wd)?$|secret|token|^sign$|signature|authori[sz]ation|cookie|api[-_]?key|response_?url|private_metadata/i;

/** Slack tokens: secret by their shape wherever they appear, configured or not. */
const TOKEN_SHAPES = [/\bxox[a-z]-[A-Za-z0-9-]+/, /\bxapp-[A-Za-z0-9-]+/];

/** Slack's hooks hosts, commercial and GovSlack: a response URL's host whatever SLACK_API_URL says. */
const SLACK_HOOKS_HOSTS = ['hooks.slack.com', 'hooks.slack-gov.com'];

/**
 * The first path segment of Slack's response URLs (`/commands/…` from a slash command, `/actions/…`
 * from a click, `/app/…` from a shortcut or a modal) and of its other URLs that let their holder
 * post (`/services/…` incoming webhooks, `/triggers/…` and `/workflows/…` of Workflow Builder).
 */
const HOOK_PATHS = ['commands', 'actions', 'app', 'services', 'triggers', 'workflows'];

/** A pattern matching the text in either case (Node 20 has no inline `(?i:…)`). */
function caseless(text: string): string {
  return [...text]
    .map((c) =>
      /[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'),
    )
    .join('');
}

/** `/` as a URL is written in a log line: plain, JSON-escaped (any depth), `\u002f`, percent-encoded once or twice. */
const SLASH = String.raw`(?:\\*/|\\+u002[fF]|(?:%5[cC])*%2[fF]|(?:%255[cC])*%252[fF])`;
const COLON = String.raw`(?::|%3[aA]|%253[aA])`;

/**
 * A response URL (or webhook) on one of these hosts, as it appears in a log line: in either case,
 * with or without a port, its slashes and colons escaped or encoded as a JSON body, a form or a
 * query string writes them; up to the end of its path.
 */
function hookUrlShape(hosts: readonly string[]): RegExp {
  const host = [...new Set(hosts.map((h) => h.toLowerCase()))].map(caseless).join('|');
  const path = HOOK_PATHS.map(caseless).join('|');
  return new RegExp(
    `${caseless('http')}[sS]?${COLON}${SLASH}${SLASH}(?:${host})(?:${COLON}\\d{1,5})?` +
      `${SLASH}(?:${path})${SLASH}(?:${SLASH}|[A-Za-z0-9_.~-])+`,
  );
}

/** The hooks host of a Web API URL: `https://slack.com/api/` gives `hooks.slack.com`. */
function hooksHostOf(slackApiUrl: string): string {
  return `hooks.${new URL(slackApiUrl).hostname}`;
}

/** The shortest value redacted by value: shorter ones would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;
/** A backstop on how many issued passwords are held at once, newest kept, whatever the clock says. */
const MAX_REMEMBERED = 1000;

/**
 * How long an issued password can still turn up in a log line, so how long it is remembered. Its
 * delivery is over within seconds (three routes at most, each time-boxed by SLACK_TIMEOUT_MS, never
 * retried), but the message stays on the person's screen with a Remove button, and a click's
 * payload may carry the clicked message back (Bolt logs request bodies at debug): half an hour
 * covers a person who copies the password and removes it, five minutes more a slow clock.
 */
export function passwordExposureMs(): number {
  return 35 * 60_000;
}

const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1);
const formEncoded = (text: string) => new URLSearchParams({ v: text }).toString().slice(2);
const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
/** JSON as other serializers write it: `\/` for a slash (PHP, Slack's API), `\u003c` for <, >, & (Go). */
const otherJson = (text: string) => [
  text.replace(/\//g, '\\/'),
  text.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
];

/**
 * Every form a secret can take in a log line: as it is; JSON-escaped once (a body) or twice (a body
 * logged as a JSON string); percent- or form-encoded, either of those (Slack's `payload=` bodies are
 * form-encoded JSON), with either case of hex; HTML-escaped as Slack's mrkdwn is; in base64; its
 * bytes in hex of either case (as a vendor's answer may echo a secret). A
 * base64 form is also kept without its last, partial character, which depends on what follows it.
 */
function formsOf(secret: string): string[] {
  const forms = new Set([secret]);
  const grow = (derive: (form: string) => string | string[]) => {
    for (const form of [...forms]) for (const derived of [derive(form)].flat()) forms.add(derived);
  };
  grow(jsonEscaped);
  grow(jsonEscaped);
  grow(otherJson);
  grow((form) => [encodeURIComponent(form), formEncoded(form)]);
  grow(lowerHex);
  forms.add(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  const bytes = Buffer.from(secret);
  const hex = bytes.toString('hex');
  forms.add(hex).add(hex.toUpperCase());
  for (const encoding of ['base64', 'base64url'] as const) {
    const encoded = bytes.toString(encoding).replace(/=+$/, '');
    forms.add(encoded).add(encoded.slice(0, Math.floor((bytes.length * 8) / 6)));
  }
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

const PREFIX_BUCKETS = 1 << 16;

/** A hash of the MIN_SECRET_LENGTH characters at a position, in [0, PREFIX_BUCKETS). */
function prefixHash(text: string, position: number): number {
  let hash = 0;
  for (let i = position; i < position + MIN_SECRET_LENGTH; i++)
    hash = Math.imul(hash, 31) + text.charCodeAt(i);
  return (hash ^ (hash >>> 16)) & (PREFIX_BUCKETS - 1);
}

/**
 * Secret by their shape wherever they appear, in one pattern, first at a position winning: Slack
 * tokens, and Slack's response and webhook URLs (each lets its holder post as the app for a while)
 * on Slack's hooks hosts and on the configured Web API's.
 */
function secretShapes(slackApiUrl: string | undefined): RegExp {
  const hosts = [...SLACK_HOOKS_HOSTS, ...(slackApiUrl ? [hooksHostOf(slackApiUrl)] : [])];
  return new RegExp([...TOKEN_SHAPES, hookUrlShape(hosts)].map((shape) => shape.source).join('|'), 'g');
}

/**
 * Every form of every known secret, indexed by its first MIN_SECRET_LENGTH characters, longest
 * first, counted (two secrets may share a form). A line is scanned once, each position looked up,
 * so its cost does not grow with the number of passwords remembered; added and removed one secret
 * at a time, never rebuilt.
 */
class FormIndex {
  private readonly byPrefix = new Map<string, string[]>();
  private readonly counts = new Map<string, number>();
  /**
   * How many known prefixes hash to each bucket: most positions of a line are ruled out by one
   * look-up here, without a substring made and looked up in the map (a quarter of a log line's cost).
   */
  private readonly buckets = new Uint16Array(PREFIX_BUCKETS);

  get empty(): boolean {
    return this.counts.size === 0;
  }

  add(forms: readonly string[]): void {
    for (const form of forms) {
      const count = this.counts.get(form) ?? 0;
      this.counts.set(form, count + 1);
      if (count > 0) continue;
      const prefix = form.slice(0, MIN_SECRET_LENGTH);
      const known = this.byPrefix.get(prefix);
      if (!known) this.count(form, 1);
      const bucket = [...(known ?? []), form];
      this.byPrefix.set(
        prefix,
        bucket.sort((a, b) => b.length - a.length),
      );
    }
  }

  remove(forms: readonly string[]): void {
    for (const form of forms) {
      const count = this.counts.get(form) ?? 0;
      if (count > 1) {
        this.counts.set(form, count - 1);
        continue;
      }
      this.counts.delete(form);
      const prefix = form.slice(0, MIN_SECRET_LENGTH);
      const rest = (this.byPrefix.get(prefix) ?? []).filter((known) => known !== form);
      if (rest.length > 0) this.byPrefix.set(prefix, rest);
      else if (this.byPrefix.delete(prefix)) this.count(form, -1);
    }
  }

  private count(form: string, change: 1 | -1): void {
    const bucket = prefixHash(form, 0);
    this.buckets[bucket] = (this.buckets[bucket] ?? 0) + change;
  }

  /** The longest form that starts at this position of the text. */
  at(text: string, position: number): string | undefined {
    if (this.buckets[prefixHash(text, position)] === 0) return undefined;
    return this.byPrefix
      .get(text.slice(position, position + MIN_SECRET_LENGTH))
      ?.find((form) => text.startsWith(form, position));
  }
}

export interface RedactorOptions {
  /** How long an issued password is remembered; defaults to passwordExposureMs(). */
  rememberForMs?: number;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** SLACK_API_URL: response URLs on its hooks host are redacted too (Slack's own always are). */
  slackApiUrl?: string;
}

/**
 * Removes secrets from anything about to be logged: values under secret-sounding keys, and every
 * occurrence of a known secret value (configured credentials, passwords the vendor returned), in
 * any of the forms it takes when escaped or encoded, inside any string, error message or stack.
 */
export class Redactor {
  private readonly fixed = new Set<string>();
  /** Each issued password with the time it is forgotten and its forms, oldest first. */
  private readonly issued = new Map<string, { until: number; forms: string[] }>();
  private readonly rememberForMs: number;
  private readonly now: () => number;
  private readonly forms = new FormIndex();
  /** Every shape in one pattern, its lastIndex set before each use. */
  private readonly shapes: RegExp;

  constructor(secrets: readonly string[] = [], options: RedactorOptions = {}) {
    this.shapes = secretShapes(options.slackApiUrl);
    for (const secret of secrets) this.keepSecret(secret);
    this.rememberForMs = options.rememberForMs ?? passwordExposureMs();
    this.now = options.now ?? Date.now;
  }

  /** Adds a configured secret, redacted for the life of the process. */
  keepSecret(value: string): void {
    if (value.length < MIN_SECRET_LENGTH || this.fixed.has(value)) return;
    this.fixed.add(value);
    this.forms.add(formsOf(value));
  }

  /** Remembers a value issued at run time (a new password) for as long as a line could carry it. */
  remember(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    this.forgetExpired();
    this.forget(value);
    const forms = formsOf(value);
    this.issued.set(value, { until: this.now() + this.rememberForMs, forms });
    this.forms.add(forms);
    if (this.issued.size > MAX_REMEMBERED) {
      const oldest = this.issued.keys().next().value;
      if (oldest !== undefined) this.forget(oldest);
    }
  }

  /** How many issued passwords are held now. */
  get remembered(): number {
    this.forgetExpired();
    return this.issued.size;
  }

  private forget(value: string): void {
    const known = this.issued.get(value);
    if (!known) return;
    this.issued.delete(value);
    this.forms.remove(known.forms);
  }

  /** Every password is kept equally long, so the first one still due to be kept ends the sweep. */
  private forgetExpired(): void {
    const now = this.now();
    for (const [value, { until }] of this.issued) {
      if (until > now) break;
      this.forget(value);
    }
  }

  /**
   * One pass over the text, as one alternation of the shapes and then every form, longest first,
   * would make it: at each position the first that matches is replaced, and the scan goes on after
   * it, so a replacement is never matched again and no leftover of one form can join its
   * neighbours into another.
   */
  redactString(text: string): string {
    this.forgetExpired();
    if (this.forms.empty) return text.replace(this.shapes, REDACTED);
    // The one pattern, its lastIndex set before each use: this scan is synchronous, so nothing else
    // uses it meanwhile, and it costs no RegExp made per string.
    const shapes = this.shapes;
    shapes.lastIndex = 0;
    let shape = shapes.exec(text);
    let redacted = '';
    let copied = 0;
    for (let position = 0; position <= text.length - MIN_SECRET_LENGTH;) {
      if (shape && shape.index < position) {
        shapes.lastIndex = position;
        shape = shapes.exec(text);
      }
      const match = shape?.index === position ? shape[0] : this.forms.at(text, position);
      if (match === undefined) {
        position += 1;
        continue;
      }
      redacted += text.slice(copied, position) + REDACTED;
      position += match.length;
      copied = position;
    }
    return copied === 0 ? text : redacted + text.slice(copied);
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
