import type { DomainErrorCode, VendorFailureCode } from '../domain/errors.js';
import type { AccountProblem } from '../domain/account.js';
import type { AuditType, FinalStatus } from '../domain/lifecycle.js';
import type { WithdrawalReason } from '../domain/use-cases/decisions.js';
import type { FormOutlook } from '../domain/policy.js';

/** Why a request ended without a reset: the vendor's codes, the app's withdrawals, an interruption. */
export type FailureCode = VendorFailureCode | WithdrawalReason | 'interrupted';

/**
 * Every text a person sees, in English. Other catalogues implement the same type, so a missing key is
 * a compile error. Values that reach mrkdwn are already escaped by the caller (see blocks/format.ts);
 * `date` renders a Slack date token that each viewer sees in their own time zone.
 */
export const en = {
  /** Slack's date token format: https://api.slack.com/reference/surfaces/formatting#date-formatting */
  dateFormat: '{date_short_pretty} at {time}',
  /** Between the names of a list, and between sentences built from several texts. */
  listSeparator: ', ',
  sentenceSeparator: ' ',
  /** A length of time given in minutes, as the approval message says how long a button lasts. */
  duration: (minutes: number) =>
    minutes % 60 === 0
      ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}`
      : `${minutes} minute${minutes === 1 ? '' : 's'}`,

  help: (command: string) =>
    [
      `*${command}* resets the password of a SIP phone account.`,
      `• \`${command}\` opens a form. \`${command} 1001\` opens it with account 1001 filled in.`,
      '• Helpdesk agents and the owner of an account reset it at once. Anyone else asks for approval, and an approver decides in the approval channel.',
      '• The new password is shown only to you; its message has an *I have saved it: remove* button, and Slack drops it when you reload.',
      `• \`${command} status\` lists your open requests. \`${command} help\` shows this message.`,
      "• The app's Home tab lists your requests; approvers decide there too, and the helpdesk sees the latest resets.",
      `• Helpdesk agents: \`${command} history 1003\` shows what happened to account 1003 lately.`,
      `• Helpdesk agents: \`${command} directory\` refreshes the phone directory and says how many phones it lists.`,
    ].join('\n'),

  /** `/sip-reset status`: the person's open requests. */
  statusNone: 'You have no open reset requests.',
  statusHeader: 'Your open reset requests:',
  statusLine: (account: string, app: string, state: string) => `• *${account}* (${app}): ${state}`,
  statusOpen: {
    pending: (expires: string) => `waiting for approval, expires ${expires}`,
    approved: (until: string) =>
      `approved: at the phone, press *Reset now and show password* in your DM with the app before ${until}`,
    resetting: (since: string) => `being reset since ${since}`,
  },

  argumentTooLong: (command: string, length: number) =>
    `A SIP account has at most 32 characters, and that one has ${length}. Type \`${command}\` alone and enter the account in the form.`,

  modalTitle: 'SIP password reset',
  /** The form's submit button says what it will do for this person (at most 24 characters). */
  modalSubmit: {
    direct: 'Reset password now',
    approval: 'Send request',
    either: 'Reset or send request',
  } satisfies Record<FormOutlook, string>,
  /** Said at the top of the form, before the click: what submitting will do for this person. */
  modalOutlook: {
    direct:
      ':warning: *Reset password now* resets it at once: the old password stops working straight away, and the new one is shown to you alone.',
    approval:
      ':inbox_tray: *Send request* sends your request to the approvers. Nothing is reset until one approves and you press *Reset now and show password* at the phone.',
    either:
      ':information_source: If you own this phone, or are on the helpdesk, *Reset or send request* resets it at once: the old password stops working straight away. Otherwise, or for a protected account, it sends a request for approval, and nothing is reset before it is approved.',
  } satisfies Record<FormOutlook, string>,
  modalClose: 'Cancel',
  accountLabel: 'SIP account',
  accountHint: 'The phone account, 4 to 32 characters, for example 1001.',
  appLabel: 'Voice application',
  reasonLabel: "Reason (not needed for the helpdesk or the account's owner)",
  reasonHint: 'Say why, and whose phone it is: the approvers read it.',
  reasonPlaceholder: 'My desk phone lost its password after the move.',

  accountProblem: {
    empty: 'Enter the SIP account.',
    too_short: 'A SIP account has at least 4 characters.',
    too_long: 'A SIP account has at most 32 characters.',
    bad_characters: 'A SIP account has no spaces or control characters.',
  } satisfies Record<AccountProblem, string>,
  appUnknown: 'Choose one of the listed voice applications.',
  reasonRequired: 'This reset needs an approval: tell the approver why.',

  resetting: (account: string, app: string) =>
    `:hourglass_flowing_sand: Resetting the password of *${account}* (${app}). The new one will be shown to you alone in a moment.`,
  /**
   * The password message's notification and screen-reader text: never the password (DESIGN.md).
   * It says where the password is, so someone who hears only this text knows to read the message.
   */
  passwordReadyText: (account: string, app: string) =>
    `The new password of SIP account ${account} (${app}) is ready, in a message only you can see: read its code block to get it. The old password no longer works.`,
  passwordHeader: 'New SIP password',
  passwordIntro: (account: string, app: string) =>
    `Account *${account}* in *${app}*. The old password no longer works.`,
  /** Slack lets only the person remove an ephemeral message, with its own button (PLATFORM.md). */
  passwordFooter:
    ':lock: Only you can see this message, and Slack drops it when you reload. Once you have saved the password, press *I have saved it: remove* to remove it now.',
  passwordRemoveButton: 'I have saved it: remove',
  /** In a copy sent on another route after Slack did not answer in time: the first may have arrived. */
  passwordRepeated:
    ':repeat: This repeats an attempt Slack did not confirm in time, which may already have shown you this message: it is the same password.',

  unreachable: (account: string, app: string) =>
    `:warning: Slack would not let us show you a private message there, so *${account}* (${app}) was not reset. Try /sip-reset again from a channel the app is in, or from your DM with the app.`,
  unreachableGrant: (account: string, app: string) =>
    `:warning: Slack would not let us show you a private message, so *${account}* (${app}) was not reset. Your approval still stands: press *Reset now and show password* again in a minute.`,
  /** Every private route refused the password's message: it is gone (never stored). */
  passwordUndeliverable: (account: string, app: string) =>
    `:warning: The password of *${account}* (${app}) was changed, but the new one could not be shown to you: Slack refused every private message. It is kept nowhere, so type /sip-reset to get a new password at once.`,
  /** The process stopped with the password on its way: it may or may not have been shown. */
  undeliveredNotice: (account: string, app: string) =>
    `:warning: The password of *${account}* (${app}) was changed, but the app stopped before Slack confirmed it showed you the new one, and it is kept nowhere. If you did not receive it, type /sip-reset to get a new password at once.`,
  resetFailed: (account: string, app: string, why: string) =>
    `:x: The password of *${account}* (${app}) was not reset. ${why}`,
  resetUnknown: (account: string, app: string, why: string) =>
    `:warning: The reset of *${account}* (${app}) did not finish cleanly. ${why}`,
  /** Why ITNIO did not reset, for the person who asked; one text per failure code. */
  vendorFailures: {
    invalid_account:
      'A SIP account is 4 to 32 characters, with no spaces or control characters: check the account, then try again.',
    unknown_app:
      'That voice application is not set up in sip-reset, so nothing was reset. Choose another one, or tell the helpdesk.',
    auth_failed:
      "ITNIO did not accept sip-reset's credentials. Nothing was reset. Tell the helpdesk: an admin has to fix sip-reset's ITNIO settings (its log names the problem).",
    ip_restricted:
      "ITNIO refused to talk to the sip-reset server. Nothing was reset. Tell the helpdesk: an admin has to fix sip-reset's ITNIO settings (its log names the problem).",
    user_locked:
      "The company's ITNIO account is locked. Nothing was reset. Tell the helpdesk: an admin has to fix sip-reset's ITNIO settings (its log names the problem).",
    too_frequent:
      'ITNIO says there were too many requests, so nothing was reset. Wait a minute, then try again.',
    timestamp_expired:
      "ITNIO refused the request because the sip-reset server's clock is wrong. Nothing was reset. Tell the helpdesk: an admin has to fix sip-reset's ITNIO settings (its log names the problem).",
    system_error:
      'ITNIO reported a system error. The password may or may not have been reset. Check with the helpdesk before trying again.',
    parameter_error:
      'ITNIO did not accept this account or voice application, so nothing was reset. Check the account number and the voice application, then try again.',
    account_not_found:
      'There is no such SIP account in that voice application, so nothing was reset. Check the account number, then try again.',
    api_key_disabled:
      "sip-reset's ITNIO key is disabled. Nothing was reset. Tell the helpdesk: an admin has to fix sip-reset's ITNIO settings (its log names the problem).",
    ip_not_whitelisted:
      "The sip-reset server is not on ITNIO's list of allowed addresses. Nothing was reset. Tell the helpdesk: an admin has to fix sip-reset's ITNIO settings (its log names the problem).",
    no_app_permission:
      "sip-reset may not manage this voice application in ITNIO. Nothing was reset. Tell the helpdesk: an admin has to fix sip-reset's ITNIO settings (its log names the problem).",
    unknown_status:
      'ITNIO answered in a way sip-reset does not know. The password may or may not have been reset. Check with the helpdesk before trying again.',
    unreachable: 'ITNIO could not be reached, so nothing was sent. Try again in a minute.',
    timeout:
      'ITNIO did not answer in time. The password may or may not have been reset. Check with the helpdesk before trying again.',
    connection_lost:
      'The connection to ITNIO broke before it answered. The password may or may not have been reset. Check with the helpdesk before trying again.',
    http_error:
      'ITNIO answered with an HTTP error. The password may or may not have been reset. Check with the helpdesk before trying again.',
    http_refused:
      "ITNIO refused the request. Nothing was reset. Tell the helpdesk: an admin has to fix sip-reset's ITNIO settings (its log names the problem).",
    redirected:
      "ITNIO sent the request elsewhere, which sip-reset does not follow. Nothing was reset. Tell the helpdesk: an admin has to fix sip-reset's ITNIO settings (its log names the problem).",
    bad_response:
      'ITNIO sent an answer that could not be understood. The password may or may not have been reset. Check with the helpdesk before trying again.',
  } satisfies Record<VendorFailureCode, string>,
  /** Why a request ended without a reset, in a few words: for the approval channel and the history. */
  failureReasons: {
    invalid_account: 'the account is not valid',
    unknown_app: 'the voice application is not set up',
    auth_failed: "ITNIO did not accept sip-reset's credentials",
    ip_restricted: 'ITNIO refused the sip-reset server',
    user_locked: "the company's ITNIO account is locked",
    too_frequent: 'ITNIO saw too many requests',
    timestamp_expired: "the sip-reset server's clock is wrong",
    system_error: 'ITNIO reported a system error',
    parameter_error: 'ITNIO did not accept the account or voice application',
    account_not_found: 'ITNIO has no such account',
    api_key_disabled: "sip-reset's ITNIO key is disabled",
    ip_not_whitelisted: "the sip-reset server is not on ITNIO's allowed list",
    no_app_permission: 'sip-reset may not manage this voice application',
    unknown_status: 'ITNIO gave an answer sip-reset does not know',
    unreachable: 'ITNIO could not be reached',
    timeout: 'ITNIO did not answer in time',
    connection_lost: 'the connection to ITNIO broke',
    http_error: 'ITNIO answered with an HTTP error',
    http_refused: 'ITNIO refused the request',
    redirected: 'ITNIO answered with a redirect',
    bad_response: "ITNIO's answer could not be understood",
    no_private_route: 'Slack would not show the requester a private message',
    approval_channel_refused: 'the approval channel could not be posted in',
    database_failed: "sip-reset's database failed",
    interrupted: 'sip-reset stopped before it could record the end',
  } satisfies Record<FailureCode, string>,
  /** A reason code this version does not know (from a newer or older one). */
  failureReasonOther: 'an unexpected error',

  errors: {
    refused_no_approval_channel:
      'You may not reset this account yourself, and approvals are not set up here. Ask a helpdesk agent to reset it for you.',
    rate_limited:
      'You have made too many reset requests in the last hour. Try again later, or ask the helpdesk.',
    open_request_exists: 'This account already has an open request, so no new one was made.',
    not_found: 'That request no longer exists. Type /sip-reset to ask again if you still need a reset.',
    not_approver: 'Only approvers may approve or deny reset requests: this one waits for them.',
    own_request: 'You cannot approve or deny your own request: another approver has to.',
    not_requester:
      'Only the person who asked for this reset may do this. Type /sip-reset to ask for your own.',
    already_decided: 'This request has already been decided: its message now shows how.',
    request_expired:
      'This request has expired, so nobody can decide it any more. The requester can ask again with /sip-reset.',
    already_approved_by_you: 'You have already approved this request. It needs another approver.',
    grant_expired: 'This approval has expired. Type /sip-reset to ask again.',
    not_claimable:
      'This approval has already been used or is no longer valid. Type /sip-reset to ask again if you still need a reset.',
    duplicate_submission: 'This form was already sent, and it is handled once: its answer is on its way.',
  } satisfies Record<DomainErrorCode, string>,
  openRequestDetail: (requester: string, date: string) =>
    `It was requested by ${requester} ${date}: wait for it to be decided, or ask them to cancel it.`,
  /** To someone who neither approves nor works at the helpdesk: who asked is not theirs to know. */
  openRequestWhoCanHelp:
    "Wait for it to be decided. If you asked for it, you can cancel it on the app's Home tab; if not, the helpdesk can see who did.",
  /** A subcommand given words it does not take: its usage line. */
  subcommandUsage: {
    help: (command: string) => `Type \`${command} help\` alone to see what the command does.`,
    status: (command: string) => `Type \`${command} status\` alone to list your open requests.`,
  },
  /** `/sip-reset status` when the database did not answer in time. */
  statusUnavailable: 'Your requests could not be read just now. Try again in a minute.',
  unexpectedError:
    'Something went wrong on our side, so this was not done, and nothing was reset. Try again in a minute; if it keeps happening, tell the helpdesk.',
  /** New work that arrives while the app stops for a restart, and is refused. */
  restarting: {
    command: 'sip-reset is restarting. Nothing was done: try again in a minute.',
    click: 'sip-reset is restarting, so that click did nothing. Try it again in a minute.',
    submission: 'sip-reset is restarting. Submit again in a minute: what you entered is kept.',
  },

  approvalChannelUnusable: (channel: string) =>
    `:warning: Your request could not be posted for approval: the app cannot post in ${channel}. Nothing was requested and nothing was reset. An admin must invite @sip-reset to that channel (\`/invite @sip-reset\`); until then, a helpdesk agent can reset the phone with you.`,
  pendingNotice: (account: string, app: string, channel: string, expires: string) =>
    `:inbox_tray: Your request to reset *${account}* (${app}) is waiting for approval in ${channel}. It expires ${expires}.`,
  cancelButton: 'Cancel request',
  cancelled: (account: string, app: string) => `Your request to reset *${account}* (${app}) is cancelled.`,

  approvalHeader: 'SIP password reset request',
  approvalFields: {
    requester: 'Requested by',
    account: 'Account',
    app: 'Voice application',
    reason: 'Reason',
    requested: 'Requested',
    expires: 'Expires',
    approvals: 'Approvals',
    owner: 'Owner',
    /** Once approved: until when the requester can reset. */
    resetBy: 'Reset possible until',
    approvers: 'Who can approve',
  },
  /** The approval message's notification and screen-reader text, before its state. */
  approvalSummary: (requester: string, account: string, app: string, reason: string) =>
    `Reset request from ${requester} for ${account} (${app}). Reason: ${reason}`,
  approvalOwner: (owners: string) => `Owner: ${owners}.`,
  approvalWaiting: (expires: string) => `Waiting for a decision; the request expires ${expires}.`,
  /** What Approve does, said before the click. */
  approveEffect: (requester: string, duration: string) =>
    `Approve sends ${requester} a button to reset the password at the phone, valid for ${duration}.`,
  approveEffectProtected: (need: number, requester: string, duration: string) =>
    `Approve counts as one of the ${need} approvals needed; the last one sends ${requester} a button to reset the password at the phone, valid for ${duration}.`,
  /** Who can approve, named where the request is first posted (a user group by its mention). */
  approversLine: (approvers: string) => `Who can approve: ${approvers}.`,
  protectedNote: ':shield: Protected account: needs distinct approvers.',
  approvalsCount: (have: number, need: number, names: string) =>
    `${have} of ${need}${names ? `: ${names}` : ''}`,
  noReason: '(none given)',
  approveButton: 'Approve',
  denyButton: 'Deny',
  /** What a screen reader says for a button repeated in a list: the request it acts on (plain text). */
  accessibility: {
    approve: (account: string, app: string) => `Approve reset of ${account} (${app})`,
    deny: (account: string, app: string) => `Deny reset of ${account} (${app})`,
    cancel: (account: string, app: string) => `Cancel request to reset ${account} (${app})`,
    claim: (account: string, app: string) => `Reset ${account} (${app}) now and show the password`,
  },
  /** Slack's confirmation dialogs, before a click that makes an old password stop working (plain text). */
  confirm: {
    claimTitle: 'Reset the password now?',
    claim: (account: string, app: string) =>
      `The password of ${account} (${app}) is reset as soon as you confirm: the old one stops working at once, and the new one is shown to you alone.`,
    claimButton: 'Reset now',
    approveTitle: 'Approve this reset?',
    approve: (account: string, app: string) =>
      `${account} (${app}) is a protected account. Once approved, the requester can reset it, and its old password stops working at once.`,
    approveButton: 'Approve',
    back: 'Go back',
  },
  outcome: {
    approved: (by: string, date: string, until: string) =>
      `:white_check_mark: Approved by ${by} ${date}. The requester can reset the password until ${until}.`,
    resetting: (date: string) => `:hourglass_flowing_sand: Reset under way since ${date}.`,
    delivering: (date: string) =>
      `:hourglass_flowing_sand: Password reset ${date}: being shown to the requester.`,
    completed: (date: string) => `:white_check_mark: Password reset ${date}.`,
    undelivered: (date: string) =>
      `:warning: Password changed ${date}, but the new one could not be shown to the requester: a new /sip-reset gives them one.`,
    denied: (by: string, date: string) => `:no_entry: Denied by ${by} ${date}.`,
    expired: (date: string) => `:hourglass: Expired ${date}.`,
    cancelled: (date: string) => `:leftwards_arrow_with_hook: Cancelled by the requester ${date}.`,
    withdrawn: (date: string, why: string) =>
      `:leftwards_arrow_with_hook: Withdrawn by sip-reset ${date}: ${why}. Nothing was reset.`,
    failed: (date: string, why: string) => `:x: Reset failed ${date}: ${why}. Nothing was changed.`,
    outcome_unknown: (date: string) =>
      `:warning: Reset outcome unknown ${date}: if the requester received a new password, it is the phone's password now; if not, a new /sip-reset gives them one.`,
  },
  denyReasonLine: (reason: string) => `Reason: ${reason}`,
  /** In the request's thread, half-way to its expiry. */
  reminder: (approvers: string, account: string, app: string, expires: string) =>
    `:bell: ${approvers}: this request to reset *${account}* (${app}) still waits for a decision. It expires ${expires}.`,

  denyModalTitle: 'Deny request',
  denyModalSubmit: 'Deny',
  denyModalIntro: (requester: string, account: string) =>
    `Deny ${requester}'s request to reset *${account}*?`,
  denyReasonLabel: 'Reason, shown to the requester',

  grantBody: (account: string, app: string, by: string, until: string) =>
    `:white_check_mark: Your request to reset *${account}* (${app}) was approved by ${by}.\nWhen you are at the phone, press *Reset now and show password*: the old password stops working at once. You can do this until ${until}.`,
  grantButton: 'Reset now and show password',
  grantCompleted: (account: string, app: string, date: string) =>
    `:white_check_mark: The password of *${account}* (${app}) was reset ${date}.`,
  grantExpired: (account: string, app: string) =>
    `:hourglass: The approval to reset *${account}* (${app}) expired unused. Ask again with /sip-reset if you still need it.`,
  grantUnusable: (account: string, app: string) =>
    `The approval to reset *${account}* (${app}) can no longer be used. Ask again with /sip-reset if you still need it.`,

  deniedNotice: (account: string, app: string, by: string) =>
    `:no_entry: Your request to reset *${account}* (${app}) was denied by ${by}.`,
  expiredNotice: (account: string, app: string) =>
    `:hourglass: Your request to reset *${account}* (${app}) expired before anyone decided. Ask again with /sip-reset if you still need it.`,
  /** A direct reset that never started (its process stopped first): its two minutes ran out. */
  directExpiredNotice: (account: string, app: string) =>
    `:information_source: The reset of *${account}* (${app}) stopped before it started, so the password was not changed. Try /sip-reset again.`,
  /** The app cannot know whether the password reached them: both cases, and what to do in each. */
  interruptedNotice: (account: string, app: string) =>
    `:warning: The reset of *${account}* (${app}) was interrupted before the app could record how it ended. If you received a new password for *${account}*, it is the phone's password now. If not, the old one may no longer work: type /sip-reset to get a new password at once, shown to you alone.`,
  ownerNotice: (account: string, app: string, by: string, date: string) =>
    `:information_source: The password of your SIP account *${account}* (${app}) was reset by ${by} ${date}. Ask them or the helpdesk for the new one if you need it.`,

  grantUndelivered: (requester: string) =>
    `:warning: Approved, but Slack would not let the app message ${requester}, so they have no button to reset with. A helpdesk agent can reset the phone with them; the approval expires unused.`,
  decisionRecorded: (account: string) => `Your approval of the reset of ${account} is recorded.`,

  /** The app's Home tab: each person's requests, and for approvers and the helpdesk, everyone's. */
  home: {
    title: 'SIP password resets',
    intro: (command: string) =>
      `To reset a phone, press *Reset a SIP password* here, type \`${command}\` in any channel, or pick the shortcut *Reset a SIP password* (the \`/\` button in the message box, or the search bar). This page keeps itself up to date.`,
    resetButton: 'Reset a SIP password',
    /** A list's title, and which of its items are shown. */
    listTitle: (title: string, range: string) => `${title} · ${range}`,
    mine: 'Your requests',
    mineEmpty: (command: string) => `You have not asked for a reset yet. Type \`${command}\` to ask for one.`,
    queue: 'Waiting for a decision',
    queueEmpty: 'No request is waiting for a decision.',
    decisions: 'Latest decisions',
    decisionsEmpty: 'Nobody has approved or denied a request yet.',
    resets: 'Latest resets',
    resetsEmpty: 'No password has been reset yet.',
    /** Which items of a list are shown, counted from 1. */
    range: (first: number, last: number) => `${first} to ${last}`,
    olderButton: 'Show older',
    newestButton: 'Back to the newest',
    /** A paging button's value could not be read (a forged one, or a Home from an older version). */
    pageUnreadable: ':information_source: That page could not be found, so this shows the newest requests.',
    line: (account: string, app: string, requester: string, date: string) =>
      `*${account}* (${app}), asked by ${requester} ${date}`,
    mineLine: (account: string, app: string, date: string) => `*${account}* (${app}), asked ${date}`,
    pending: (expires: string) => `:inbox_tray: Waiting for approval, expires ${expires}.`,
    approved: (until: string) =>
      `:white_check_mark: Approved: at the phone, press *Reset now and show password* here or in your DM with the app before ${until}.`,
    /** A direct reset (no approval needed): it runs at once, with no button to press. */
    starting: ':hourglass_flowing_sand: Resetting now: the new password is shown to you alone in a moment.',
    /** One of their own resets whose new password could not be shown to them. */
    undelivered: (account: string, date: string) =>
      `:warning: Password changed ${date}, but Slack did not confirm it showed you the new one. If you do not have it, type /sip-reset to get a new password for *${account}* at once.`,
    /** One of their own resets whose end the app cannot know. */
    outcomeUnknown: (account: string, date: string) =>
      `:warning: Reset outcome unknown ${date}. If you received a new password for *${account}*, it is the phone's password now. If not, type /sip-reset to get a new one at once.`,
    reason: (reason: string) => `Reason: ${reason}`,
    approvals: (count: string) => `Approvals: ${count}`,
    ownRequest: 'Your own request: another approver decides it.',
    approvedBy: (by: string, date: string) => `:white_check_mark: Approved by ${by} ${date}.`,
  },

  /** `/sip-reset directory`: the phone directory, refreshed on demand by a helpdesk agent. */
  phoneDirectory: {
    refused: 'Only helpdesk agents can refresh the phone directory.',
    off: 'The phone directory is off (SIP_RESET_DIRECTORY_REFRESH_MINUTES is 0), so the account field stays free text.',
    busy: 'Another instance is refreshing the phone directory right now. Try again in a minute.',
    title: 'The phone directory (names and groups of the phones, never their passwords):',
    app: (app: string, phones: number, refreshed: string) =>
      `• *${app}*: ${phones} phone${phones === 1 ? '' : 's'}, last refreshed ${refreshed}`,
    never: 'never',
    phone: (name: string, group: string) => `${name} · ${group}`,
    unchecked:
      ':grey_question: This account could not be checked against the phone directory (it is out of date or its last refresh failed): ITNIO says at the reset whether it exists.',
    unknownAccount: (app: string) =>
      `There is no such phone in ${app}. Check the number, or choose another voice application.`,
    failed: (app: string, code: string, failedAt: string) =>
      `• *${app}*: the last refresh failed ${failedAt} (\`${code}\`); the phones from before are kept`,
    /** A phone offered by the form's picker (plain text, at most 75 characters): number, name, group. */
    option: (account: string, name: string, group: string) =>
      [account, name, group].filter((part) => part !== '').join(' · '),
    pickerPlaceholder: 'Type digits or a name',
    pickerHint: (app: string) =>
      `Type part of the number, the phone's name or its group to find it among the phones of ${app}.`,
    /** Several voice applications: the picker appears once one is chosen. */
    chooseAppFirst:
      'Choose the voice application to pick the phone from its list, or type the account, for example 1001.',
    /** The form was submitted with a phone picked in another voice application than the one chosen. */
    pickAgain: 'Pick the phone again: the voice application changed.',
    /** An account beside its phone's name and group (`phone` below), wherever the account is shown. */
    withPhone: (account: string, phone: string) => `${account} · ${phone}`,
    /** The phone of an account in one of several voice applications (`/sip-reset history`). */
    phoneInApp: (phone: string, app: string) => `${phone} (${app})`,
    phoneListSeparator: '; ',
  },

  history: {
    usage: (command: string) =>
      `Type \`${command} history 1003\` to see what happened to account 1003 lately.`,
    refused: 'Only helpdesk agents can see the history of an account.',
    unavailable: 'The history could not be read just now. Try again in a minute.',
    empty: (account: string) => `Nothing has been recorded for *${account}*.`,
    title: (account: string) => `The latest events of *${account}*, newest first:`,
    line: (date: string, what: string, detail: string) => `• ${date}: ${what}${detail}`,
    lineBy: (date: string, who: string, what: string, detail: string) => `• ${date} ${who}: ${what}${detail}`,
    detail: (words: string) => ` (${words})`,
    /** Between the facts of one event: phrases, not names, so Chinese does not join them with 、. */
    factSeparator: ', ',
    /** What an event's recorded facts mean; a failure's reason is one of failureReasons. */
    path: { direct: 'no approval needed', approval: 'needs approval' },
    route: {
      response_url: 'as a reply to their command or click',
      ephemeral: 'privately in the channel',
      dm_ephemeral: 'privately in their DM with the app',
    },
    timedOut: 'after an attempt Slack did not confirm in time',
    event: {
      requested: 'requested a reset',
      approval_counted: 'approved (one approval counted)',
      approved: 'approved the request',
      denied: 'denied the request',
      cancelled: 'cancelled the request',
      expired: 'expired',
      reset_started: 'started the reset',
      completed: 'reset completed',
      failed: 'reset failed',
      outcome_unknown: 'reset outcome unknown',
      password_issued: 'new password issued by ITNIO',
      undelivered: 'new password could not be shown',
      password_delivered: 'password delivered privately',
      delivery_failed: 'password could not be delivered',
      owner_notified: 'owner told',
    } satisfies Record<AuditType, string>,
  },
  /** The audit channel: one line per final outcome, and the daily checkpoint; in the default locale. */
  auditChannel: {
    outcome: {
      completed: ':white_check_mark: Password reset',
      failed: ':x: Reset failed',
      undelivered: ':warning: Password reset but not shown to its requester',
      outcome_unknown: ':warning: Reset outcome unknown',
      denied: ':no_entry_sign: Request denied',
      cancelled: ':heavy_multiplication_x: Request cancelled',
      expired: ':hourglass: Request expired',
    } satisfies Record<FinalStatus, string>,
    subject: (outcome: string, account: string, app: string) => `${outcome}: *${account}* (${app}).`,
    failureCode: (why: string, code: string) => `Why: ${why} (\`${code}\`).`,
    askedBy: (who: string) => `Asked by ${who}.`,
    approvedBy: (who: string) => `Approved by ${who}.`,
    noApprovalNeeded: 'No approval needed.',
    deniedBy: (who: string) => `Denied by ${who}.`,
    cancelledBy: (who: string) => `Cancelled by ${who}.`,
    checkpoint: (day: string, seq: number, checkpoint: string) =>
      `:lock: Audit checkpoint for ${day}: row ${seq}. Kept here, outside the database, \`npm run audit -- verify --expect ${checkpoint}\` shows later whether the audit trail still holds it.\n\`${checkpoint}\``,
  },
};

export type Texts = typeof en;
