import { checkAccount, type AccountProblem } from './account.js';

/** What a pasted list of accounts holds: each account once, in the order given, and those refused. */
export interface AccountList {
  /** The accounts that pass checkAccount, each once, in the order first given. */
  accounts: string[];
  /** The entries refused, each once, with why (as a single account is refused). */
  refused: Array<{ account: string; problem: AccountProblem }>;
}

/**
 * What separates accounts in a pasted list: white space (new lines too), commas and semicolons,
 * their full-width forms included (a list typed with a Chinese keyboard), and the ideographic comma.
 */
const SEPARATORS = /[\s,;，；、]+/u;

/**
 * Reads a pasted list of SIP accounts: split on the separators, each entry checked like a single
 * account (checkAccount), duplicates dropped. An entry that holds a control or format character
 * (anything white space does not separate) is refused, not cleaned: it is not what the person meant.
 */
export function parseAccountList(text: string): AccountList {
  const accounts: string[] = [];
  const refused: AccountList['refused'] = [];
  const seen = new Set<string>();
  for (const entry of text.split(SEPARATORS)) {
    if (entry === '' || seen.has(entry)) continue;
    seen.add(entry);
    const problem = checkAccount(entry);
    if (problem) refused.push({ account: entry, problem });
    else accounts.push(entry);
  }
  return { accounts, refused };
}
