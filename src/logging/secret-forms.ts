/**
 * A known secret's every form (escaped, encoded, in hex or base64) and the index that finds any of
 * them in a log line in one pass: the Redactor's look-up by value, whose cost does not grow with how
 * many secrets it holds.
 */

/** The shortest value redacted by value: shorter ones would blank out ordinary words. */
export const MIN_SECRET_LENGTH = 4;

const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1);
const formEncoded = (text: string) => new URLSearchParams({ v: text }).toString().slice(2);
const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
/** JSON as other serializers write it: `\/` for a slash (PHP, Slack's API), `\u003c` for <, >, & (Go). */
const otherJson = (text: string) => [
  text.replace(/\//g, '\\/'),
  text.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
];

/**
 * Every form a secret can take in a log line: as it is; JSON-escaped once (a body) or twice (a body
 * logged as a JSON string); percent- or form-encoded, either of those (Slack's `payload=` bodies are
 * form-encoded JSON), with either case of hex; HTML-escaped as Slack's mrkdwn is; in base64; its
 * bytes in hex of either case (as a vendor's answer may echo a secret). A
 * base64 form is also kept without its last, partial character, which depends on what follows it.
 */
export function formsOf(secret: string): string[] {
  const forms = new Set([secret]);
  const grow = (derive: (form: string) => string | string[]) => {
    for (const form of [...forms]) for (const derived of [derive(form)].flat()) forms.add(derived);
  };
  grow(jsonEscaped);
  grow(jsonEscaped);
  grow(otherJson);
  grow((form) => [encodeURIComponent(form), formEncoded(form)]);
  grow(lowerHex);
  forms.add(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  const bytes = Buffer.from(secret);
  const hex = bytes.toString('hex');
  forms.add(hex).add(hex.toUpperCase());
  for (const encoding of ['base64', 'base64url'] as const) {
    const encoded = bytes.toString(encoding).replace(/=+$/, '');
    forms.add(encoded).add(encoded.slice(0, Math.floor((bytes.length * 8) / 6)));
  }
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

const PREFIX_BUCKETS = 1 << 16;

/** A hash of the MIN_SECRET_LENGTH characters at a position, in [0, PREFIX_BUCKETS). */
function prefixHash(text: string, position: number): number {
  let hash = 0;
  for (let i = position; i < position + MIN_SECRET_LENGTH; i++)
    hash = Math.imul(hash, 31) + text.charCodeAt(i);
  return (hash ^ (hash >>> 16)) & (PREFIX_BUCKETS - 1);
}

/**
 * Every form of every known secret, indexed by its first MIN_SECRET_LENGTH characters, longest
 * first, counted (two secrets may share a form). A line is scanned once, each position looked up,
 * so its cost does not grow with the number of passwords remembered; added and removed one secret
 * at a time, never rebuilt.
 */
export class FormIndex {
  private readonly byPrefix = new Map<string, string[]>();
  private readonly counts = new Map<string, number>();
  /**
   * How many known prefixes hash to each bucket: most positions of a line are ruled out by one
   * look-up here, without a substring made and looked up in the map (a quarter of a log line's cost).
   */
  private readonly buckets = new Uint16Array(PREFIX_BUCKETS);

  get empty(): boolean {
    return this.counts.size === 0;
  }

  add(forms: readonly string[]): void {
    for (const form of forms) {
      const count = this.counts.get(form) ?? 0;
      this.counts.set(form, count + 1);
      if (count > 0) continue;
      const prefix = form.slice(0, MIN_SECRET_LENGTH);
      const known = this.byPrefix.get(prefix);
      if (!known) this.count(form, 1);
      const bucket = [...(known ?? []), form];
      this.byPrefix.set(
        prefix,
        bucket.sort((a, b) => b.length - a.length),
      );
    }
  }

  remove(forms: readonly string[]): void {
    for (const form of forms) {
      const count = this.counts.get(form) ?? 0;
      if (count > 1) {
        this.counts.set(form, count - 1);
        continue;
      }
      this.counts.delete(form);
      const prefix = form.slice(0, MIN_SECRET_LENGTH);
      const rest = (this.byPrefix.get(prefix) ?? []).filter((known) => known !== form);
      if (rest.length > 0) this.byPrefix.set(prefix, rest);
      else if (this.byPrefix.delete(prefix)) this.count(form, -1);
    }
  }

  private count(form: string, change: 1 | -1): void {
    const bucket = prefixHash(form, 0);
    this.buckets[bucket] = (this.buckets[bucket] ?? 0) + change;
  }

  /** The longest form that starts at this position of the text. */
  at(text: string, position: number): string | undefined {
    if (this.buckets[prefixHash(text, position)] === 0) return undefined;
    return this.byPrefix
      .get(text.slice(position, position + MIN_SECRET_LENGTH))
      ?.find((form) => text.startsWith(form, position));
  }
}
