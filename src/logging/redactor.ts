/**
 * The Redactor: what must never reach a log line, removed from anything about to be logged (by key,
 * by value in any of its forms, by shape), and how long an issued password is remembered for it.
 */
import { formsOf, FormIndex, MIN_SECRET_LENGTH } from './secret-forms.js';
import { secretShapes } from './secret-shapes.js';

const REDACTED = '[REDACTED]';

/** Keys whose values are secret whatever they hold. */
const SECRET_KEY =
  /pass(word|wd)?$|secret|token|^sign$|signature|authori[sz]ation|cookie|api[-_]?key|response_?url|private_metadata/i;

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
    for (const [key, inner] of Object.entries(value)) out[key] = this.redactField(key, inner, seen);
    return out;
  }

  /** A field's value as it may be logged: hidden whole under a secret-sounding key, else redacted. */
  redactField(key: string, value: unknown, seen = new WeakSet<object>()): unknown {
    return SECRET_KEY.test(key) ? REDACTED : this.redact(value, seen);
  }
}
