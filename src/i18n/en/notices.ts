/**
 * What a requester (or an account's owner) is told privately about a request: waiting, cancelled,
 * approved with its button, denied, expired, interrupted.
 */

export const notices = {
  approvalChannelUnusable: (channel: string) =>
    `:warning: Your request could not be posted for approval: the app cannot post in ${channel}. Nothing was requested and nothing was reset. An admin must invite @sip-reset to that channel (\`/invite @sip-reset\`); until then, a helpdesk agent can reset the phone with you.`,
  pendingNotice: (account: string, app: string, channel: string, expires: string) =>
    `:inbox_tray: Your request to reset *${account}* (${app}) is waiting for approval in ${channel}. It expires ${expires}.`,
  cancelButton: 'Cancel request',
  cancelled: (account: string, app: string) => `Your request to reset *${account}* (${app}) is cancelled.`,

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
};
