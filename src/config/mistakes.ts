/**
 * Settings written wrong, found before the schema reads them: values still the example's, values
 * that a `#` in .env cut short, and names under our prefixes that the app does not read. Each is
 * said in one line that never holds a value.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { closest, distance } from 'fastest-levenshtein';

/**
 * The values .env.example shows, which a copy of it still holds until they are replaced: the app
 * would start with them and fail later, far from the cause. A test keeps this list equal to the
 * file's; it is here rather than read from the file, which an installed app may not carry.
 */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  SLACK_BOT_TOKEN: 'xoxb-your-bot-token',
  SLACK_SIGNING_SECRET: 'your-signing-secret',
  SLACK_APP_TOKEN: 'xapp-your-app-token',
  ITNIO_API_KEY: 'your-api-key',
  ITNIO_API_SECRET: 'your-api-secret',
  ITNIO_APP_IDS: 'Head office=your-app-id',
  SIP_RESET_HELPDESK: 'S0123HELPDESK',
  SIP_RESET_APPROVERS: 'U0123ALICE,S0456APPROVERS',
  SIP_RESET_APPROVAL_CHANNEL: 'C0123APPROVALS',
};

export function placeholderProblems(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(PLACEHOLDERS)
    .filter(([name, placeholder]) => env[name]?.trim() === placeholder)
    .map(([name]) => `${name} is still the example value from .env.example: replace it with your own`);
}

/** The .env file `import 'dotenv/config'` reads (DOTENV_PATH, DOTENV_CONFIG_PATH or ./.env), if any. */
export function dotenvFileText(env: NodeJS.ProcessEnv): string | undefined {
  const path = env.DOTENV_PATH ?? env.DOTENV_CONFIG_PATH ?? resolve('.env');
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A line of a .env file as dotenv reads it: `NAME=value`, `export NAME=value`. */
const DOTENV_LINE = /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*=[ \t]*([^\r\n]*)$/gm;

/**
 * Variables whose value in .env was lost to a `#`: dotenv takes an unquoted `#` that starts the
 * value, or follows a character other than a space, for the start of a comment, and silently
 * reads what comes before it (`SIP_RESET_APPROVAL_CHANNEL=#phone-approvals` reads as empty, which
 * turns approvals off). `# …` after a space is an ordinary comment. Only lines whose value is the
 * one in effect count: a variable already in the environment wins over .env.
 */
export function lostToComment(dotenv: string | undefined, env: NodeJS.ProcessEnv): Map<string, string> {
  const lost = new Map<string, string>();
  for (const [, name = '', raw = ''] of (dotenv ?? '').matchAll(DOTENV_LINE)) {
    if (/^['"`]/.test(raw)) continue;
    const hash = raw.indexOf('#');
    if (hash < 0 || (hash > 0 && /\s/.test(raw[hash - 1] ?? ''))) continue;
    if (env[name] !== raw.slice(0, hash).trim()) continue;
    const fix =
      name === 'SIP_RESET_APPROVAL_CHANNEL'
        ? "use the channel's ID (C…, at the bottom of the channel's details), not its #name"
        : 'put the whole value in quotes, NAME="…"'.replace('NAME', name);
    lost.set(
      name,
      hash === 0
        ? `${name} in .env starts with #, which .env reads as a comment, so it is empty: ${fix}`
        : `${name} in .env holds a # that .env reads as the start of a comment, so the value is cut there: ${fix}`,
    );
  }
  return lost;
}

/** The prefixes of this app's variables: one not known under them is probably a typo. */
const OUR_PREFIXES = ['SIP_RESET_', 'ITNIO_', 'SLACK_'];

/** A variable set under our prefixes that the app does not read, and the known name closest to it. */
interface UnknownVariable {
  name: string;
  /** The known name it is probably a misspelling of, when one is close. */
  near: string | undefined;
}

export function unknownVariables(env: NodeJS.ProcessEnv, known: readonly string[]): UnknownVariable[] {
  return Object.keys(env)
    .filter((name) => OUR_PREFIXES.some((prefix) => name.startsWith(prefix)) && !known.includes(name))
    .sort()
    .map((name) => {
      const near = closest(name, known as string[]);
      return {
        name,
        near: distance(name, near) <= Math.max(3, Math.floor(name.length / 4)) ? near : undefined,
      };
    });
}

export const ignored = ({ name, near }: UnknownVariable) =>
  `${name} is not a setting of sip-reset and is ignored${near ? `: did you mean ${near}?` : ''}`;
