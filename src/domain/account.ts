/** Why a SIP account name was refused; the caller turns it into a message for a person. */
export type AccountProblem = 'empty' | 'too_short' | 'too_long' | 'bad_characters';

export const ACCOUNT_MIN_LENGTH = 4;
export const ACCOUNT_MAX_LENGTH = 32;

/** Accounts are 4-32 characters (the vendor's rule), with no white space or control characters. */
export function checkAccount(account: string): AccountProblem | undefined {
  if (account.length === 0) return 'empty';
  // Counted in code points, as a person counts characters.
  const length = [...account].length;
  if (/[\s\p{Cc}\p{Cf}]/u.test(account)) return 'bad_characters';
  if (length < ACCOUNT_MIN_LENGTH) return 'too_short';
  if (length > ACCOUNT_MAX_LENGTH) return 'too_long';
  return undefined;
}
