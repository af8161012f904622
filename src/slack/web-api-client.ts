import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config.js';
import { BoltLoggerAdapter, type Logger } from '../logging.js';

/**
 * Every call to Slack is time-boxed, so no listener (nor a stop waiting for it) hangs on Slack.
 * None is retried: each sits in a person's flow with a fallback of its own (delivery tries three
 * routes, a modal that does not open is answered with an error), while a retry after a timeout may
 * repeat what Slack already did: post a message, or a password, twice, or spend a trigger_id that
 * worked. For the same reason a rate limit fails at once instead of holding the listener for its
 * Retry-After.
 */
export function slackClientOptions(slack: Config['slack'], observe?: SlackCallObserver): WebClientOptions {
  const { apiUrl, timeoutMs } = slack;
  return {
    slackApiUrl: apiUrl,
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Bolt's respond() posts to a response_url through this fetch, with no deadline of its own.
    fetch: async (input, init) => {
      const started = performance.now();
      const url = input instanceof Request ? input.url : String(input);
      const method = url.startsWith(apiUrl)
        ? url.slice(apiUrl.length).split(/[/?]/)[0] || 'unknown'
        : 'response_url';
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const response = await fetch(input, {
          ...init,
          signal: init?.signal ?? AbortSignal.timeout(timeoutMs),
        });
        if (observe) observe(method, await slackErrorOf(response, method), seconds());
        return response;
      } catch (error) {
        observe?.(method, (error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable', seconds());
        throw error;
      }
    },
  };
}

/** Hears of every call to Slack: its Web API method (or `response_url`), its error (`ok` when none), its time. */
export type SlackCallObserver = (method: string, error: string, seconds: number) => void;

/**
 * Slack's error code of a Web API answer, read from a copy of its body, which is then dropped (an
 * answer may echo the message sent). A response_url's answer is judged by its HTTP status alone.
 */
async function slackErrorOf(response: Response, method: string): Promise<string> {
  // Slack's own word for HTTP 429, as its body says too.
  if (response.status === 429) return 'ratelimited';
  if (!response.ok) return `http_${response.status}`;
  if (method === 'response_url') return 'ok';
  try {
    const { ok, error } = (await response.clone().json()) as { ok?: boolean; error?: unknown };
    return ok ? 'ok' : typeof error === 'string' ? error : 'unknown';
  } catch {
    return 'bad_response';
  }
}

/** The Web API client of the app's own helpers: the same options as Bolt's, and its logger. */
export function slackWebClient(
  slack: Config['slack'],
  logger: Logger,
  observe?: SlackCallObserver,
): WebClient {
  return new WebClient(slack.botToken, {
    ...slackClientOptions(slack, observe),
    logger: new BoltLoggerAdapter(logger),
  });
}
