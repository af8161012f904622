/** One phone to lock out: its SIP account and its voice application. */
export interface LockoutTarget {
  account: string;
  appId: string;
}

/** What a helpdesk agent asked for in the lock-out form, its accounts already checked by the form. */
export interface LockoutPlan {
  agentId: string;
  /** Every phone to lock out, each once, each account checked like a single one (checkAccount). */
  targets: readonly LockoutTarget[];
  /** Why (required): the owners' DMs, the progress message and the audit trail say it. */
  reason: string;
  /** Set when the agent chose "every phone of voice application X" rather than a list. */
  wholeAppId?: string;
}

/** A lock-out prepared by the form and kept until its agent confirms it (or it expires). */
export interface PreparedLockout {
  campaignId: string;
  /** How many phones it will lock out: what the confirmation states. */
  count: number;
}

/** Where a started lock-out's live progress message is: a thread of the approval channel, or the agent's DM. */
export interface LockoutProgressPlace {
  kind: 'thread' | 'dm';
  channel: string;
  ts: string;
}

/**
 * Slack took neither the progress message in the approval channel nor the agent's DM, so there is
 * no Stop button: the lock-out was stopped before its first call, nothing reset.
 */
export class LockoutProgressUnposted extends Error {
  constructor() {
    super('the lock-out progress message could not be posted: stopped before its first call');
    this.name = 'LockoutProgressUnposted';
  }
}

/**
 * How the Slack side starts a lock-out (`/sip-reset lockout`): the form prepares one, and the
 * confirmed button of its review starts it. Every refusal is a DomainError with its code, said in
 * the person's words like any other (not a helpdesk agent, a lock-out no longer waiting to start).
 */
export interface LockoutLauncher {
  prepare(plan: LockoutPlan): Promise<PreparedLockout>;
  /**
   * Starts a prepared lock-out once: a second click, or anyone but its agent, is refused. Throws
   * LockoutProgressUnposted, nothing reset, when Slack would show no progress message to stop it from.
   */
  start(campaignId: string, agentId: string): Promise<LockoutProgressPlace>;
}
