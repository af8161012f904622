/**
 * The phone directory: `/sip-reset directory`, the form's picker, a phone beside its account.
 */

export const phoneDirectory = {
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
};
