/**
 * The app's Home tab.
 */

export const home = {
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
};
