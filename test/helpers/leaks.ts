import { expect } from 'chai';
import { hexForms } from './secrets.js';

/** The forms a secret takes when it is written out carelessly: as is, in JSON, in a URL, in base64, in hex. */
export function writtenForms(secret: string): string[] {
  const bytes = Buffer.from(secret);
  return [
    ...new Set([
      secret,
      JSON.stringify(secret).slice(1, -1),
      encodeURIComponent(secret),
      bytes.toString('base64').replace(/=+$/, ''),
      bytes.toString('base64url'),
      ...hexForms(secret),
    ]),
  ];
}

/** Fails naming what leaked when any form of any of the secrets is in the text. */
export function expectNoSecret(text: string, secrets: Record<string, string>): void {
  for (const [what, secret] of Object.entries(secrets)) {
    for (const form of writtenForms(secret)) expect(text, `${what} leaked (${form})`).not.to.contain(form);
  }
}
