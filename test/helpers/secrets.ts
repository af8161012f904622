/**
 * A finder of which of these secrets occur in a text, in one pass per secret length (Rabin-Karp:
 * a rolling hash of each window, compared in full only when it matches one's): checking hundreds
 * of passwords against the megabytes a load test writes stays linear, where a search per secret
 * would not finish in CI's time. Built once, used on any number of texts.
 */
export function secretFinder(secrets: Iterable<string>): (text: string) => Set<string> {
  const lengths = new Map<number, { hashes: Map<number, string[]>; filter: Uint8Array; top: number }>();
  for (const secret of secrets) {
    if (!secret) continue;
    let same = lengths.get(secret.length);
    if (!same) {
      // BASE^(length-1), to take the leaving character out of the rolling hash.
      let top = 1;
      for (let i = 1; i < secret.length; i += 1) top = Math.imul(top, BASE) >>> 0;
      same = { hashes: new Map(), filter: new Uint8Array(FILTER_SIZE), top };
      lengths.set(secret.length, same);
    }
    const hash = hashOf(secret, secret.length);
    same.hashes.set(hash, [...(same.hashes.get(hash) ?? []), secret]);
    // A byte per hash bucket, so that most windows cost one array read, not a map look-up.
    same.filter[hash & FILTER_MASK] = 1;
  }
  return (text) => {
    const found = new Set<string>();
    for (const [length, { hashes, filter, top }] of lengths) {
      if (text.length < length) continue;
      let hash = hashOf(text, length);
      for (let at = 0; ; at += 1) {
        const candidates = filter[hash & FILTER_MASK] === 1 ? hashes.get(hash) : undefined;
        if (candidates) for (const secret of candidates) if (text.startsWith(secret, at)) found.add(secret);
        if (at + length >= text.length) break;
        const without = (hash - Math.imul(text.charCodeAt(at), top)) >>> 0;
        hash = (Math.imul(without, BASE) + text.charCodeAt(at + length)) >>> 0;
      }
    }
    return found;
  };
}

/** Which of these secrets occur in one text. */
export function secretsIn(text: string, secrets: Iterable<string>): Set<string> {
  return secretFinder(secrets)(text);
}

const BASE = 257;
const FILTER_SIZE = 1 << 20;
const FILTER_MASK = FILTER_SIZE - 1;

function hashOf(text: string, length: number): number {
  let hash = 0;
  for (let i = 0; i < length; i += 1) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) >>> 0;
  return hash;
}
