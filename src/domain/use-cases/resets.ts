import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AuditNote } from '../audit.js';
import { asVendorFailure, DomainError, errorMessage, ResetFailed } from '../errors.js';
import type { Logger } from '../logger.js';
import { ownersOf, type PolicyConfig } from '../policy.js';
import type { RequestLookup, StateChanges, VendorClient } from '../ports.js';
import type { RequestChanges, ResetRequest } from '../request.js';
import type { OutcomeRecorder } from './outcome-recorder.js';
import { emit, mustGet, SYSTEM_EXPIRY, type UseCaseContext } from './shared.js';

/** What a reset needs of the store. */
export interface ResetStore extends RequestLookup, StateChanges {
  /** Records an event that changes no state (a delivery, a notice) in the audit trail. */
  appendAudit(requestId: string, note: AuditNote, at: number): Promise<void>;
}

export interface ResetDeps extends UseCaseContext {
  store: ResetStore;
  vendor: VendorClient;
  policy: PolicyConfig;
  recorder: OutcomeRecorder;
  log?: Pick<Logger, 'error'>;
}

export interface ResetDone {
  /** The request as it is being recorded: delivering (a password issued, not yet shown). */
  request: ResetRequest;
  /** The new password: held in memory only, for delivery to the requester. */
  password: string;
  /** Owners of the account other than the requester, to be told it was reset. */
  ownersToNotify: string[];
  /**
   * Settles once the issue is stored, or handed to the sweeps when the database stayed away;
   * never rejects. Delivery must not wait for it; delivered or undelivered follows it.
   */
  recorded: Promise<ResetRequest>;
}

/**
 * The reset of an approved request, by its requester, once, and the record of how its password
 * reached them. Only the caller that won the change to `resetting` calls the vendor; a reset whose
 * outcome is unknown is never retried.
 */
export class Resets {
  constructor(private readonly deps: ResetDeps) {}

  /**
   * Throws the refusal that a reset of this request (as read) by this user would meet now, without
   * starting one: checked before anything tells them a reset is under way. An approval past its
   * time is expired here, as the reset would. Only a click racing another can pass this and then
   * lose the change to `resetting`.
   */
  async assertResettable(request: ResetRequest, userId: string): Promise<void> {
    if (request.requesterId !== userId) throw new DomainError('not_requester', request);
    const now = this.deps.now();
    if (request.status === 'approved' && request.grantExpiresAt !== null && request.grantExpiresAt <= now) {
      const expired = await this.deps.store.transition(
        request.id,
        ['approved'],
        'expired',
        now,
        {},
        SYSTEM_EXPIRY,
      );
      if (expired) emit(this.deps, 'expired', expired, 'system');
      throw new DomainError('grant_expired', expired ?? request);
    }
    if (request.status !== 'approved') throw new DomainError('not_claimable', request);
  }

  /**
   * Resets the password of an approved request, for its requester, once. Never retried: a reset
   * whose outcome is unknown stays outcome_unknown for a person to check.
   */
  async reset(requestId: string, userId: string): Promise<ResetDone> {
    const { store, recorder } = this.deps;
    await this.assertResettable(await mustGet(store, requestId), userId);
    const now = this.deps.now();
    const claimed = await store.transition(
      requestId,
      ['approved'],
      'resetting',
      now,
      { resetStartedAt: now },
      { type: 'reset_started', actor: userId },
    );
    if (!claimed) throw new DomainError('not_claimable', await mustGet(store, requestId));
    emit(this.deps, 'reset_started', claimed, userId);

    let password: string;
    try {
      ({ password } = await this.deps.vendor.sipReset({ account: claimed.account, appId: claimed.appId }));
    } catch (error) {
      const vendorError = asVendorFailure(error);
      const outcome = vendorError.outcome === 'not_processed' ? 'failed' : 'outcome_unknown';
      const finishedAt = this.deps.now();
      const changes = { finishedAt, failureCode: vendorError.code };
      const finished: ResetRequest = { ...claimed, ...changes, status: outcome, updatedAt: finishedAt };
      const recorded = recorder.record(finished, userId, () =>
        store.transition(requestId, ['resetting'], outcome, finishedAt, changes, {
          type: outcome,
          actor: userId,
          detail: { failureCode: vendorError.code },
        }),
      );
      throw new ResetFailed(finished, vendorError, recorded);
    }
    // The old password is gone: from here on nothing may stand between the new one and its requester.
    const finishedAt = this.deps.now();
    const issued: ResetRequest = { ...claimed, status: 'delivering', finishedAt, updatedAt: finishedAt };
    // Recorded from the next turn of the event loop: the caller hands the password to Slack on this
    // one, and a write to SQLite, synchronous, would otherwise run first and hold the password back.
    const recorded = nextTurn().then(() =>
      recorder.record(issued, userId, () =>
        // From outcome_unknown too: another instance's sweep may have given up on a reset that did answer.
        store.transition(
          requestId,
          ['resetting', 'outcome_unknown'],
          'delivering',
          finishedAt,
          { finishedAt, failureCode: null },
          { type: 'password_issued', actor: userId },
        ),
      ),
    );
    return {
      request: issued,
      password,
      ownersToNotify: ownersOf(claimed.account, this.deps.policy).filter((owner) => owner !== userId),
      recorded,
    };
  }

  /**
   * Records that Slack accepted the private message holding the password: completed. Follows the
   * record of the issue; never rejects (the database failing, the sweeps keep trying).
   */
  async delivered(done: ResetDone, actor: string): Promise<ResetRequest> {
    return this.settleDelivery(done, actor, 'completed', {}, { type: 'completed', actor });
  }

  /**
   * Records that no private route took the password's message: final as undelivered. The password
   * is gone with the message (never stored): a new request gets a new one. Never rejects.
   */
  async undelivered(done: ResetDone, actor: string): Promise<ResetRequest> {
    return this.settleDelivery(
      done,
      actor,
      'undelivered',
      { failureCode: 'no_private_route' },
      { type: 'undelivered', actor, detail: { failureCode: 'no_private_route' } },
    );
  }

  private async settleDelivery(
    done: ResetDone,
    actor: string,
    to: 'completed' | 'undelivered',
    changes: RequestChanges,
    audit: AuditNote,
  ): Promise<ResetRequest> {
    await done.recorded;
    const { id, finishedAt } = done.request;
    const at = this.deps.now();
    const settled: ResetRequest = { ...done.request, ...changes, status: to, updatedAt: at };
    return this.deps.recorder.record(settled, actor, () =>
      this.deps.store.transition(
        id,
        // From resetting when the record was handed to the sweeps; from outcome_unknown or
        // undelivered when another instance's sweep gave up on a delivery that did end.
        [
          'delivering',
          'resetting',
          'outcome_unknown',
          ...(to === 'completed' ? ['undelivered' as const] : []),
        ],
        to,
        at,
        { finishedAt, failureCode: null, ...changes },
        audit,
      ),
    );
  }

  /**
   * Records in the audit trail what happened around a reset without a change of state (a delivery,
   * a notice to an owner). It has happened already: a database that fails here is logged, not thrown.
   */
  async audit(requestId: string, note: AuditNote): Promise<void> {
    try {
      await this.deps.store.appendAudit(requestId, note, this.deps.now());
    } catch (error) {
      this.deps.log?.error('could not write an audit event', {
        requestId,
        type: note.type,
        error: errorMessage(error),
      });
    }
  }
}
