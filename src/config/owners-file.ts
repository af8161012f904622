/**
 * The owners file (SIP_RESET_OWNERS_FILE): which SIP accounts each person owns, read and checked
 * with a message that names the key at fault.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

const ownersSchema = z.record(z.string().regex(/^[UW][A-Z0-9]{2,}$/), z.array(z.string().min(1)));

/** What is wrong with an owners file's content, naming the key at fault; undefined when it is right. */
function ownersProblem(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'it must be one JSON object';
  for (const [key, accounts] of Object.entries(json)) {
    if (!/^[UW][A-Z0-9]{2,}$/.test(key)) {
      return `the key ${JSON.stringify(key)} is not a Slack user ID (U… or W…, as in the member's profile)`;
    }
    if (!Array.isArray(accounts)) return `the value of ${key} must be a list of SIP accounts, like ["1001"]`;
    const bad = accounts.find((account) => typeof account !== 'string' || account.length === 0);
    if (bad !== undefined) {
      return typeof bad === 'number'
        ? `the accounts of ${key} must be quoted strings: write "${bad}", not ${bad}`
        : `the accounts of ${key} must be non-empty strings, like ["1001"]`;
    }
  }
  return undefined;
}

/** Reads and checks an owners file; a ConfigError names SIP_RESET_OWNERS_FILE and what is wrong. */
export function readOwnersFile(path: string): Record<string, string[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`SIP_RESET_OWNERS_FILE: cannot read ${path} (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`SIP_RESET_OWNERS_FILE: ${path} is not valid JSON`);
  }
  const problem = ownersProblem(json);
  if (problem) {
    throw new ConfigError(`SIP_RESET_OWNERS_FILE: ${path} must be {"U123": ["1001", …]}: ${problem}`);
  }
  return ownersSchema.parse(json);
}
