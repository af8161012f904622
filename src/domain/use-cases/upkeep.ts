import type { AuditCheckpoint } from '../audit.js';
import type { RequestStatus } from '../lifecycle.js';
import type { PruneLimits, StateChanges } from '../ports.js';
import type { RequestChanges, ResetRequest } from '../request.js';
import type { OutcomeRecorder } from './outcome-recorder.js';
import { emit, HOUR, MINUTE, SYSTEM_EXPIRY, type UseCaseContext } from './shared.js';

/** What the upkeep needs of the store. */
export interface UpkeepStore extends StateChanges {
  /** Pending requests past their expiry, and approved ones past their grant. */
  listDue(now: number): Promise<ResetRequest[]>;
  listByStatus(status: RequestStatus): Promise<ResetRequest[]>;
  /** Pending requests announced to their approvers, not yet reminded of, past half their time to expiry. */
  listReminderDue(now: number): Promise<ResetRequest[]>;
  /** Marks a pending request reminded, unless it was already (compare-and-set); undefined if not. */
  markReminded(id: string, at: number): Promise<ResetRequest | undefined>;
  /**
   * Removes audit events older than `before`, keeping the rest verifiable; returns how many. With
   * `budgetMs`, stops after the batch that passes it: the rest is for the next call.
   */
  pruneAudit(before: number, limits?: PruneLimits): Promise<number>;
  /** The audit chain's head now: its last row's sequence and hash. */
  auditHead(): Promise<AuditCheckpoint>;
  /**
   * Claims posting the audit checkpoint of `day` (compare-and-set): true for one caller a day across
   * instances, and again after `leaseMs` for a claim never posted nor settled.
   */
  claimAuditCheckpoint(day: string, at: number, leaseMs: number): Promise<boolean>;
  /** Marks the day's checkpoint posted, or gives the claim back for a later try. */
  settleAuditCheckpoint(day: string, at: number, posted: boolean): Promise<void>;
}

export interface UpkeepSettings {
  /**
   * How long a reset may stay in flight before it counts as interrupted: longer than the vendor
   * call can take with its one retry, so another instance's reset in flight is left alone.
   */
  resetStaleAfterMs: number;
  /**
   * How long a password may be on its way to its requester before its delivery counts as
   * interrupted: longer than every private route with its time limit, and the record after, so
   * another instance's delivery in flight is left alone.
   */
  deliveryStaleAfterMs: number;
}

export interface UpkeepDeps extends UseCaseContext {
  store: UpkeepStore;
  recorder: OutcomeRecorder;
  settings: UpkeepSettings;
}

/** How long a claim to post the daily audit checkpoint holds before another instance may take it over. */
const CHECKPOINT_LEASE_MS = 10 * MINUTE;

/**
 * The chores the sweeps run, driven by what the store holds, safe on several instances at once
 * (each change a compare-and-set): expiry, reminders, recovery of what a dead process left in
 * flight, and the audit trail's retention and daily checkpoint.
 */
export class Upkeep {
  constructor(private readonly deps: UpkeepDeps) {}

  /** Expires pending requests and unused grants past their time. Returns those this call expired. */
  async expireDue(): Promise<ResetRequest[]> {
    const { store } = this.deps;
    const now = this.deps.now();
    const expired: ResetRequest[] = [];
    for (const due of await store.listDue(now)) {
      const changed = await store.transition(due.id, [due.status], 'expired', now, {}, SYSTEM_EXPIRY);
      if (changed) {
        emit(this.deps, 'expired', changed, 'system');
        expired.push(changed);
      }
    }
    return expired;
  }

  /**
   * Marks the pending requests due for a reminder (half-way to expiry, once). Returns those this
   * call marked: with several instances, each request is won by one.
   */
  async remindDue(): Promise<ResetRequest[]> {
    const { store } = this.deps;
    const now = this.deps.now();
    const marked: ResetRequest[] = [];
    for (const due of await store.listReminderDue(now)) {
      const won = await store.markReminded(due.id, now);
      if (won) marked.push(won);
    }
    return marked;
  }

  /**
   * A request left `resetting` past any possible vendor answer means a process died between sending
   * the reset and hearing the answer. Its outcome is unknown and it is never retried. One left
   * `delivering` past any possible delivery is final as `undelivered`. Returns both kinds.
   */
  async recoverInterrupted(): Promise<ResetRequest[]> {
    await this.deps.recorder.retryHeld();
    const now = this.deps.now();
    const { resetStaleAfterMs, deliveryStaleAfterMs } = this.deps.settings;
    return [
      // A password issued and never confirmed shown: the process died with it on its way. It was
      // never stored, so nothing can show it now; its requester is told to ask for a new one.
      ...(await this.settleStale('delivering', 'undelivered', now - deliveryStaleAfterMs, now, {
        failureCode: 'interrupted',
      })),
      ...(await this.settleStale('resetting', 'outcome_unknown', now - resetStaleAfterMs, now, {
        finishedAt: now,
        failureCode: 'interrupted',
      })),
    ];
  }

  /**
   * Moves the requests left in `from` since before `staleBefore` (by the time they entered it) to
   * `to`, as the system: none whose outcome this process still holds unrecorded. Returns those it moved.
   */
  private async settleStale(
    from: 'delivering' | 'resetting',
    to: 'undelivered' | 'outcome_unknown',
    staleBefore: number,
    now: number,
    changes: RequestChanges,
  ): Promise<ResetRequest[]> {
    const { store, recorder } = this.deps;
    const settled: ResetRequest[] = [];
    for (const stuck of await store.listByStatus(from)) {
      const since = from === 'delivering' ? stuck.finishedAt : stuck.resetStartedAt;
      if ((since ?? 0) > staleBefore || recorder.holds(stuck.id)) continue;
      const changed = await store.transition(stuck.id, [from], to, now, changes, {
        type: to,
        actor: 'system',
        detail: { failureCode: 'interrupted' },
      });
      if (changed) {
        emit(this.deps, to, changed, 'system');
        settled.push(changed);
      }
    }
    return settled;
  }

  /** Removes audit events older than the retention period (within `budgetMs`, when given). */
  pruneAudit(retentionDays: number, budgetMs?: number): Promise<number> {
    const before = this.deps.now() - retentionDays * 24 * HOUR;
    return this.deps.store.pruneAudit(before, budgetMs === undefined ? {} : { budgetMs });
  }

  /** The audit chain's head now: a checkpoint to keep outside the database. */
  auditCheckpoint(): Promise<AuditCheckpoint> {
    return this.deps.store.auditHead();
  }

  /**
   * Whether this instance posts today's audit checkpoint (UTC day), one across instances; `done`
   * then says whether it was posted, or gives the day back to the next sweep.
   */
  async claimDailyCheckpoint(): Promise<
    { day: string; done: (posted: boolean) => Promise<void> } | undefined
  > {
    const { store, now } = this.deps;
    const day = new Date(now()).toISOString().slice(0, 10);
    if (!(await store.claimAuditCheckpoint(day, now(), CHECKPOINT_LEASE_MS))) return undefined;
    return { day, done: (posted) => store.settleAuditCheckpoint(day, now(), posted) };
  }
}
