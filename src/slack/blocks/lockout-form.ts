import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { VoiceApp } from '../../config/index.js';
import type { Texts } from '../../i18n/index.js';
import { BLOCK, INPUT_ACTION, VIEW, accountPickerBlock } from '../platform/ids.js';
import { LIMITS, clip } from './format.js';

/**
 * The most characters of the pasted list: Slack's own maximum for a plain_text_input, some 500
 * accounts. More phones than that are "every phone of a voice application", or several lock-outs.
 */
export const PASTED_LIST_MAX = 3_000;
/** The most characters of a lock-out's reason, as a reset request's. */
export const LOCKOUT_REASON_MAX = 500;
/** Slack sends a block_suggestion from the first character typed (its default is three). */
const PICKER_MIN_QUERY = 1;

const plain = (text: string) => ({ type: 'plain_text' as const, text });

const appOptions = (apps: readonly VoiceApp[]): PlainTextOption[] =>
  apps.map((app) => ({ text: plain(clip(app.label, LIMITS.option)), value: app.appId }));

/** A voice application's phones, picked several at a time from the directory (options/ answers it). */
function pickerInput(t: Texts, app: VoiceApp): InputBlock {
  return {
    type: 'input',
    block_id: accountPickerBlock(app.appId),
    optional: true,
    label: plain(t.lockoutForm.pickerLabel(clip(app.label, LIMITS.appLabel))),
    hint: plain(t.lockoutForm.pickerHint),
    element: {
      type: 'multi_external_select',
      action_id: INPUT_ACTION,
      min_query_length: PICKER_MIN_QUERY,
      placeholder: plain(t.lockoutForm.pickerPlaceholder),
    },
  };
}

/**
 * The lock-out form (`/sip-reset lockout`). What to lock out, in any of three ways: phones picked
 * from the phone directory (a picker per voice application it lists phones of: each block names its
 * application, so a block_suggestion says what to search, bolt-js#1146), a pasted list of accounts
 * (with, for several voice applications, the one they are of), or every phone the directory lists
 * for one voice application; then the reason, required. Built once when it opens: nothing in it
 * depends on another field, so no choice redraws it.
 */
export function lockoutFormModal(
  t: Texts,
  options: {
    apps: readonly VoiceApp[];
    /** The voice applications whose phones are picked from the phone directory (none when it is off). */
    pickers: readonly VoiceApp[];
    /** The voice applications the phone directory lists phones of: "every phone of" offers them. */
    wholeApps: readonly VoiceApp[];
  },
): ModalView {
  const text = t.lockoutForm;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: text.intro } },
    ...options.pickers.map((app) => pickerInput(t, app)),
    {
      type: 'input',
      block_id: BLOCK.lockoutAccounts,
      optional: true,
      label: plain(text.pastedLabel),
      hint: plain(text.pastedHint),
      element: {
        type: 'plain_text_input',
        action_id: INPUT_ACTION,
        multiline: true,
        max_length: PASTED_LIST_MAX,
        placeholder: plain(text.pastedPlaceholder),
      },
    },
  ];
  if (options.apps.length > 1) {
    blocks.push({
      type: 'input',
      block_id: BLOCK.lockoutApp,
      optional: true,
      label: plain(text.pastedAppLabel),
      element: { type: 'static_select', action_id: INPUT_ACTION, options: appOptions(options.apps) },
    });
  }
  if (options.wholeApps.length > 0) {
    blocks.push({
      type: 'input',
      block_id: BLOCK.lockoutWholeApp,
      optional: true,
      label: plain(text.wholeAppLabel),
      hint: plain(text.wholeAppHint),
      element: { type: 'static_select', action_id: INPUT_ACTION, options: appOptions(options.wholeApps) },
    });
  }
  blocks.push({
    type: 'input',
    block_id: BLOCK.lockoutReason,
    label: plain(text.reasonLabel),
    hint: plain(text.reasonHint),
    element: {
      type: 'plain_text_input',
      action_id: INPUT_ACTION,
      multiline: true,
      max_length: LOCKOUT_REASON_MAX,
      placeholder: plain(text.reasonPlaceholder),
    },
  });
  return {
    type: 'modal',
    callback_id: VIEW.lockout,
    title: plain(text.title),
    submit: plain(text.submit),
    close: plain(text.close),
    blocks,
  };
}
