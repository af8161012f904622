import { LRUCache } from 'lru-cache';
import { withinTime } from './within-time.js';

/** What is known of one key, and until when it is answered without asking again. */
interface Known<V> {
  value: V | undefined;
  freshUntil: number;
}

export interface TimeBoxedCacheOptions<K, V> {
  /** Asks the source (Slack) for a key's value. */
  load(key: K): Promise<V>;
  /** A value stays fresh this long after the source answered. */
  ttlMs: number;
  /**
   * After a failed load, what was known (or nothing) is answered this long before the source is
   * asked again; without it, the next look-up asks again.
   */
  failureTtlMs?: number;
  /** How many keys are held at most: the one the source answered longest ago is dropped first. */
  maxEntries: number;
  /** A time-boxed look-up waits this long for the source, then answers with what is known. */
  answerWithinMs: number;
  now(): number;
  /** Told of a look-up answered from what is known because the source was slow. */
  slow(key: K): void;
  /** Told of a failed load (whose look-up is answered from what is known). */
  failed(key: K, error: unknown): void;
}

/**
 * A cache of what Slack answers, for look-ups that must not hold an acknowledgement due within
 * 3 s (who belongs to a user group, a person's locale): a fresh value is answered at once; an
 * old or missing one is asked for once, however many look-ups wait for it (lru-cache's fetch); a
 * look-up that waits longer than `answerWithinMs` is answered with what is known while the load
 * finishes in the background; a failed load keeps what was known.
 */
export class TimeBoxedCache<K extends NonNullable<unknown>, V> {
  private readonly cache: LRUCache<K, Known<V>>;

  constructor(private readonly options: TimeBoxedCacheOptions<K, V>) {
    this.cache = new LRUCache<K, Known<V>>({
      max: options.maxEntries,
      fetchMethod: (key, known) => this.load(key, known),
    });
  }

  /** The key's value, or undefined when none is known; `timeBoxed: false` waits for the source. */
  async get(key: K, { timeBoxed = true } = {}): Promise<V | undefined> {
    // peek: a look-up does not keep a key longer; only the source's answers do.
    const known = this.cache.peek(key);
    if (known && this.options.now() < known.freshUntil) return known.value;
    const load = this.cache.fetch(key, { forceRefresh: true });
    if (!timeBoxed) return (await load)?.value;
    const answered = await withinTime(() => load, this.options.answerWithinMs, {
      late: () => this.options.slow(key),
      failed: (error) => this.options.failed(key, error),
    });
    return (answered ?? known)?.value;
  }

  private async load(key: K, known: Known<V> | undefined): Promise<Known<V> | undefined> {
    const { now, ttlMs, failureTtlMs } = this.options;
    try {
      return { value: await this.options.load(key), freshUntil: now() + ttlMs };
    } catch (error) {
      this.options.failed(key, error);
      if (failureTtlMs !== undefined) return { value: known?.value, freshUntil: now() + failureTtlMs };
      // Kept as it was, so the next look-up asks again; nothing known is kept as nothing.
      return known;
    }
  }
}
