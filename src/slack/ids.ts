/** The IDs Slack sends back: the slash command, callback IDs of views, action IDs of buttons, block IDs of inputs. */
export const COMMAND = '/sip-reset';

/** The global shortcut's callback ID, as manifest.yml declares it. */
export const SHORTCUT = 'sip_reset_shortcut';

export const VIEW = {
  resetRequest: 'sip_reset_request',
  denyReason: 'sip_reset_deny_reason',
} as const;

export const ACTION = {
  approve: 'sip_reset_approve',
  deny: 'sip_reset_deny',
  cancel: 'sip_reset_cancel',
  claim: 'sip_reset_claim',
  removePassword: 'sip_reset_remove_password',
  /** The Home tab's pager: two buttons of one block, so two IDs, for one listener. */
  homeOlder: 'sip_reset_home_older',
  homeNewest: 'sip_reset_home_newest',
  /** The Home tab's "Reset a SIP password": opens the form. */
  homeReset: 'sip_reset_home_reset',
} as const;

export const BLOCK = {
  account: 'account',
  app: 'app',
  reason: 'reason',
  denyReason: 'deny_reason',
} as const;

/** Every input element uses this action ID inside its own block. */
export const INPUT_ACTION = 'value';
