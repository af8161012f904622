import { ErrorCode } from '@slack/web-api';
import { errorMessage } from '../../domain/errors.js';

/**
 * The Web API's error code (`channel_not_found`…), or the error's message: for logs. Anything else
 * thrown (a string, undefined, an object) is described without throwing, since a handler reads it.
 */
export function slackError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { data } = error as { data?: { error?: unknown } };
    if (typeof data?.error === 'string') return data.error;
  }
  return errorMessage(error);
}

/**
 * Why a call got no answer at all: what fetch's own error says under the Web API client's request
 * error (`ECONNREFUSED`, `ENOTFOUND`, `bad port`…); else what slackError says.
 */
export function unansweredCause(error: unknown): string {
  const cause = (error as { original?: { cause?: { code?: unknown; message?: unknown } } } | null)?.original
    ?.cause;
  const why = cause?.code ?? cause?.message;
  return typeof why === 'string' ? why : slackError(error);
}

/**
 * What Slack answered, when the call failed on an answer rather than on its way: its error code
 * (`ratelimited` for an HTTP 429 too), or `HTTP 503` for an answer that was not the Web API's.
 * Undefined when nothing came back (refused, timed out), which unansweredCause describes.
 */
export function slackAnswer(error: unknown): string | undefined {
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  if (code === ErrorCode.RateLimitedError) return 'ratelimited';
  if (code === ErrorCode.HTTPError) return `HTTP ${String(statusCode)}`;
  if (code === ErrorCode.PlatformError) return slackError(error);
  return undefined;
}
