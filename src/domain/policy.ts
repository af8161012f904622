/** Who may do what: the policy's settings, read from the configuration by the composition root. */
export interface PolicyConfig {
  /** User IDs (U…/W…) and user group IDs (S…). */
  helpdesk: string[];
  approvers: string[];
  /** Slack user ID -> SIP accounts that user owns. */
  owners: Record<string, string[]>;
  /** Glob patterns (`*`, `?`) of accounts that always need approval. */
  protectedAccounts: string[];
  protectedApprovals: number;
}

/** Who is acting: a Slack user and the configured user groups they belong to. */
export interface Principal {
  userId: string;
  /** The IDs (S…) of the configured user groups this user is a member of. */
  groupIds: readonly string[];
}

export type ResetDecision =
  | { kind: 'direct'; basis: 'helpdesk' | 'owner' }
  | { kind: 'approval'; approvals: number; reasonRequired: boolean; protectedAccount: boolean }
  | { kind: 'refused'; reason: 'no_approval_channel' };

export type ApproveRefusal = 'not_approver' | 'own_request';

/** True when the principal is named in the list, directly or through one of its user groups. */
export function isListed(principal: Principal, list: readonly string[]): boolean {
  return list.includes(principal.userId) || principal.groupIds.some((group) => list.includes(group));
}

/** `*` is any run of characters, `?` any one; everything else is literal. Case does not matter. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'iu').test(value);
}

export function isProtected(account: string, config: PolicyConfig): boolean {
  return config.protectedAccounts.some((pattern) => globMatches(pattern, account));
}

export function ownersOf(account: string, config: PolicyConfig): string[] {
  return Object.entries(config.owners)
    .filter(([, accounts]) => accounts.includes(account))
    .map(([userId]) => userId);
}

/**
 * Decides how a reset may happen. Pure: every fact it needs is an argument.
 * Protected accounts always need distinct approvers; helpdesk agents and owners otherwise reset
 * directly; anyone else needs one approval and must give a reason.
 */
export function decideReset(
  requester: Principal,
  account: string,
  config: PolicyConfig,
  approvalsPossible: boolean,
): ResetDecision {
  const privileged =
    isListed(requester, config.helpdesk) || ownersOf(account, config).includes(requester.userId);
  if (isProtected(account, config)) {
    if (!approvalsPossible) return { kind: 'refused', reason: 'no_approval_channel' };
    return {
      kind: 'approval',
      approvals: config.protectedApprovals,
      reasonRequired: !privileged,
      protectedAccount: true,
    };
  }
  if (isListed(requester, config.helpdesk)) return { kind: 'direct', basis: 'helpdesk' };
  if (ownersOf(account, config).includes(requester.userId)) return { kind: 'direct', basis: 'owner' };
  if (!approvalsPossible) return { kind: 'refused', reason: 'no_approval_channel' };
  return { kind: 'approval', approvals: 1, reasonRequired: true, protectedAccount: false };
}

/** Whether this principal approves or denies requests at all: approvers and helpdesk agents do. */
export function mayDecide(principal: Principal, config: PolicyConfig): boolean {
  return isListed(principal, config.approvers) || isListed(principal, config.helpdesk);
}

/** Whether this principal may approve or deny a request made by `requesterId`. */
export function checkApprover(
  approver: Principal,
  requesterId: string,
  config: PolicyConfig,
): ApproveRefusal | undefined {
  if (!mayDecide(approver, config)) return 'not_approver';
  if (approver.userId === requesterId) return 'own_request';
  return undefined;
}

/**
 * What submitting the reset form will do for this person, as far as it can be known when the form
 * opens: `direct` (the reset runs at once), `approval` (a request goes to the approvers), or
 * `either` when it depends on the account they will type (an owner's own phone, a protected one).
 */
export type FormOutlook = 'direct' | 'approval' | 'either';

export function formOutlook(
  requester: Principal,
  account: string | undefined,
  config: PolicyConfig,
  approvalsPossible: boolean,
): FormOutlook {
  if (account !== undefined) {
    const decision = decideReset(requester, account, config, approvalsPossible);
    if (decision.kind === 'direct') return 'direct';
    // The prefilled account can still be changed (the picker offers an owner's phones first): the
    // form says nothing is reset only when no account they could put instead would be reset at once.
    if (decision.kind === 'approval')
      return formOutlook(requester, undefined, config, approvalsPossible) === 'approval'
        ? 'approval'
        : 'either';
    return 'either';
  }
  if (isListed(requester, config.helpdesk))
    return config.protectedAccounts.length === 0 ? 'direct' : 'either';
  const ownsSome = (config.owners[requester.userId] ?? []).length > 0;
  if (ownsSome) return 'either';
  return approvalsPossible ? 'approval' : 'either';
}
