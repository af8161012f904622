import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../domain/logger.js';
import { TimeBoxedCache } from './time-boxed-cache.js';
import { slackError } from './web-api-errors.js';

/** How the cache is bounded: a person not seen lately is dropped first when it is full. */
export interface LocaleCacheLimits {
  ttlMs?: number;
  /** A failed look-up is not repeated for this long (Slack may be rate limiting: asking again would not help). */
  failureTtlMs?: number;
  /** How many people are held at most (a few MiB at most, whatever the workspace's size). */
  maxEntries?: number;
}

/**
 * Each person's Slack locale, from `users.info` with `include_locale`, cached as the user groups
 * are (SlackDirectory): a failed look-up keeps the last known locale, or none, and is not repeated
 * for a minute. A look-up slower than `answerWithinMs` answers with what is known (and finishes in
 * the background), because the text it picks is often an acknowledgement due within 3 s; the
 * fallback is only a language.
 */
export class SlackLocales {
  private readonly locales: TimeBoxedCache<string, string | undefined>;

  constructor(
    client: WebClient,
    logger: Logger,
    now: () => number,
    answerWithinMs = 1_500,
    limits: LocaleCacheLimits = {},
  ) {
    this.locales = new TimeBoxedCache({
      load: async (userId) => (await client.users.info({ user: userId, include_locale: true })).user?.locale,
      ttlMs: limits.ttlMs ?? 60 * 60_000,
      failureTtlMs: limits.failureTtlMs ?? 60_000,
      maxEntries: limits.maxEntries ?? 10_000,
      answerWithinMs,
      now,
      slow: () => logger.warn('locale look-up is slow: answering from what is known'),
      failed: (userId, error) =>
        logger.warn('could not look up a locale', { user: userId, error: slackError(error) }),
    });
  }

  /** The person's locale tag (such as `zh-CN`), or undefined when Slack has not told. */
  of(userId: string): Promise<string | undefined> {
    return this.locales.get(userId);
  }
}
