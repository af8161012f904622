import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { VoiceApp } from '../../config.js';
import type { Messages } from '../../i18n/index.js';
import type { ResetRequest } from '../../domain/request.js';
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

export function resetModal(
  t: Messages,
  options: { apps: readonly VoiceApp[]; account?: string; metadata: ResetModalMetadata },
): ModalView {
  const appOptions: PlainTextOption[] = options.apps.map((app) => ({
    text: plain(clip(app.label, LIMITS.option)),
    value: app.appId,
  }));
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: BLOCK.account,
      label: plain(t.accountLabel),
      hint: plain(t.accountHint),
      element: {
        type: 'plain_text_input',
        action_id: INPUT_ACTION,
        max_length: 64,
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
    submit: plain(t.modalSubmit),
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
