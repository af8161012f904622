import type { WebClient } from '@slack/web-api';
import type { Logger } from '../domain/logger.js';
import { slackError } from './web-api-errors.js';

interface CachedLocale {
  locale: string | undefined;
  /** When it is asked for again: an hour after an answer, a minute after a failure. */
  freshUntil: number;
}

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
  /** In the order Slack was last asked about each person: the first is the one to drop. */
  private readonly cache = new Map<string, CachedLocale>();
  private readonly inFlight = new Map<string, Promise<string | undefined>>();
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly answerWithinMs = 1_500,
    limits: LocaleCacheLimits = {},
  ) {
    this.ttlMs = limits.ttlMs ?? 60 * 60_000;
    this.failureTtlMs = limits.failureTtlMs ?? 60_000;
    this.maxEntries = limits.maxEntries ?? 10_000;
  }

  /** The person's locale tag (such as `zh-CN`), or undefined when Slack has not told. */
  of(userId: string): Promise<string | undefined> {
    const cached = this.cache.get(userId);
    if (cached && this.now() < cached.freshUntil) return Promise.resolve(cached.locale);
    let load = this.inFlight.get(userId);
    if (!load) {
      load = this.fetch(userId, cached).finally(() => this.inFlight.delete(userId));
      this.inFlight.set(userId, load);
    }
    return this.within(load, cached);
  }

  private within(
    load: Promise<string | undefined>,
    stale: CachedLocale | undefined,
  ): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string | undefined>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn('locale look-up is slow: answering from what is known');
        resolve(stale?.locale);
      }, this.answerWithinMs);
    });
    return Promise.race([load, late]).finally(() => clearTimeout(timer));
  }

  private async fetch(userId: string, stale: CachedLocale | undefined): Promise<string | undefined> {
    try {
      const result = await this.client.users.info({ user: userId, include_locale: true });
      const locale = result.user?.locale;
      this.keep(userId, { locale, freshUntil: this.now() + this.ttlMs });
      return locale;
    } catch (error) {
      this.logger.warn('could not look up a locale', { user: userId, error: slackError(error) });
      this.keep(userId, { locale: stale?.locale, freshUntil: this.now() + this.failureTtlMs });
      return stale?.locale;
    }
  }

  private keep(userId: string, entry: CachedLocale): void {
    this.cache.delete(userId);
    this.cache.set(userId, entry);
    if (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
