import fetch, { type Response } from 'node-fetch';
import { checkAccount } from '../domain/account.js';
import { VendorFailure, type VendorFailureCode, type VendorOutcome } from '../domain/errors.js';
import type { Logger } from '../domain/logger.js';
import type { SipResetRequest, SipResetResult, VendorClient } from '../domain/ports.js';
import type { Phone, PhoneLister, PhonePage } from '../domain/directory.js';
import { signRequest } from './signing.js';

interface KnownStatus {
  code: VendorFailureCode;
  outcome: VendorOutcome;
  message: string;
}

/**
 * Every status code the vendor documents, with a message for operators' logs; what a person reads is
 * the catalogue's text for its code (i18n/).
 */
export const VENDOR_STATUSES: Readonly<Record<string, KnownStatus>> = {
  '-1': {
    code: 'auth_failed',
    outcome: 'not_processed',
    message: 'ITNIO rejected the API credentials. An admin should check ITNIO_API_KEY and ITNIO_API_SECRET.',
  },
  '-2': {
    code: 'ip_restricted',
    outcome: 'not_processed',
    message: "ITNIO refused this server's IP address. An admin should allow it in the ITNIO console.",
  },
  '-13': {
    code: 'user_locked',
    outcome: 'not_processed',
    message: 'The ITNIO customer account is locked. An admin should contact ITNIO.',
  },
  '-15': {
    code: 'too_frequent',
    outcome: 'not_processed',
    message: 'ITNIO says there were too many requests. Wait a minute, then try again.',
  },
  '-16': {
    code: 'timestamp_expired',
    outcome: 'not_processed',
    message: "ITNIO rejected the request's timestamp. An admin should check this server's clock.",
  },
  '-18': {
    code: 'system_error',
    outcome: 'unknown',
    message: 'ITNIO reported a system error.',
  },
  '-22': {
    code: 'parameter_error',
    outcome: 'not_processed',
    message: 'ITNIO rejected the account or voice application as invalid.',
  },
  '-24': {
    code: 'account_not_found',
    outcome: 'not_processed',
    message: 'There is no such SIP account in that voice application. Check the account number.',
  },
  '-30': {
    code: 'api_key_disabled',
    outcome: 'not_processed',
    message: 'The ITNIO API key is disabled. An admin should enable it or configure a new one.',
  },
  '-31': {
    code: 'ip_not_whitelisted',
    outcome: 'not_processed',
    message: "This server's IP address is not on the ITNIO whitelist. An admin should add it.",
  },
  '-32': {
    code: 'no_app_permission',
    outcome: 'not_processed',
    message: 'The ITNIO API key has no permission for that voice application. An admin should grant it.',
  },
};

/** Said of a reset whose outcome is unknown; a query changes nothing, so it needs no such advice. */
const UNKNOWN_OUTCOME_ADVICE =
  ' The password may or may not have been reset. Check with the helpdesk before trying again.';

/** A failed reset at ITNIO: the domain's failure, with the vendor's own status and reason. */
export class ItnioError extends VendorFailure {
  override readonly name = 'ItnioError';

  constructor(
    code: VendorFailureCode,
    outcome: VendorOutcome,
    message: string,
    /** The vendor's status and reason, when it answered with one. */
    readonly vendorStatus?: string,
    readonly vendorReason?: string,
  ) {
    super(code, outcome, message);
  }
}

export interface ItnioClientOptions {
  apiKey: string;
  apiSecret: string;
  baseUrl: string;
  appIds: readonly string[];
  timeoutMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Milliseconds since the epoch; the vendor's clock offset is added to it for signing. */
  now?: () => number;
  /** Called with every password the vendor issues, before anyone else sees it (for log redaction). */
  onPassword?: (password: string) => void;
}

/** What a sipQuery is allowed to tell: how many phones the application has. Never a record. */
export interface SipQuerySummary {
  appId: string;
  total: number;
}

/** One kind of signed call: where it goes, what it sends, how its success is read. */
interface Call<T> {
  endpoint: 'sipReset' | 'sipQuery';
  body: Record<string, unknown>;
  /** Reads the answer's text as JSON; sipQuery's keeps only the fields it reads, never a record. */
  parse(text: string): unknown;
  /** The result in a status-0 answer's `data`, or undefined when it is not what was expected. */
  read(data: unknown): T | undefined;
  /** Appended to what is said of an answer that never came or could not be read. */
  unknownAdvice: string;
  /** What the log line of each attempt says of the call. */
  meta: Record<string, unknown>;
}

interface Attempt<T> {
  result?: T;
  error?: ItnioError;
  /** The server's clock minus ours, in ms, read from the answer's Date header. */
  serverOffsetMs?: number;
}

/**
 * Of a sipQuery answer's JSON, only what the client reads: `status`, `reason` and `data.total`, each
 * of the type it reads. An allowlist: the records hold each phone's password in plain text (see
 * ITNIO-API.md), and a field the vendor renames or adds must not carry one into an object the
 * client returns or logs.
 */
export function sipQueryAnswerOf(text: string): unknown {
  const answer: unknown = JSON.parse(text);
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { status, reason, data } = answer as { status?: unknown; reason?: unknown; data?: unknown };
  const total = typeof data === 'object' && data !== null ? (data as { total?: unknown }).total : undefined;
  return {
    ...(typeof status === 'string' || typeof status === 'number' ? { status } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof total === 'number' ? { data: { total } } : {}),
  };
}

/**
 * A sipQuery page's JSON, parsed so that no password outlives the parse: the reviver drops every
 * `password` member, at any depth, as it is read (before the record holding it is built), and of what
 * is left only the page's numbers and each record's four known text fields are kept. The answer's
 * text itself is the caller's local, never kept.
 */
export function sipQueryPageOf(text: string): unknown {
  const answer: unknown = JSON.parse(text, (key, value: unknown) =>
    key.toLowerCase() === 'password' ? undefined : value,
  );
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { status, reason, data } = answer as { status?: unknown; reason?: unknown; data?: unknown };
  return {
    ...(typeof status === 'string' || typeof status === 'number' ? { status } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof data === 'object' && data !== null ? { data: pageOf(data as Record<string, unknown>) } : {}),
  };
}

/** A page's numbers (numbers or numeric strings) and its records' known fields; undefined if unreadable. */
function pageOf(data: Record<string, unknown>): PhonePage | undefined {
  const number = (value: unknown): number | undefined => {
    const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  const total = number(data.total);
  const current = number(data.current);
  if (total === undefined || !Array.isArray(data.records)) return undefined;
  const records: Phone[] = [];
  for (const record of data.records as unknown[]) {
    if (typeof record !== 'object' || record === null) continue;
    const { account, phoneName, groupName, displayNum } = record as Record<string, unknown>;
    const text = (value: unknown) =>
      typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
    const phone = {
      account: text(account),
      phoneName: text(phoneName),
      groupName: text(groupName),
      displayNum: text(displayNum),
    };
    if (checkAccount(phone.account) === undefined) records.push(phone);
  }
  return { total, pages: number(data.pages) ?? 0, current: current ?? 0, records };
}

/**
 * The signed ITNIO client: `sipReset`, and the read-only `sipQuery` that `npm run doctor` uses to
 * prove the credentials. It never retries what may have reached the vendor.
 */
export class ItnioClient implements VendorClient, PhoneLister {
  private clockOffsetMs = 0;
  private readonly now: () => number;

  constructor(private readonly options: ItnioClientOptions) {
    this.now = options.now ?? Date.now;
  }

  async sipReset(request: SipResetRequest): Promise<SipResetResult> {
    this.validate(request);
    const { account, appId } = request;
    return this.call<SipResetResult>({
      endpoint: 'sipReset',
      body: { account, appId },
      parse: (text) => JSON.parse(text),
      read: (data) => {
        const password = (data as { password?: unknown } | null | undefined)?.password;
        if (typeof password !== 'string' || password.length === 0) return undefined;
        this.options.onPassword?.(password);
        return { account, appId, password };
      },
      unknownAdvice: UNKNOWN_OUTCOME_ADVICE,
      meta: { account, appId },
    });
  }

  /** Asks for the first phone of an application and keeps only how many it has: proof the key works there. */
  async sipQuery(appId: string): Promise<SipQuerySummary> {
    if (!this.options.appIds.includes(appId)) throw unknownApp();
    return this.call<SipQuerySummary>({
      endpoint: 'sipQuery',
      body: { current: 1, size: 1, params: { appId } },
      parse: sipQueryAnswerOf,
      read: (data) => {
        const total = (data as { total?: unknown } | null | undefined)?.total;
        return typeof total === 'number' && Number.isInteger(total) && total >= 0
          ? { appId, total }
          : undefined;
      },
      unknownAdvice: '',
      meta: { appId },
    });
  }

  /**
   * One page of an application's phones for the directory, each record without its password (see
   * sipQueryPageOf). The log line of each call names the page, never a record.
   */
  async sipQueryPage(appId: string, current: number, size: number): Promise<PhonePage> {
    if (!this.options.appIds.includes(appId)) throw unknownApp();
    return this.call<PhonePage>({
      endpoint: 'sipQuery',
      body: { current, size, params: { appId } },
      parse: sipQueryPageOf,
      read: (data) => data as PhonePage | undefined,
      unknownAdvice: '',
      meta: { appId, current, size },
    });
  }

  private async call<T>(call: Call<T>): Promise<T> {
    let attempt = await this.attempt(call, 1);
    const error = attempt.error;
    if (error?.code === 'timestamp_expired' && attempt.serverOffsetMs !== undefined) {
      // The vendor rejected the request unprocessed: correct the clock and sign again, once.
      this.clockOffsetMs = attempt.serverOffsetMs;
      attempt = await this.attempt(call, 2);
    } else if (error?.code === 'unreachable') {
      // Connection refused: nothing reached the vendor, so one more try is safe.
      attempt = await this.attempt(call, 2);
    }
    if (attempt.error) throw attempt.error;
    return attempt.result as T;
  }

  private validate({ account, appId }: SipResetRequest): void {
    if (checkAccount(account) !== undefined) {
      throw new ItnioError(
        'invalid_account',
        'not_processed',
        'A SIP account is 4 to 32 characters, with no spaces or control characters.',
      );
    }
    if (!this.options.appIds.includes(appId)) throw unknownApp();
  }

  private async attempt<T>(call: Call<T>, attemptNo: number): Promise<Attempt<T>> {
    const started = this.now();
    const outcome = await this.send(call);
    const { result, error } = outcome;
    const meta = {
      ...call.meta,
      attempt: attemptNo,
      durationMs: this.now() - started,
      status: result ? '0' : (error?.vendorStatus ?? error?.code),
    };
    if (result) this.options.logger.info(`itnio ${call.endpoint} succeeded`, meta);
    else this.options.logger.warn(`itnio ${call.endpoint} failed`, { ...meta, outcome: error?.outcome });
    return outcome;
  }

  private async send<T>(call: Call<T>): Promise<Attempt<T>> {
    const { apiKey, apiSecret, baseUrl, timeoutMs } = this.options;
    const advice = call.unknownAdvice;
    const timestamp = String(Math.floor((this.now() + this.clockOffsetMs) / 1000));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${baseUrl}/${call.endpoint}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json;charset=UTF-8',
          'Api-Key': apiKey,
          Timestamp: timestamp,
          Sign: signRequest(apiKey, apiSecret, timestamp),
        },
        body: JSON.stringify(call.body),
        // Following a redirect would send the key, the signature and the body again, to wherever
        // the Location header says.
        redirect: 'manual',
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      return { error: transportError(error, advice) };
    } finally {
      clearTimeout(timer);
    }
    const serverOffsetMs = offsetFrom(response.headers.get('date'), this.now());
    if (response.status >= 500) {
      return {
        serverOffsetMs,
        error: new ItnioError(
          'http_error',
          'unknown',
          `ITNIO answered with HTTP ${response.status}.${advice}`,
        ),
      };
    }
    if (response.status >= 300 && response.status < 400) {
      return {
        serverOffsetMs,
        error: new ItnioError(
          'redirected',
          'not_processed',
          `ITNIO answered with a redirect (HTTP ${response.status}), which was not followed, so the request was not processed. An admin should check ITNIO_BASE_URL.`,
        ),
      };
    }
    if (response.status >= 400) {
      return {
        serverOffsetMs,
        error: new ItnioError(
          'http_refused',
          'not_processed',
          `ITNIO refused the request with HTTP ${response.status}. An admin should check ITNIO_BASE_URL.`,
        ),
      };
    }
    return { serverOffsetMs, ...this.interpret(call, text) };
  }

  private interpret<T>(call: Call<T>, text: string): Attempt<T> {
    const advice = call.unknownAdvice;
    const badResponse = new ItnioError(
      'bad_response',
      'unknown',
      `ITNIO sent an answer that could not be understood.${advice}`,
    );
    let body: unknown;
    try {
      body = call.parse(text);
    } catch {
      return { error: badResponse };
    }
    if (typeof body !== 'object' || body === null) return { error: badResponse };
    const { status, reason, data } = body as { status?: unknown; reason?: unknown; data?: unknown };
    if (typeof status !== 'string' && typeof status !== 'number') return { error: badResponse };
    const statusText = String(status).trim();
    const reasonText = typeof reason === 'string' ? reason : undefined;
    if (statusText === '0') {
      const result = call.read(data);
      return result === undefined ? { error: badResponse } : { result };
    }
    const known = VENDOR_STATUSES[statusText];
    if (known) {
      const message = known.outcome === 'unknown' ? `${known.message}${advice}` : known.message;
      return { error: new ItnioError(known.code, known.outcome, message, statusText, reasonText) };
    }
    return {
      error: new ItnioError(
        'unknown_status',
        'unknown',
        `ITNIO answered with status ${statusText}${reasonText ? ` (${reasonText})` : ''}.${advice}`,
        statusText,
        reasonText,
      ),
    };
  }
}

function unknownApp(): ItnioError {
  return new ItnioError('unknown_app', 'not_processed', 'That voice application is not configured.');
}

function offsetFrom(dateHeader: string | null, localNow: number): number | undefined {
  if (!dateHeader) return undefined;
  const serverTime = Date.parse(dateHeader);
  return Number.isNaN(serverTime) ? undefined : serverTime - localNow;
}

/** Sorts a failure before any answer into "surely never reached the vendor" and "may have". */
function transportError(error: unknown, advice: string): ItnioError {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (name === 'AbortError') {
    return new ItnioError('timeout', 'unknown', `ITNIO did not answer in time.${advice}`);
  }
  if (code === 'ECONNREFUSED') {
    return new ItnioError('unreachable', 'not_processed', 'ITNIO could not be reached (connection refused).');
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ItnioError(
      'unreachable',
      'not_processed',
      'ITNIO could not be reached (its name did not resolve).',
    );
  }
  return new ItnioError(
    'connection_lost',
    'unknown',
    `The connection to ITNIO broke before it answered.${advice}`,
  );
}
