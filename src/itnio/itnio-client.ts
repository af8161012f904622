import fetch, { type Response } from 'node-fetch';
import { checkAccount } from '../domain/account.js';
import {
  VendorFailure,
  type SipResetRequest,
  type SipResetResult,
  type VendorClient,
  type VendorFailureCode,
  type VendorOutcome,
} from '../domain/ports.js';
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
    message:
      'ITNIO reported a system error, so the password may or may not have been reset. Check with the helpdesk before trying again.',
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

const UNKNOWN_OUTCOME_ADVICE =
  'The password may or may not have been reset. Check with the helpdesk before trying again.';

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

interface MinimalLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

export interface ItnioClientOptions {
  apiKey: string;
  apiSecret: string;
  baseUrl: string;
  appIds: readonly string[];
  timeoutMs: number;
  logger: MinimalLogger;
  /** Milliseconds since the epoch; the vendor's clock offset is added to it for signing. */
  now?: () => number;
  /** Called with every password the vendor issues, before anyone else sees it (for log redaction). */
  onPassword?: (password: string) => void;
}

interface Attempt {
  result?: SipResetResult;
  error?: ItnioError;
  /** The server's clock minus ours, in ms, read from the answer's Date header. */
  serverOffsetMs?: number;
}

/** The signed ITNIO `sipReset` client. It never retries what may have reached the vendor. */
export class ItnioClient implements VendorClient {
  private clockOffsetMs = 0;
  private readonly now: () => number;

  constructor(private readonly options: ItnioClientOptions) {
    this.now = options.now ?? Date.now;
  }

  async sipReset(request: SipResetRequest): Promise<SipResetResult> {
    this.validate(request);
    let attempt = await this.attempt(request, 1);
    const error = attempt.error;
    if (error?.code === 'timestamp_expired' && attempt.serverOffsetMs !== undefined) {
      // The vendor rejected the request unprocessed: correct the clock and sign again, once.
      this.clockOffsetMs = attempt.serverOffsetMs;
      attempt = await this.attempt(request, 2);
    } else if (error?.code === 'unreachable') {
      // Connection refused: nothing reached the vendor, so one more try is safe.
      attempt = await this.attempt(request, 2);
    }
    if (attempt.error) throw attempt.error;
    return attempt.result as SipResetResult;
  }

  private validate({ account, appId }: SipResetRequest): void {
    if (checkAccount(account) !== undefined) {
      throw new ItnioError(
        'invalid_account',
        'not_processed',
        'A SIP account is 4 to 32 characters, with no spaces or control characters.',
      );
    }
    if (!this.options.appIds.includes(appId)) {
      throw new ItnioError('unknown_app', 'not_processed', 'That voice application is not configured.');
    }
  }

  private async attempt(request: SipResetRequest, attemptNo: number): Promise<Attempt> {
    const started = this.now();
    const outcome = await this.send(request);
    const { result, error } = outcome;
    const meta = {
      account: request.account,
      appId: request.appId,
      attempt: attemptNo,
      durationMs: this.now() - started,
      status: result ? '0' : (error?.vendorStatus ?? error?.code),
    };
    if (result) this.options.logger.info('itnio sipReset succeeded', meta);
    else this.options.logger.warn('itnio sipReset failed', { ...meta, outcome: error?.outcome });
    return outcome;
  }

  private async send({ account, appId }: SipResetRequest): Promise<Attempt> {
    const { apiKey, apiSecret, baseUrl, timeoutMs } = this.options;
    const timestamp = String(Math.floor((this.now() + this.clockOffsetMs) / 1000));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${baseUrl}/sipReset`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json;charset=UTF-8',
          'Api-Key': apiKey,
          Timestamp: timestamp,
          Sign: signRequest(apiKey, apiSecret, timestamp),
        },
        body: JSON.stringify({ account, appId }),
        // Following a redirect would send the key, the signature and the body again, to wherever
        // the Location header says.
        redirect: 'manual',
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      return { error: transportError(error) };
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
          `ITNIO answered with HTTP ${response.status}. ${UNKNOWN_OUTCOME_ADVICE}`,
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
    return { serverOffsetMs, ...this.interpret(text, account, appId) };
  }

  private interpret(text: string, account: string, appId: string): Attempt {
    const badResponse = new ItnioError(
      'bad_response',
      'unknown',
      `ITNIO sent an answer that could not be understood. ${UNKNOWN_OUTCOME_ADVICE}`,
    );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { error: badResponse };
    }
    if (typeof body !== 'object' || body === null) return { error: badResponse };
    const { status, reason, data } = body as { status?: unknown; reason?: unknown; data?: unknown };
    if (typeof status !== 'string' && typeof status !== 'number') return { error: badResponse };
    const statusText = String(status).trim();
    const reasonText = typeof reason === 'string' ? reason : undefined;
    if (statusText === '0') {
      const password = (data as { password?: unknown } | null | undefined)?.password;
      if (typeof password !== 'string' || password.length === 0) return { error: badResponse };
      this.options.onPassword?.(password);
      return { result: { account, appId, password } };
    }
    const known = VENDOR_STATUSES[statusText];
    if (known) {
      return { error: new ItnioError(known.code, known.outcome, known.message, statusText, reasonText) };
    }
    return {
      error: new ItnioError(
        'unknown_status',
        'unknown',
        `ITNIO answered with status ${statusText}${reasonText ? ` (${reasonText})` : ''}. ${UNKNOWN_OUTCOME_ADVICE}`,
        statusText,
        reasonText,
      ),
    };
  }
}

function offsetFrom(dateHeader: string | null, localNow: number): number | undefined {
  if (!dateHeader) return undefined;
  const serverTime = Date.parse(dateHeader);
  return Number.isNaN(serverTime) ? undefined : serverTime - localNow;
}

/** Sorts a failure before any answer into "surely never reached the vendor" and "may have". */
function transportError(error: unknown): ItnioError {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (name === 'AbortError') {
    return new ItnioError('timeout', 'unknown', `ITNIO did not answer in time. ${UNKNOWN_OUTCOME_ADVICE}`);
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
    `The connection to ITNIO broke before it answered. ${UNKNOWN_OUTCOME_ADVICE}`,
  );
}
