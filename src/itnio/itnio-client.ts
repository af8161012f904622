/**
 * The client the app calls ITNIO through: each call checked, attempted once, or twice where the first
 * surely did nothing, and logged without a secret; transport.ts sends it, answers.ts reads the answer.
 */
import { checkAccount } from '../domain/account.js';
import type { Logger } from '../domain/logger.js';
import type { SipResetRequest, SipResetResult, VendorClient } from '../domain/ports.js';
import type { PhoneLister, PhonePage } from '../domain/directory.js';
import { readAnswer, sipQueryAnswerOf, sipQueryPageOf, type AnswerReading } from './answers.js';
import { ItnioError } from './failures.js';
import { postSigned, type SignedPost } from './transport.js';

/** Said of a reset whose outcome is unknown; a query changes nothing, so it needs no such advice. */
const UNKNOWN_OUTCOME_ADVICE =
  ' The password may or may not have been reset. Check with the helpdesk before trying again.';

export interface ItnioClientOptions {
  apiKey: string;
  apiSecret: string;
  baseUrl: string;
  appIds: readonly string[];
  timeoutMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Milliseconds since the epoch; the vendor's clock offset is added to it for signing. */
  now?: () => number;
  /** Called with every password the vendor issues for a person, before anyone else sees it (for log redaction); never a lock-out's. */
  onPassword?: (password: string) => void;
}

/** What a sipQuery is allowed to tell: how many phones the application has. Never a record. */
export interface SipQuerySummary {
  appId: string;
  total: number;
}

/** One kind of signed call: where it goes, what it sends, how its success is read. */
interface Call<T> extends SignedPost, AnswerReading<T> {
  endpoint: 'sipReset' | 'sipQuery';
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
        if (request.discarded !== true) this.options.onPassword?.(password);
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
    const answer = await postSigned(call, this.options, { now: this.now, offsetMs: this.clockOffsetMs });
    if ('error' in answer) return answer;
    return { serverOffsetMs: answer.serverOffsetMs, ...readAnswer(call, answer.text) };
  }
}

function unknownApp(): ItnioError {
  return new ItnioError('unknown_app', 'not_processed', 'That voice application is not configured.');
}
