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
