import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logging.js';
import { slackError } from './web-api-errors.js';

interface CachedLocale {
  locale: string | undefined;
  fetchedAt: number;
}

/**
 * Each person's Slack locale, from `users.info` with `include_locale`, cached as the user groups
 * are (SlackDirectory): a failed look-up keeps the last known locale, or none. A look-up slower
 * than `answerWithinMs` answers with what is known (and finishes in the background), because the
 * text it picks is often an acknowledgement due within 3 s; the fallback is only a language.
 */
export class SlackLocales {
  private readonly cache = new Map<string, CachedLocale>();
  private readonly inFlight = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly ttlMs = 60 * 60_000,
    private readonly answerWithinMs = 1_500,
  ) {}

  /** The person's locale tag (such as `zh-CN`), or undefined when Slack has not told. */
  of(userId: string): Promise<string | undefined> {
    const cached = this.cache.get(userId);
    if (cached && this.now() - cached.fetchedAt < this.ttlMs) return Promise.resolve(cached.locale);
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
      this.cache.set(userId, { locale, fetchedAt: this.now() });
      return locale;
    } catch (error) {
      this.logger.warn('could not look up a locale', { user: userId, error: slackError(error) });
      return stale?.locale;
    }
  }
}
