import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { VoiceApp } from '../../config.js';
import type { Messages } from '../../i18n/index.js';
import type { ResetRequest } from '../../domain/request.js';
import type { FormOutlook } from '../../domain/policy.js';
import { ACCOUNT_MAX_LENGTH } from '../../domain/account.js';
import { BLOCK, INPUT_ACTION, VIEW } from '../ids.js';
import { LIMITS, clip, escapeMrkdwn, userMention } from './format.js';

const plain = (text: string) => ({ type: 'plain_text' as const, text });

/** What the reset modal carries from the command to its submission. */
export interface ResetModalMetadata {
  /** The command's response_url: the first way back to the requester, privately. */
  responseUrl?: string;
  /** The channel the command was typed in: the second way, with chat.postEphemeral. */
  channelId?: string;
}

/**
 * The reset form. It says first what submitting will do for this person (`outlook`: a reset at
 * once, a request for approval, or, when that depends on the account they type, both cases), and its
 * submit button is named after it: a form that kills a password says so before the click.
 */
export function resetModal(
  t: Messages,
  options: {
    apps: readonly VoiceApp[];
    account?: string;
    metadata: ResetModalMetadata;
    outlook: FormOutlook;
  },
): ModalView {
  const appOptions: PlainTextOption[] = options.apps.map((app) => ({
    text: plain(clip(app.label, LIMITS.option)),
    value: app.appId,
  }));
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: t.modalOutlook[options.outlook] } },
    {
      type: 'input',
      block_id: BLOCK.account,
      label: plain(t.accountLabel),
      hint: plain(t.accountHint),
      element: {
        type: 'plain_text_input',
        action_id: INPUT_ACTION,
        // As ITNIO's accounts: a longer one is refused as the person types, not after submitting.
        max_length: ACCOUNT_MAX_LENGTH,
        ...(options.account ? { initial_value: options.account } : {}),
      },
    },
  ];
  if (options.apps.length > 1) {
    blocks.push({
      type: 'input',
      block_id: BLOCK.app,
      label: plain(t.appLabel),
      element: { type: 'static_select', action_id: INPUT_ACTION, options: appOptions },
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
      max_length: 500,
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

export function denyReasonModal(t: Messages, request: ResetRequest): ModalView {
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
        element: { type: 'plain_text_input', action_id: INPUT_ACTION, multiline: true, max_length: 500 },
      },
    ],
  };
}
