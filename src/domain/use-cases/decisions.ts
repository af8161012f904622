import { checkApprover, type PolicyConfig } from '../policy.js';
import { DomainError } from '../errors.js';
import type { PrincipalResolver, RequestLookup, StateChanges } from '../ports.js';
import type { Approval, ApprovalResult, ResetRequest } from '../request.js';
import { emit, MINUTE, mustGet, type UseCaseContext } from './shared.js';

/** What deciding needs of the store. */
export interface DecisionStore extends RequestLookup, StateChanges {
  /**
   * Records an approval by a distinct approver and, atomically with it, moves the request from
   * pending to approved once it has `requiredApprovals` of them; writes approval_counted and
   * approved to the audit trail itself.
   */
  addApproval(
    id: string,
    approverId: string,
    at: number,
    grantExpiresAt: number,
  ): Promise<ApprovalResult | undefined>;
  /** Records when the approvers were told of a request, without a change of state. */
  markAnnounced(id: string, at: number): Promise<ResetRequest | undefined>;
}

export interface DecisionDeps extends UseCaseContext {
  store: DecisionStore;
  policy: PolicyConfig;
  directory: PrincipalResolver;
  settings: { grantTtlMinutes: number };
}

export interface ApproveResult {
  request: ResetRequest;
  approvals: Approval[];
  /** True when this approval was the one that approved the request. */
  approvedNow: boolean;
}

/**
 * Why the app itself withdrew a request before anything was reset: the requester could not be
 * reached privately, the approval channel refused its message, or the database failed first.
 * Kept in the request's failureCode, so what shows it can say the app withdrew it, not its requester.
 */
export type WithdrawalReason =
  | 'no_private_route'
  | 'approval_channel_refused'
  | 'database_failed'
  /** A lock-out reset the phone: a password this request would give must not reach its requester. */
  | 'locked_out';

/**
 * Deciding a request before its reset: approvers approve or deny it, its requester cancels it, the
 * app withdraws it. Each is one compare-and-set, so a double click or two instances act once.
 */
export class Decisions {
  constructor(private readonly deps: DecisionDeps) {}

  /**
   * Throws unless this user may decide this request now. A request past its expiry is refused
   * but left to the upkeep's expireDue(), which moves it and tells everyone concerned, once.
   */
  private async checkDecider(request: ResetRequest, userId: string): Promise<void> {
    const approver = await this.deps.directory.resolve(userId);
    const refusal = checkApprover(approver, request.requesterId, this.deps.policy);
    if (refusal) throw new DomainError(refusal, request);
    if (request.status !== 'pending') throw new DomainError('already_decided', request);
    if (request.expiresAt <= this.deps.now()) throw new DomainError('request_expired', request);
  }

  /** Throws unless this user may decide this request now (checked again when they do). */
  async assertCanDecide(requestId: string, userId: string): Promise<ResetRequest> {
    const request = await mustGet(this.deps.store, requestId);
    await this.checkDecider(request, userId);
    return request;
  }

  /**
   * Records that the approvers were told of the request, where they decide: from then on the upkeep
   * reminds them of it half-way to its expiry. Undefined for a request that does not exist.
   */
  announced(requestId: string): Promise<ResetRequest | undefined> {
    return this.deps.store.markAnnounced(requestId, this.deps.now());
  }

  async approve(requestId: string, approverId: string): Promise<ApproveResult> {
    const { store } = this.deps;
    const request = await mustGet(store, requestId);
    await this.checkDecider(request, approverId);
    const now = this.deps.now();
    const result = await store.addApproval(
      requestId,
      approverId,
      now,
      now + this.deps.settings.grantTtlMinutes * MINUTE,
    );
    if (!result) throw new DomainError('already_decided', await mustGet(store, requestId));
    if (!result.counted) throw new DomainError('already_approved_by_you', result.request);
    const approvedNow = result.request.status === 'approved';
    emit(this.deps, approvedNow ? 'approved' : 'approval_counted', result.request, approverId);
    return {
      request: result.request,
      approvals: result.approvals,
      approvedNow,
    };
  }

  async deny(requestId: string, approverId: string, reason: string): Promise<ResetRequest> {
    const { store } = this.deps;
    const request = await mustGet(store, requestId);
    await this.checkDecider(request, approverId);
    const now = this.deps.now();
    const denied = await store.transition(
      requestId,
      ['pending'],
      'denied',
      now,
      { decidedAt: now, decidedBy: approverId, denyReason: reason.trim() || null },
      { type: 'denied', actor: approverId },
    );
    if (!denied) throw new DomainError('already_decided', await mustGet(store, requestId));
    emit(this.deps, 'denied', denied, approverId);
    return denied;
  }

  /** The requester withdraws a request that is still pending, or an approval not yet used. */
  async cancel(requestId: string, userId: string): Promise<ResetRequest> {
    const { store } = this.deps;
    const request = await mustGet(store, requestId);
    if (request.requesterId !== userId) throw new DomainError('not_requester', request);
    const cancelled = await store.transition(
      requestId,
      ['pending', 'approved'],
      'cancelled',
      this.deps.now(),
      {},
      { type: 'cancelled', actor: userId },
    );
    if (!cancelled) throw new DomainError('already_decided', await mustGet(store, requestId));
    emit(this.deps, 'cancelled', cancelled, userId);
    return cancelled;
  }

  /** The app withdraws a request that is still pending, or an approval not yet used, for this reason. */
  async withdraw(requestId: string, reason: WithdrawalReason): Promise<ResetRequest> {
    const { store } = this.deps;
    const withdrawn = await store.transition(
      requestId,
      ['pending', 'approved'],
      'cancelled',
      this.deps.now(),
      { failureCode: reason },
      { type: 'cancelled', actor: 'system', detail: { reason } },
    );
    if (!withdrawn) throw new DomainError('already_decided', await mustGet(store, requestId));
    emit(this.deps, 'cancelled', withdrawn, 'system');
    return withdrawn;
  }
}
