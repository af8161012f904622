/**
 * The reset itself: the new password's private message, a delivery that failed, and why a reset did
 * not happen (ITNIO's failures, the app's withdrawals).
 */
import type { VendorFailureCode } from '../../domain/errors.js';
import type { WithdrawalReason } from '../../domain/use-cases/decisions.js';

/** Why a request ended without a reset: the vendor's codes, the app's withdrawals, an interruption. */
type FailureCode = VendorFailureCode | WithdrawalReason | 'interrupted';

export const reset = {
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
    locked_out: 'the helpdesk locked this phone out',
    interrupted: 'sip-reset stopped before it could record the end',
  } satisfies Record<FailureCode, string>,
  /** A reason code this version does not know (from a newer or older one). */
  failureReasonOther: 'an unexpected error',
};
