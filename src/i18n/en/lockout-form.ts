/**
 * `/sip-reset lockout`: the lock-out form, its review and confirmation, and what the button says
 * once clicked. (The lock-out's progress, summary and the owners' messages are the engine's.)
 */
import type { AccountProblem } from '../../domain/account.js';

import { enNumber as number, enPhones as phones } from '../counts.js';

export const lockoutForm = {
  lockoutForm: {
    refused: 'Only helpdesk agents can lock phones out.',
    usage: (command: string) => `Type \`${command} lockout\` alone to open the lock-out form.`,

    /** The form (title and buttons at most 24 characters). */
    title: 'Lock out SIP phones',
    submit: 'Review',
    close: 'Cancel',
    intro:
      ':rotating_light: A lock-out resets each phone at once and shows the new password to nobody: the current password stops working straight away. Each owner is then told, and gets a new password at the phone. Choose the phones and say why; you confirm on the next screen.',
    pickerLabel: (app: string) => `Phones of ${app}`,
    pickerPlaceholder: 'Type digits or a name',
    pickerHint: 'Pick as many as you need: type part of the number, the name or the group of a phone.',
    pastedLabel: 'Accounts, pasted',
    pastedHint: 'Separate them by spaces, commas, semicolons or new lines, for example 1001, 1002; 1003.',
    pastedPlaceholder: '1001, 1002, 1003',
    pastedAppLabel: 'Voice application of the pasted accounts',
    wholeAppLabel: 'Or every phone of a voice application',
    wholeAppHint:
      'Every phone the phone directory lists for it. Choose it alone, with no phones picked or accounts pasted.',
    reasonLabel: 'Reason',
    reasonHint: 'The owners, the progress message and the audit trail say it.',
    reasonPlaceholder: 'The SIP passwords leaked: toll fraud on the night of the 12th.',

    /** Field errors (plain text, under the field). */
    nothingChosen: 'Choose phones, paste accounts, or choose a voice application: nothing is chosen.',
    badAccount: (account: string, why: string) => `"${account}" is not a SIP account: ${why}`,
    accountProblem: {
      empty: 'it is empty.',
      too_short: 'an account has at least 4 characters.',
      too_long: 'an account has at most 32 characters.',
      bad_characters: 'an account has no control or invisible characters.',
    } satisfies Record<AccountProblem, string>,
    moreBadAccounts: (n: number) => ` (and ${number(n)} more entr${n === 1 ? 'y' : 'ies'} like it)`,
    unknownAccount: (account: string, app: string) =>
      `The phone directory lists no phone "${account}" in ${app}. Check it, or take it out of the list.`,
    pastedAppMissing: 'Choose the voice application of the pasted accounts.',
    wholeAppEmpty: (app: string) =>
      `The phone directory lists no phones for ${app}: paste its accounts instead.`,
    wholeAppAndList: 'Choose every phone of a voice application, or phones and accounts: not both.',
    directoryUnavailable: 'The phone directory could not be read just now. Try again in a minute.',
    reasonMissing: 'Say why the phones are locked out: their owners read it.',
    tooLong: (max: number, length: number) =>
      `At most ${number(max)} characters: this has ${number(length)}.`,
    notPrepared: 'The lock-out could not be prepared just now, and nothing was done. Try again in a minute.',

    /** The review, before the confirmed click (title at most 24 characters). */
    reviewTitle: 'Confirm the lock-out',
    reviewClose: 'Cancel',
    reviewCount: (n: number, apps: string) => `*${phones(n)}* of ${apps} will be locked out:`,
    reviewWholeApp: (app: string) => `Every phone the phone directory lists for ${app}.`,
    /** A voice application beside how many of the phones are its. */
    appCount: (app: string, n: number) => `${app} (${number(n)})`,
    /** An account beside its voice application, when the phones are of several. */
    accountInApp: (account: string, app: string) => `${account} (${app})`,
    reviewMore: (n: number) => `and ${number(n)} more`,
    reviewReason: (reason: string) => `*Reason:* ${reason}`,
    reviewNext:
      'Nothing is done until you press *Lock out* and confirm. Each owner gets a DM to get a new password at the phone.',
    startButton: (n: number) => `Lock out ${phones(n)}`,
    /** The button's confirmation dialog: title at most 100 characters, text 300, buttons 30. */
    confirmTitle: (n: number) => `Lock out ${phones(n)}?`,
    confirmText: (n: number) =>
      n === 1
        ? 'Lock out 1 phone? Its current password stops working at once; nobody sees the new one.'
        : `Lock out ${phones(n)}? Their current passwords stop working at once; nobody sees the new ones.`,
    confirmYes: (n: number) => `Lock out ${phones(n)}`,
    confirmNo: 'Go back',

    /** After the click. */
    closeDone: 'Close',
    startedTitle: 'Lock-out started',
    startedInThread: (channel: string) =>
      `:white_check_mark: The lock-out has started. Follow its progress, and stop it if need be, in its thread in ${channel}.`,
    startedInDm:
      ':white_check_mark: The lock-out has started. Follow its progress, and stop it if need be, in your DM with the app.',
    notStartedTitle: 'Lock-out not started',
    notStarted: (why: string) => `:no_entry: Not started. ${why}`,
    progressUnposted:
      'Slack did not let sip-reset post the progress message, whose Stop button ends a lock-out, so it was stopped before its first phone: nothing was reset. Try again in a minute.',
    startFailed:
      'Something went wrong on our side: the lock-out may not have started. Look for its progress message before trying again.',
  },
};
