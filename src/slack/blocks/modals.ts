import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { VoiceApp } from '../../config/index.js';
import type { Texts } from '../../i18n/index.js';
import type { Phone } from '../../domain/directory.js';
import type { ResetRequest } from '../../domain/request.js';
import type { FormOutlook } from '../../domain/policy.js';
import { ACCOUNT_MAX_LENGTH } from '../../domain/account.js';
import { ACTION, BLOCK, INPUT_ACTION, VIEW, accountPickerBlock } from '../platform/ids.js';
import type { ResetModalMetadata } from '../platform/modal-metadata.js';
import { LIMITS, clip, escapeMrkdwn, userMention } from './format.js';
import { phoneOption } from './phones.js';

const plain = (text: string) => ({ type: 'plain_text' as const, text });

/**
 * The account field: free text, or, when the phone directory lists phones of the chosen voice
 * application, a picker of them (an external_select whose options the app answers from the database).
 */

/** The most characters of a reason (a request's, a denial's): the form's fields hold no more, nor does a workflow step's. */
export const REASON_MAX_LENGTH = 500;
export type AccountField =
  { kind: 'text'; account?: string } | { kind: 'picker'; appId: string; appLabel: string; picked?: Phone };

/** Slack sends a block_suggestion from the first character typed (its default is three). */
const PICKER_MIN_QUERY = 1;

function accountInput(t: Texts, field: AccountField, severalApps: boolean): InputBlock {
  if (field.kind === 'picker') {
    const initial = field.picked ? phoneOption(t, field.picked) : undefined;
    return {
      type: 'input',
      block_id: accountPickerBlock(field.appId),
      label: plain(t.accountLabel),
      hint: plain(t.phoneDirectory.pickerHint(clip(field.appLabel, LIMITS.appLabel))),
      element: {
        type: 'external_select',
        action_id: INPUT_ACTION,
        min_query_length: PICKER_MIN_QUERY,
        placeholder: plain(t.phoneDirectory.pickerPlaceholder),
        ...(initial ? { initial_option: initial } : {}),
      },
    };
  }
  return {
    type: 'input',
    block_id: BLOCK.account,
    label: plain(t.accountLabel),
    hint: plain(severalApps ? t.phoneDirectory.chooseAppFirst : t.accountHint),
    element: {
      type: 'plain_text_input',
      action_id: INPUT_ACTION,
      // As ITNIO's accounts: a longer one is refused as the person types, not after submitting.
      max_length: ACCOUNT_MAX_LENGTH,
      ...(field.account ? { initial_value: field.account } : {}),
    },
  };
}

/**
 * The reset form. It says first what submitting will do for this person (`outlook`: a reset at
 * once, a request for approval, or, when that depends on the account they type, both cases), and its
 * submit button is named after it: a form that kills a password says so before the click.
 */
export function resetModal(
  t: Texts,
  options: {
    apps: readonly VoiceApp[];
    account?: string;
    metadata: ResetModalMetadata;
    outlook: FormOutlook;
    /** The account field (default: free text, with `account`). */
    accountField?: AccountField;
    /** The voice application chosen, when there are several and one is. */
    appId?: string;
    /**
     * With several voice applications and a phone directory, choosing one rebuilds the form (its
     * account field picks from that application's phones): the app select dispatches the choice.
     */
    dispatchAppChoice?: boolean;
  },
): ModalView {
  const appOptions: PlainTextOption[] = options.apps.map((app) => ({
    text: plain(clip(app.label, LIMITS.option)),
    value: app.appId,
  }));
  const field = options.accountField ?? { kind: 'text', account: options.account };
  const severalApps = options.apps.length > 1;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: t.modalOutlook[options.outlook] } },
    accountInput(t, field, severalApps && Boolean(options.dispatchAppChoice) && field.kind === 'text'),
  ];
  if (severalApps) {
    const chosen = appOptions.find((option) => option.value === options.appId);
    blocks.push({
      type: 'input',
      block_id: BLOCK.app,
      label: plain(t.appLabel),
      ...(options.dispatchAppChoice ? { dispatch_action: true } : {}),
      element: {
        type: 'static_select',
        action_id: options.dispatchAppChoice ? ACTION.appChosen : INPUT_ACTION,
        options: appOptions,
        ...(chosen ? { initial_option: chosen } : {}),
      },
    });
  }
  blocks.push({
    type: 'input',
    block_id: BLOCK.reason,
    optional: true,
    label: plain(t.reasonLabel),
    hint: plain(t.reasonHint),
    element: {
      type: 'plain_text_input',
      action_id: INPUT_ACTION,
      multiline: true,
      max_length: REASON_MAX_LENGTH,
      placeholder: plain(t.reasonPlaceholder),
    },
  });
  return {
    type: 'modal',
    callback_id: VIEW.resetRequest,
    title: plain(t.modalTitle),
    submit: plain(t.modalSubmit[options.outlook]),
    close: plain(t.modalClose),
    private_metadata: JSON.stringify(options.metadata),
    blocks,
  };
}

export function denyReasonModal(t: Texts, request: ResetRequest): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.denyReason,
    title: plain(t.denyModalTitle),
    submit: plain(t.denyModalSubmit),
    close: plain(t.modalClose),
    private_metadata: request.id,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: t.denyModalIntro(userMention(request.requesterId), escapeMrkdwn(request.account)),
        },
      },
      {
        type: 'input',
        block_id: BLOCK.denyReason,
        optional: true,
        label: plain(t.denyReasonLabel),
        element: {
          type: 'plain_text_input',
          action_id: INPUT_ACTION,
          multiline: true,
          max_length: REASON_MAX_LENGTH,
        },
      },
    ],
  };
}
