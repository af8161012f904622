import type { Button, KnownBlock } from '@slack/types';
import type { Messages } from '../../i18n/index.js';
import type { Approval, ResetRequest } from '../../domain/request.js';
import type { Phone } from '../../domain/directory.js';
import { ACTION } from '../ids.js';
import { accountWithPhone, phoneLabel, type PhoneLabel } from './phones.js';
import {
  LIMITS,
  channelMention,
  clip,
  escapeMrkdwn,
  escapeWithin,
  mrkdwnSubject,
  slackDate,
  userMention,
} from './format.js';

/** A message body: `text` is the notification fallback, `blocks` what the client shows. */
export interface SlackMessage {
  text: string;
  blocks?: KnownBlock[];
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

const header = (text: string): KnownBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(text, LIMITS.header) },
});

/** A button, its text clipped to Slack's limit: the messages' and the Home tab's. */
export const button = (
  text: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger',
): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: clip(text, LIMITS.button) },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

/** A plain notice: one mrkdwn section, the same text as its fallback. */
export function notice(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/**
 * The new password, for an ephemeral message only. The fallback text leaves it out, so it never
 * shows in a notification; the preformatted block makes it easy to copy exactly.
 */
export function passwordMessage(
  t: Messages,
  /** `repeated`: an earlier attempt timed out, and Slack may have shown that copy too. */
  options: { account: string; appLabel: string; password: string; repeated?: boolean },
): SlackMessage {
  const [account, app] = mrkdwnSubject(options, options.appLabel);
  return {
    text: t.passwordReadyText(account),
    blocks: [
      header(t.passwordHeader),
      section(t.passwordIntro(account, app)),
      ...(options.repeated
        ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: t.passwordRepeated }] }]
        : []),
      {
        type: 'rich_text',
        elements: [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text: options.password }] }],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: t.passwordFooter }] },
      { type: 'actions', elements: [button(t.passwordRemoveButton, ACTION.removePassword, 'remove')] },
    ],
  };
}

/** The requester's private note that a request waits for approval, with a way to withdraw it. */
export function pendingNotice(
  t: Messages,
  options: { request: ResetRequest; appLabel: string; approvalChannel: string },
): SlackMessage {
  const [account, app] = mrkdwnSubject(options.request, options.appLabel);
  const text = t.pendingNotice(
    account,
    app,
    channelMention(options.approvalChannel),
    slackDate(options.request.expiresAt, t.dateFormat),
  );
  return {
    text,
    blocks: [
      section(text),
      { type: 'actions', elements: [button(t.cancelButton, ACTION.cancel, options.request.id)] },
    ],
  };
}

/** Slack's limit for a section's text. */
const SECTION_TEXT_MAX = LIMITS.sectionText;
/** A reason, escaped, with room left in its section for the field's name. */
const REASON_MAX = LIMITS.sectionText - 100;

/**
 * Joins lines, leaving out those past `max` characters and marking the cut with `…`: a cut inside
 * a line would break a date token or an escape, which Slack would show raw.
 */
function wholeLinesWithin(lines: readonly string[], max: number): string {
  let text = '';
  for (const line of lines) {
    const next = text ? `${text}\n${line}` : line;
    if (next.length > max - 2) return text ? `${text}\n…` : clip(line, max);
    text = next;
  }
  return text;
}

/** `/sip-reset status`: the person's open requests, one line each, within one section. */
export function statusMessage(
  t: Messages,
  options: {
    requests: readonly ResetRequest[];
    appLabel: (appId: string) => string;
    /** The phone of each request's account, from the phone directory: shown beside it. */
    phoneOf?: (request: ResetRequest) => PhoneLabel | undefined;
  },
): SlackMessage {
  if (options.requests.length === 0) return notice(t.statusNone);
  const lines = options.requests.map((request) => {
    const [bare, app] = mrkdwnSubject(request, options.appLabel(request.appId));
    const account = accountWithPhone(t, bare, options.phoneOf?.(request));
    const date = (ms: number | null) => slackDate(ms ?? request.updatedAt, t.dateFormat);
    const state =
      request.status === 'pending'
        ? t.statusOpen.pending(date(request.expiresAt))
        : request.status === 'approved'
          ? t.statusOpen.approved(date(request.grantExpiresAt))
          : t.statusOpen.resetting(date(request.resetStartedAt));
    return t.statusLine(account, app, state);
  });
  return notice(wholeLinesWithin([t.statusHeader, ...lines], SECTION_TEXT_MAX));
}

/** The line that says where a decided request ended up, for the approval channel. */
export function outcomeLine(t: Messages, request: ResetRequest): string | undefined {
  const date = (ms: number | null) => slackDate(ms ?? request.updatedAt, t.dateFormat);
  switch (request.status) {
    case 'pending':
      return undefined;
    case 'approved':
      return t.outcome.approved(
        request.decidedBy ? userMention(request.decidedBy) : '?',
        date(request.decidedAt),
      );
    case 'resetting':
      return t.outcome.resetting(date(request.resetStartedAt));
    case 'delivering':
      return t.outcome.delivering(date(request.finishedAt));
    case 'completed':
      return t.outcome.completed(date(request.finishedAt));
    case 'undelivered':
      return t.outcome.undelivered(date(request.finishedAt));
    case 'denied': {
      const line = t.outcome.denied(
        request.decidedBy ? userMention(request.decidedBy) : '?',
        date(request.decidedAt),
      );
      return request.denyReason ? `${line}\n${t.denyReasonLine(escapeMrkdwn(request.denyReason))}` : line;
    }
    case 'expired':
      return t.outcome.expired(date(request.updatedAt));
    case 'cancelled':
      // A failureCode on a cancelled request is why the app withdrew it (WithdrawalReason).
      return request.failureCode
        ? t.outcome.withdrawn(date(request.updatedAt))
        : t.outcome.cancelled(date(request.updatedAt));
    case 'failed':
      return t.outcome.failed(date(request.finishedAt), escapeMrkdwn(request.failureCode ?? '?'));
    case 'outcome_unknown':
      return t.outcome.outcome_unknown(date(request.finishedAt));
  }
}

/**
 * The approval channel's message for a request, drawn from its state: buttons while it is pending,
 * the outcome once it is not. Never holds a password (the request does not have one).
 */
export function approvalMessage(
  t: Messages,
  options: {
    request: ResetRequest;
    appLabel: string;
    approvals: readonly Approval[];
    protectedAccount: boolean;
    /** The phone's name and group, from the phone directory. */
    phone?: Pick<Phone, 'phoneName' | 'groupName'>;
    /** The phone directory could not check the account (stale or failed). */
    accountUnchecked?: boolean;
  },
): SlackMessage {
  const { request, approvals } = options;
  const [account, app] = mrkdwnSubject(request, options.appLabel);
  const label = phoneLabel(t, options.phone);
  const f = t.approvalFields;
  const names = approvals.map((a) => userMention(a.approverId)).join(', ');
  const blocks: KnownBlock[] = [
    header(t.approvalHeader),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*${f.requester}*\n${userMention(request.requesterId)}` },
        {
          type: 'mrkdwn',
          text: `*${f.account}*\n${account}${label ? `\n${label}` : ''}`,
        },
        { type: 'mrkdwn', text: `*${f.app}*\n${app}` },
        {
          type: 'mrkdwn',
          text: `*${f.approvals}*\n${t.approvalsCount(approvals.length, request.requiredApprovals, names)}`,
        },
        { type: 'mrkdwn', text: `*${f.requested}*\n${slackDate(request.createdAt, t.dateFormat)}` },
        { type: 'mrkdwn', text: `*${f.expires}*\n${slackDate(request.expiresAt, t.dateFormat)}` },
      ],
    },
    section(`*${f.reason}*\n${request.reason ? escapeWithin(request.reason, REASON_MAX) : t.noReason}`),
  ];
  if (options.protectedAccount)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: t.protectedNote }] });
  if (options.accountUnchecked)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: t.phoneDirectory.unchecked }] });
  const outcome = outcomeLine(t, request);
  if (outcome) {
    blocks.push(section(outcome));
  } else {
    blocks.push({
      type: 'actions',
      elements: [
        button(t.approveButton, ACTION.approve, request.id, 'primary'),
        button(t.denyButton, ACTION.deny, request.id, 'danger'),
      ],
    });
  }
  return { text: `${t.approvalHeader}: ${account} (${app})`, blocks };
}

/**
 * The requester's DM after approval: the button that runs the reset while they are present, or,
 * once used or expired, what happened. Holds no secret.
 */
export function grantMessage(
  t: Messages,
  options: {
    request: ResetRequest;
    appLabel: string;
    approvedBy: readonly string[];
    /** The phone's name and group, from the phone directory: shown beside its account. */
    phone?: PhoneLabel;
  },
): SlackMessage {
  const { request } = options;
  const [bare, app] = mrkdwnSubject(request, options.appLabel);
  const account = accountWithPhone(t, bare, options.phone);
  switch (request.status) {
    case 'approved': {
      const by = options.approvedBy.map(userMention).join(', ') || '?';
      const text = t.grantBody(
        account,
        app,
        by,
        slackDate(request.grantExpiresAt ?? request.updatedAt, t.dateFormat),
      );
      return {
        text: t.grantText(account),
        blocks: [
          section(text),
          { type: 'actions', elements: [button(t.grantButton, ACTION.claim, request.id, 'primary')] },
        ],
      };
    }
    case 'completed':
      return notice(
        t.grantCompleted(account, app, slackDate(request.finishedAt ?? request.updatedAt, t.dateFormat)),
      );
    case 'expired':
      return notice(t.grantExpired(account, app));
    case 'outcome_unknown':
      return notice(t.interruptedNotice(account, app));
    case 'undelivered':
      return notice(
        request.failureCode === 'interrupted'
          ? t.undeliveredNotice(account, app)
          : t.passwordUndeliverable(account, app),
      );
    default:
      return notice(t.grantUnusable(account, app));
  }
}
