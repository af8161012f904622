/**
 * A finder of which of these secrets occur in a text, as they are or in hex of either case (as a
 * vendor or a dump may echo them), in one pass per form length (Rabin-Karp:
 * a rolling hash of each window, compared in full only when it matches one's): checking hundreds
 * of passwords against the megabytes a load test writes stays linear, where a search per secret
 * would not finish in CI's time. Built once, used on any number of texts.
 */
export function secretFinder(secrets: Iterable<string>): (text: string) => Set<string> {
  const lengths = new Map<
    number,
    { hashes: Map<number, Array<[form: string, secret: string]>>; filter: Uint8Array; top: number }
  >();
  for (const [form, secret] of [...secrets].flatMap((secret) =>
    [secret, ...hexForms(secret)].map((form) => [form, secret] as const),
  )) {
    if (!form) continue;
    let same = lengths.get(form.length);
    if (!same) {
      // BASE^(length-1), to take the leaving character out of the rolling hash.
      let top = 1;
      for (let i = 1; i < form.length; i += 1) top = Math.imul(top, BASE) >>> 0;
      same = { hashes: new Map(), filter: new Uint8Array(FILTER_SIZE), top };
      lengths.set(form.length, same);
    }
    const hash = hashOf(form, form.length);
    same.hashes.set(hash, [...(same.hashes.get(hash) ?? []), [form, secret]]);
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
        if (candidates)
          for (const [form, secret] of candidates) if (text.startsWith(form, at)) found.add(secret);
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

/** A secret's UTF-8 bytes in hex, lower and upper case: as a vendor or a dump may echo it. */
export function hexForms(secret: string): string[] {
  const hex = Buffer.from(secret).toString('hex');
  return [hex, hex.toUpperCase()];
}
