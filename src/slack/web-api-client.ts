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
export function slackClientOptions(slack: Config['slack']): WebClientOptions {
  const { apiUrl, timeoutMs } = slack;
  return {
    slackApiUrl: apiUrl,
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Bolt's respond() posts to a response_url through this fetch, with no deadline of its own.
    fetch: (url, init) => fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) }),
  };
}

/** The Web API client of the app's own helpers: the same options as Bolt's, and its logger. */
export function slackWebClient(slack: Config['slack'], logger: Logger): WebClient {
  return new WebClient(slack.botToken, {
    ...slackClientOptions(slack),
    logger: new BoltLoggerAdapter(logger),
  });
}
