/**
 * What `/sip-reset` says for itself: its help, `status`, and a subcommand typed wrong (history and
 * directory have their own files).
 */

export const commands = {
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
      `• Helpdesk agents: \`${command} lockout\` locks phones out at once (a leak, someone leaving): new passwords nobody sees, then each owner gets one at the phone.`,
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

  /** A subcommand given words it does not take: its usage line. */
  subcommandUsage: {
    help: (command: string) => `Type \`${command} help\` alone to see what the command does.`,
    status: (command: string) => `Type \`${command} status\` alone to list your open requests.`,
  },
  /** `/sip-reset status` when the database did not answer in time. */
  statusUnavailable: 'Your requests could not be read just now. Try again in a minute.',
};
