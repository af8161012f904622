import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../../config/index.js';
import { BoltLoggerAdapter } from '../../logging/index.js';
import type { Logger } from '../../domain/logger.js';

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
        if (observe) observeAnswer(response, method, (error) => observe(method, error, seconds()));
        return response;
      } catch (error) {
        observe?.(
          method,
          (error as Error | null)?.name === 'TimeoutError' ? 'timeout' : 'unreachable',
          seconds(),
        );
        throw error;
      }
    },
  };
}

/** Hears of every call to Slack: its Web API method (or `response_url`), its error (`ok` when none), its time. */
export type SlackCallObserver = (method: string, error: string, seconds: number) => void;

/**
 * Tells Slack's error code of an answer once it is known. A Web API answer's comes from its body,
 * read as the WebClient reads it (its `text()`, once): a copy of every body (`clone()`) cost each
 * call a stream tee, and the body is dropped after (an answer may echo the message sent). A
 * response_url's answer, and an HTTP error, are judged by the status alone.
 */
function observeAnswer(response: Response, method: string, tell: (error: string) => void): void {
  // Slack's own word for HTTP 429, as its body says too.
  if (response.status === 429) return tell('ratelimited');
  if (!response.ok) return tell(`http_${response.status}`);
  if (method === 'response_url') return tell('ok');
  const read = response.text.bind(response);
  const text = async (): Promise<string> => {
    let body: string;
    try {
      body = await read();
    } catch (error) {
      tell((error as Error | null)?.name === 'TimeoutError' ? 'timeout' : 'unreachable');
      throw error;
    }
    tell(slackErrorOf(body));
    return body;
  };
  Object.defineProperty(response, 'text', { value: text });
}

/** Slack's error code in a Web API answer's body (`ok` when none); Slack's answers start with `ok`. */
function slackErrorOf(body: string): string {
  if (body.startsWith('{"ok":true')) return 'ok';
  try {
    const { ok, error } = JSON.parse(body) as { ok?: boolean; error?: unknown };
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
