import type { ViewStateValue } from '@slack/bolt';
import { ACCOUNT_PICKER_PREFIX, BLOCK, INPUT_ACTION } from './ids.js';

type StateValues = Record<string, Record<string, ViewStateValue>>;

/** What the lock-out form holds at its submission, as Slack sends it back (untrusted, not yet checked). */
export interface LockoutFormState {
  /** The phones picked, per voice application (its picker's block), in the order picked. */
  picked: Array<{ appId: string; account: string }>;
  /** The pasted list, as typed. */
  pasted: string;
  /** The voice application of the pasted list, when the form asks for it (several are configured). */
  pastedAppId?: string;
  /** "Every phone of voice application X", when chosen. */
  wholeAppId?: string;
  reason: string;
}

/**
 * Reads the lock-out form's state: each account_phone:<appId> picker's selected_options, the pasted
 * list, the voice application selects and the reason. What is missing or of another shape reads
 * as empty: the submission's checks say what is wrong.
 */
export function readLockoutForm(values: StateValues | undefined): LockoutFormState {
  const blocks = values ?? {};
  const input = (blockId: string) => blocks[blockId]?.[INPUT_ACTION];
  const text = (blockId: string) => {
    const value = input(blockId)?.value;
    return typeof value === 'string' ? value : '';
  };
  const chosen = (blockId: string) => {
    const value = input(blockId)?.selected_option?.value;
    return typeof value === 'string' && value ? value : undefined;
  };
  const picked = Object.keys(blocks)
    .filter((id) => id.startsWith(ACCOUNT_PICKER_PREFIX))
    .flatMap((id) => {
      const appId = id.slice(ACCOUNT_PICKER_PREFIX.length);
      const options = input(id)?.selected_options;
      return (Array.isArray(options) ? options : [])
        .map((option) => option?.value)
        .filter((account): account is string => typeof account === 'string')
        .map((account) => ({ appId, account }));
    });
  const pastedAppId = chosen(BLOCK.lockoutApp);
  const wholeAppId = chosen(BLOCK.lockoutWholeApp);
  return {
    picked,
    pasted: text(BLOCK.lockoutAccounts),
    ...(pastedAppId ? { pastedAppId } : {}),
    ...(wholeAppId ? { wholeAppId } : {}),
    reason: text(BLOCK.lockoutReason).trim(),
  };
}
