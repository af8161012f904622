/**
 * The approval channel: a request's message, its buttons and confirmations, its outcome and
 * reminder, the deny form, and what an approver is told back.
 */

export const approval = {
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

  grantUndelivered: (requester: string) =>
    `:warning: Approved, but Slack would not let the app message ${requester}, so they have no button to reset with. A helpdesk agent can reset the phone with them; the approval expires unused.`,
  decisionRecorded: (account: string) => `Your approval of the reset of ${account} is recorded.`,
};
