import type { ViewStateValue } from '@slack/bolt';
import { ACCOUNT_PICKER_PREFIX, ACTION, BLOCK, INPUT_ACTION } from './ids.js';

type StateValues = Record<string, Record<string, ViewStateValue>>;

/** What the reset form holds at a submission or a click inside it. */
export interface FormState {
  /** The account typed, or the phone picked; '' when none. */
  account: string;
  /** The block the account field is in: `account` (free text) or a picker's `account_phone:<appId>`. */
  accountBlock: string;
  /** The voice application the picker searched, when the account field is a picker. */
  pickerAppId?: string;
  /** The voice application chosen in the form, when it has an app select and one is chosen. */
  chosenAppId?: string;
}

/**
 * Reads the reset form's state: the account from its free-text field (`value`) or its picker
 * (`selected_option`), and the chosen voice application from the app select, whichever action ID
 * it has (it dispatches the choice when the form keeps a picker).
 */
export function readFormState(values: StateValues | undefined): FormState {
  const blocks = values ?? {};
  const pickerBlock = Object.keys(blocks).find((id) => id.startsWith(ACCOUNT_PICKER_PREFIX));
  const app = blocks[BLOCK.app];
  const chosenAppId = (app?.[ACTION.appChosen] ?? app?.[INPUT_ACTION])?.selected_option?.value;
  if (pickerBlock) {
    const picked = blocks[pickerBlock]?.[INPUT_ACTION]?.selected_option?.value;
    return {
      account: typeof picked === 'string' ? picked.trim() : '',
      accountBlock: pickerBlock,
      pickerAppId: pickerBlock.slice(ACCOUNT_PICKER_PREFIX.length),
      ...(typeof chosenAppId === 'string' ? { chosenAppId } : {}),
    };
  }
  const typed = blocks[BLOCK.account]?.[INPUT_ACTION]?.value;
  return {
    account: typeof typed === 'string' ? typed.trim() : '',
    accountBlock: BLOCK.account,
    ...(typeof chosenAppId === 'string' ? { chosenAppId } : {}),
  };
}
