/**
 * The reset form: its title and buttons, what submitting will do, its fields and what is wrong with
 * them.
 */
import type { AccountProblem } from '../../domain/account.js';
import type { FormOutlook } from '../../domain/policy.js';

export const form = {
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
};
