/**
 * One signed POST to ITNIO and what came of it before its answer is read: the signature and its
 * timestamp, the time limit, no redirect followed, an HTTP error or a broken connection sorted by
 * whether the vendor may have acted, and the vendor's clock read from its Date header.
 */
import fetch, { type Response } from 'node-fetch';
import { ItnioError } from './failures.js';
import { signRequest } from './signing.js';

/** What a signed POST needs of the client's settings. */
export interface TransportSettings {
  apiKey: string;
  apiSecret: string;
  baseUrl: string;
  timeoutMs: number;
}

/** One call as it is sent: where it goes, what it sends. */
export interface SignedPost {
  endpoint: string;
  body: Record<string, unknown>;
  /** Appended to what is said of an answer that never came or could not be read. */
  unknownAdvice: string;
}

/** The clock a request is signed with: ours, corrected by the vendor's offset once it told it. */
export interface SigningClock {
  /** Milliseconds since the epoch. */
  now: () => number;
  offsetMs: number;
}

/** The answer's text to be read, or why there is none; with the vendor's clock when it gave it. */
export type Answer =
  { text: string; serverOffsetMs: number | undefined } | { error: ItnioError; serverOffsetMs?: number };

/**
 * Sends one call, signed with the clock's time, and returns the answer's text unread, or the failure
 * before it: never retried here, since whether to try again depends on what the call may have done.
 */
export async function postSigned(
  post: SignedPost,
  settings: TransportSettings,
  clock: SigningClock,
): Promise<Answer> {
  const { apiKey, apiSecret, baseUrl, timeoutMs } = settings;
  const advice = post.unknownAdvice;
  const timestamp = String(Math.floor((clock.now() + clock.offsetMs) / 1000));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${baseUrl}/${post.endpoint}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json;charset=UTF-8',
        'Api-Key': apiKey,
        Timestamp: timestamp,
        Sign: signRequest(apiKey, apiSecret, timestamp),
      },
      body: JSON.stringify(post.body),
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
  const serverOffsetMs = offsetFrom(response.headers.get('date'), clock.now());
  if (response.status >= 500) {
    return {
      serverOffsetMs,
      error: new ItnioError('http_error', 'unknown', `ITNIO answered with HTTP ${response.status}.${advice}`),
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
  return { serverOffsetMs, text };
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
