import type { Button, ConfirmationDialog, KnownBlock } from '@slack/types';
import type { Texts } from '../../i18n/index.js';
import type { Approval, ResetRequest } from '../../domain/request.js';
import type { Phone } from '../../domain/directory.js';
import { ACTION } from '../platform/ids.js';
import { accountWithPhone, phoneLabel, type PhoneLabel } from './phones.js';
import {
  LIMITS,
  channelMention,
  principalMention,
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

/**
 * A button, its text clipped to Slack's limit: the messages' and the Home tab's. `label` is what a
 * screen reader says instead of the text (the request it acts on), `confirm` Slack's dialog before
 * a click that cannot be taken back. Only Approve and "Reset now" are `primary`; nothing here is
 * `danger`, which Slack keeps for what destroys (Deny opens a form, Cancel withdraws a request).
 */
export const button = (
  text: string,
  actionId: string,
  value: string,
  extras: { style?: 'primary'; label?: string; confirm?: ConfirmationDialog } = {},
): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: clip(text, LIMITS.button) },
  action_id: actionId,
  value,
  ...(extras.style ? { style: extras.style } : {}),
  ...(extras.label ? { accessibility_label: clip(extras.label, LIMITS.accessibilityLabel) } : {}),
  ...(extras.confirm ? { confirm: extras.confirm } : {}),
});

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: clip(text, max) });

/** Slack's confirmation dialog, within its documented limits (PLATFORM.md). */
export function confirmation(title: string, text: string, confirm: string, deny: string): ConfirmationDialog {
  return {
    title: plain(title, LIMITS.confirmTitle),
    text: plain(text, LIMITS.confirmText),
    confirm: plain(confirm, LIMITS.confirmButton),
    deny: plain(deny, LIMITS.confirmButton),
  };
}

/** "Reset now and show password": the dialog names the account and says the old password dies. */
export function claimButton(t: Texts, request: ResetRequest, appLabel: string): Button {
  // Escaped as everywhere: Slack reads entities in plain text too, and a typed `<!here>` stays inert.
  const [account, app] = mrkdwnSubject(request, appLabel);
  // After a lock-out, its owner's: the same action, named for what they came for.
  if (request.lockoutId !== null) {
    const r = t.lockoutRun;
    return button(r.getPasswordButton, ACTION.claim, request.id, {
      style: 'primary',
      label: r.getPasswordLabel(account, app),
      confirm: confirmation(
        r.getPasswordTitle,
        r.getPasswordText(account, app),
        r.getPasswordButton,
        t.confirm.back,
      ),
    });
  }
  return button(t.grantButton, ACTION.claim, request.id, {
    style: 'primary',
    label: t.accessibility.claim(account, app),
    confirm: confirmation(
      t.confirm.claimTitle,
      t.confirm.claim(account, app),
      t.confirm.claimButton,
      t.confirm.back,
    ),
  });
}

/**
 * Approve, in the channel and on the Home tab: named for screen readers, and on a protected
 * account behind a dialog that names it and says its old password will stop working.
 */
export function approveButton(
  t: Texts,
  request: ResetRequest,
  appLabel: string,
  protectedAccount: boolean,
): Button {
  const [account, app] = mrkdwnSubject(request, appLabel);
  return button(t.approveButton, ACTION.approve, request.id, {
    style: 'primary',
    label: t.accessibility.approve(account, app),
    ...(protectedAccount
      ? {
          confirm: confirmation(
            t.confirm.approveTitle,
            t.confirm.approve(account, app),
            t.confirm.approveButton,
            t.confirm.back,
          ),
        }
      : {}),
  });
}

export function denyButton(t: Texts, request: ResetRequest, appLabel: string): Button {
  return button(t.denyButton, ACTION.deny, request.id, {
    label: t.accessibility.deny(...mrkdwnSubject(request, appLabel)),
  });
}

export function cancelButton(t: Texts, request: ResetRequest, appLabel: string): Button {
  return button(t.cancelButton, ACTION.cancel, request.id, {
    label: t.accessibility.cancel(...mrkdwnSubject(request, appLabel)),
  });
}

/** Why a request ended without a reset, in the reader's words; a code this version does not know reads as such. */
export function failureWords(t: Texts, code: string | null): string {
  return (code !== null && (t.failureReasons as Record<string, string>)[code]) || t.failureReasonOther;
}

/** A plain notice: one mrkdwn section, the same text as its fallback. */
export function notice(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/**
 * The new password, for an ephemeral message only. The fallback text leaves it out, so it never
 * shows in a notification; the preformatted block makes it easy to copy exactly.
 */
export function passwordMessage(
  t: Texts,
  /** `repeated`: an earlier attempt timed out, and Slack may have shown that copy too. */
  options: { account: string; appLabel: string; password: string; repeated?: boolean },
): SlackMessage {
  const [account, app] = mrkdwnSubject(options, options.appLabel);
  return {
    text: t.passwordReadyText(account, app),
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
  t: Texts,
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
      { type: 'actions', elements: [cancelButton(t, options.request, options.appLabel)] },
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
  t: Texts,
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
export function outcomeLine(t: Texts, request: ResetRequest): string | undefined {
  const date = (ms: number | null) => slackDate(ms ?? request.updatedAt, t.dateFormat);
  switch (request.status) {
    case 'pending':
      return undefined;
    case 'approved':
      return t.outcome.approved(
        request.decidedBy ? userMention(request.decidedBy) : '?',
        date(request.decidedAt),
        date(request.grantExpiresAt),
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
        ? t.outcome.withdrawn(date(request.updatedAt), failureWords(t, request.failureCode))
        : t.outcome.cancelled(date(request.updatedAt));
    case 'failed':
      return t.outcome.failed(date(request.finishedAt), failureWords(t, request.failureCode));
    case 'outcome_unknown':
      return t.outcome.outcome_unknown(date(request.finishedAt));
  }
}

/**
 * The approval channel's message for a request, drawn from its state: what an approver needs to
 * decide (whose phone, who asks, why, what Approve does, until when), with the buttons while it is
 * pending and the outcome once it is not. Its `text`, which notifications and screen readers read,
 * says the same. Never holds a password (the request does not have one).
 */
export function approvalMessage(
  t: Texts,
  options: {
    request: ResetRequest;
    appLabel: string;
    approvals: readonly Approval[];
    protectedAccount: boolean;
    /** The phone's name and group, from the phone directory. */
    phone?: Pick<Phone, 'phoneName' | 'groupName'>;
    /** The phone directory could not check the account (stale or failed). */
    accountUnchecked?: boolean;
    /** Its owners, from the owners file: whose phone it is. */
    owners?: readonly string[];
    /** Who may approve (users and user groups), named while it waits. */
    approvers?: readonly string[];
    /** How long the requester's button lasts once approved (SIP_RESET_GRANT_TTL_MINUTES). */
    grantTtlMinutes?: number;
  },
): SlackMessage {
  const { request, approvals } = options;
  const [account, app] = mrkdwnSubject(request, options.appLabel);
  const label = phoneLabel(t, options.phone);
  const f = t.approvalFields;
  const date = (ms: number) => slackDate(ms, t.dateFormat);
  const requester = userMention(request.requesterId);
  const names = approvals.map((a) => userMention(a.approverId)).join(t.listSeparator);
  const owners = (options.owners ?? []).map(userMention).join(t.listSeparator);
  const reason = request.reason ? escapeWithin(request.reason, REASON_MAX) : t.noReason;
  const pending = request.status === 'pending';
  const field = (name: string, value: string) => ({ type: 'mrkdwn' as const, text: `*${name}*\n${value}` });
  // Once approved, the deadline that applies is the requester's, not the request's old expiry;
  // once over, none does.
  const deadline =
    request.status === 'approved' && request.grantExpiresAt !== null
      ? [field(f.resetBy, date(request.grantExpiresAt))]
      : pending
        ? [field(f.expires, date(request.expiresAt))]
        : [];
  const blocks: KnownBlock[] = [
    header(t.approvalHeader),
    {
      type: 'section',
      fields: [
        field(f.requester, requester),
        field(f.account, `${account}${label ? `\n${label}` : ''}`),
        ...(owners ? [field(f.owner, owners)] : []),
        field(f.app, app),
        field(f.approvals, t.approvalsCount(approvals.length, request.requiredApprovals, names)),
        field(f.requested, date(request.createdAt)),
        ...deadline,
      ],
    },
    section(`*${f.reason}*\n${reason}`),
  ];
  const context = (text: string) => blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
  if (options.protectedAccount) context(t.protectedNote);
  if (options.accountUnchecked) context(t.phoneDirectory.unchecked);
  const duration = t.duration(options.grantTtlMinutes ?? 0);
  const effect = options.protectedAccount
    ? t.approveEffectProtected(request.requiredApprovals, requester, duration)
    : t.approveEffect(requester, duration);
  const approvers = (options.approvers ?? []).map(principalMention).join(t.listSeparator);
  const outcome = outcomeLine(t, request);
  if (pending) {
    context(approvers ? `${effect}\n${t.approversLine(approvers)}` : effect);
    blocks.push({
      type: 'actions',
      elements: [
        approveButton(t, request, options.appLabel, options.protectedAccount),
        denyButton(t, request, options.appLabel),
      ],
    });
  } else if (outcome) {
    blocks.push(section(outcome));
  }
  // Whose phone, and whether it could be checked, as the blocks say: an approver may decide from the notification.
  const sentences = [
    t.approvalSummary(requester, label ? t.phoneDirectory.withPhone(account, label) : account, app, reason),
    ...(owners ? [t.approvalOwner(owners)] : []),
    ...(options.accountUnchecked ? [t.phoneDirectory.unchecked] : []),
    ...(pending ? [t.approvalWaiting(date(request.expiresAt)), effect] : outcome ? [outcome] : []),
  ];
  return { text: sentences.join(t.sentenceSeparator), blocks };
}

/**
 * The requester's DM after approval: the button that runs the reset while they are present, or,
 * once used or expired, what happened. Holds no secret.
 */
export function grantMessage(
  t: Texts,
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
      const until = slackDate(request.grantExpiresAt ?? request.updatedAt, t.dateFormat);
      if (request.lockoutId !== null) {
        const text = t.lockoutRun.ownerBody(account, app, escapeWithin(request.reason, 500), until);
        return {
          text,
          blocks: [section(text), { type: 'actions', elements: [claimButton(t, request, options.appLabel)] }],
        };
      }
      // A request that needed no approval (a workflow step's, for the helpdesk or an owner) names no approver.
      const text =
        request.requiredApprovals === 0
          ? t.grantBodyDirect(account, app, until)
          : t.grantBody(
              account,
              app,
              options.approvedBy.map(userMention).join(t.listSeparator) || '?',
              until,
            );
      return {
        text,
        blocks: [section(text), { type: 'actions', elements: [claimButton(t, request, options.appLabel)] }],
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
