/**
 * Refusals: a domain error's text by its code, an open request in the way, an unexpected error,
 * work refused while restarting.
 */
import type { DomainErrorCode } from '../../domain/errors.js';

export const refusals = {
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
    not_helpdesk: 'Only helpdesk agents may lock phones out or stop a lock-out.',
    lockout_empty: 'Choose at least one phone to lock out.',
    lockout_reason_required:
      'Say why these phones are locked out: their owners and the audit trail are told.',
    lockout_invalid_account:
      'One of the accounts is not a valid SIP account (4 to 32 characters, no spaces).',
    lockout_unknown_app: 'One of the phones is in a voice application sip-reset does not manage.',
    lockout_duplicate_phone: 'A phone is listed twice: each phone is locked out once.',
    lockout_not_startable:
      'This lock-out cannot be started: it was started already, it expired before it was confirmed, or another agent prepared it. Type /sip-reset lockout to prepare a new one.',
    lockout_not_running: 'This lock-out has already ended.',
    lockout_stopping:
      'This lock-out is stopping: the phone in progress finishes, no other is started, and its summary follows.',
    lockout_not_found: 'That lock-out no longer exists. Type /sip-reset lockout to prepare a new one.',
  } satisfies Record<DomainErrorCode, string>,
  openRequestDetail: (requester: string, date: string) =>
    `It was requested by ${requester} ${date}: wait for it to be decided, or ask them to cancel it.`,
  /** To someone who neither approves nor works at the helpdesk: who asked is not theirs to know. */
  openRequestWhoCanHelp:
    "Wait for it to be decided. If you asked for it, you can cancel it on the app's Home tab; if not, the helpdesk can see who did.",
  unexpectedError:
    'Something went wrong on our side, so this was not done, and nothing was reset. Try again in a minute; if it keeps happening, tell the helpdesk.',
  /** New work that arrives while the app stops for a restart, and is refused. */
  restarting: {
    command: 'sip-reset is restarting. Nothing was done: try again in a minute.',
    click: 'sip-reset is restarting, so that click did nothing. Try it again in a minute.',
    submission: 'sip-reset is restarting. Submit again in a minute: what you entered is kept.',
  },
};
