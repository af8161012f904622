/** The IDs Slack sends back: the slash command, callback IDs of views, action IDs of buttons, block IDs of inputs. */
export const COMMAND = '/sip-reset';

/** The global shortcut's callback ID, as manifest.yml declares it. */
export const SHORTCUT = 'sip_reset_shortcut';

/**
 * The Workflow Builder step's callback ID and its inputs and outputs, as manifest.yml's `functions`
 * declares them (test/manifest.test.ts).
 */
export const STEP = {
  callbackId: 'reset_sip_password',
  inputs: { requester: 'requester', account: 'account', voiceApp: 'voice_app', reason: 'reason' },
  outputs: { requestId: 'request_id', status: 'status', message: 'message' },
} as const;

export const VIEW = {
  resetRequest: 'sip_reset_request',
  denyReason: 'sip_reset_deny_reason',
  /** `/sip-reset lockout`: the form, then (response_action `update`) its review, which has no submit. */
  lockout: 'sip_reset_lockout',
  lockoutReview: 'sip_reset_lockout_review',
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
  /**
   * The form's voice application, chosen: with several, the form is rebuilt so that its account
   * field picks from that application's phones (its input dispatches the choice, so its own ID).
   */
  appChosen: 'sip_reset_app_chosen',
  /** The lock-out review's button, behind its confirmation dialog: starts the lock-out. */
  lockoutStart: 'sip_reset_lockout_start',
  /** A running lock-out's Stop, on its progress message. */
  lockoutStop: 'sip_reset_lockout_stop',
} as const;

export const BLOCK = {
  account: 'account',
  app: 'app',
  reason: 'reason',
  denyReason: 'deny_reason',
  /** The lock-out form's fields; its phone pickers are account_phone:<appId> blocks, as the reset form's. */
  lockoutAccounts: 'lockout_accounts',
  lockoutApp: 'lockout_app',
  lockoutWholeApp: 'lockout_whole_app',
  lockoutReason: 'lockout_reason',
} as const;

/**
 * The account field as a picker of one voice application's phones: `account_phone:<appId>`. A block
 * ID per application, so that Slack keeps no phone picked in one application once the form shows
 * another, and so that a block_suggestion names the application to search (it comes from the view
 * the app built, not from what the client says is chosen).
 */
export const ACCOUNT_PICKER_PREFIX = 'account_phone:';
export const accountPickerBlock = (appId: string): string => `${ACCOUNT_PICKER_PREFIX}${appId}`;

/** Every input element uses this action ID inside its own block, but the dispatching app select. */
export const INPUT_ACTION = 'value';
