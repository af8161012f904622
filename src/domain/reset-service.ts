import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';
import type { PolicyConfig } from './policy.js';
import {
  DuplicateSubmission,
  OPEN_STATUSES,
  OpenRequestExists,
  type Approval,
  type RequestChanges,
  type ResetRequest,
} from './request.js';
import { checkAccount, type AccountProblem } from './account.js';
import {
  VendorFailure,
  type PageKey,
  type PrincipalResolver,
  type ServiceLog,
  type Store,
  type VendorClient,
} from './ports.js';
import { DomainError, ResetFailed } from './errors.js';
import type { AuditCheckpoint, AuditNote, AuditRecord } from './audit.js';
import {
  checkApprover,
  decideReset,
  formOutlook,
  isListed,
  mayDecide,
  ownersOf,
  type FormOutlook,
  type ResetDecision,
} from './policy.js';

export interface ResetServiceSettings {
  appIds: readonly string[];
  requestTtlMinutes: number;
  grantTtlMinutes: number;
  maxRequestsPerHour: number;
  /** False when no approval channel is configured: requests that need approval are refused. */
  approvalsPossible: boolean;
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
  /**
   * Waits between attempts to record a reset's outcome once the vendor has answered: the reset
   * cannot be undone, so a database that is locked or restarting must not lose it. After the last,
   * the next sweeps keep trying.
   */
  recordRetryDelaysMs?: readonly number[];
}

/**
 * What happened to a request, for operators: every change of state, with who caused it (a user ID,
 * or `system` for expiry and recovery). Never carries a secret: requests do not hold one.
 */
export interface RequestEvent {
  type:
    | 'created'
    | 'approval_counted'
    | 'approved'
    | 'denied'
    | 'cancelled'
    | 'reset_started'
    | 'delivering'
    | 'completed'
    | 'undelivered'
    | 'failed'
    | 'outcome_unknown'
    | 'expired';
  request: ResetRequest;
  actor: string;
}

/** The events that end a request: nothing happens to it after one. */
export const FINAL_EVENTS = [
  'completed',
  'undelivered',
  'failed',
  'outcome_unknown',
  'denied',
  'cancelled',
  'expired',
] as const satisfies ReadonlyArray<RequestEvent['type']>;
export type FinalEvent = (typeof FINAL_EVENTS)[number];

export interface ResetServiceDeps {
  onEvent?: (event: RequestEvent) => void;
  store: Store;
  vendor: VendorClient;
  policy: PolicyConfig;
  directory: PrincipalResolver;
  settings: ResetServiceSettings;
  now: () => number;
  newId?: () => string;
  log?: ServiceLog;
  /** Waits between recording attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
}

export interface ResetInput {
  account: string;
  appId: string;
  reason: string;
  /** What identifies this submission of the form (Slack's view ID), so a replay acts once. */
  submissionId?: string;
}

/** What is wrong with a form, field by field. */
export interface InputProblems {
  account?: AccountProblem;
  appId?: 'unknown';
  reason?: 'required';
}

export type SubmitResult =
  | { kind: 'direct'; request: ResetRequest }
  | { kind: 'pending'; request: ResetRequest; decision: Extract<ResetDecision, { kind: 'approval' }> };

export interface ApproveResult {
  request: ResetRequest;
  approvals: Approval[];
  /** True when this approval was the one that approved the request. */
  approvedNow: boolean;
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
   * never rejects. Delivery must not wait for it; deliveredTo or undelivered follows it.
   */
  recorded: Promise<ResetRequest>;
}

/**
 * Which part of a list to show: `limit` items after the item `after` names (from the first without
 * it); `position` is how many come before them, for the range a person reads.
 */
export interface PageQuery {
  after?: PageKey;
  position: number;
  limit: number;
}

/** A part of a list, how many come before it, and where the next part starts when more follow it. */
export interface Page<T> {
  items: T[];
  position: number;
  more: boolean;
  next?: PageKey;
}

export type HomeSection = 'mine' | 'queue' | 'decisions' | 'resets';

/** What a person's App Home shows: what their roles let them see, each list a page at a time. */
export interface HomeContents {
  viewerId: string;
  /** Their own requests, newest first. */
  mine: Page<ResetRequest>;
  /** For those who decide (approvers, helpdesk agents): the pending requests, the first to expire first. */
  queue?: Page<{ request: ResetRequest; approvals: Approval[] }>;
  /** For those who decide: the latest decisions, by anyone. */
  decisions?: Page<ResetRequest>;
  /** For helpdesk agents: the latest resets, by anyone. */
  resets?: Page<ResetRequest>;
}

export type MessageRefs = Pick<RequestChanges, 'approvalChannel' | 'approvalTs' | 'grantChannel' | 'grantTs'>;

const MINUTE = 60_000;
/** A direct reset runs at once; should the process die first, its slot frees itself soon. */
const DIRECT_GRANT_MS = 2 * MINUTE;
const HOUR = 60 * MINUTE;
/** How long a claim to post the daily audit checkpoint holds before another instance may take it over. */
const CHECKPOINT_LEASE_MS = 10 * MINUTE;
const SYSTEM_EXPIRY: AuditNote = { type: 'expired', actor: 'system' };

/**
 * Why the app itself withdrew a request before anything was reset: the requester could not be
 * reached privately, the approval channel refused its message, or the database failed first.
 * Kept in the request's failureCode, so what shows it can say the app withdrew it, not its requester.
 */
export type WithdrawalReason = 'no_private_route' | 'approval_channel_refused' | 'database_failed';
/** About 16 s of attempts: longer than a busy database or a PostgreSQL restart usually takes. */
const RECORD_RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000];

/**
 * The request lifecycle. Knows nothing of Slack. Every change of state is a compare-and-set in the
 * store, so a double click, a retry or two instances can never act twice; only the caller that won
 * the change to `resetting` calls the vendor.
 */
export class ResetService {
  private readonly newId: () => string;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Outcomes the vendor gave that the database has not taken yet, by request ID: the sweep retries them. */
  private readonly unrecorded = new Map<string, () => Promise<ResetRequest | undefined>>();

  constructor(private readonly deps: ResetServiceDeps) {
    this.newId = deps.newId ?? randomUUID;
    this.sleep = deps.sleep ?? ((ms) => delay(ms));
  }

  /**
   * What the reset form will do for this person when submitted (for an account typed in advance,
   * if any): the form says so before the click, and names its submit button after it.
   */
  async outlook(requesterId: string, account?: string): Promise<FormOutlook> {
    const requester = await this.deps.directory.resolve(requesterId);
    return formOutlook(requester, account, this.deps.policy, this.deps.settings.approvalsPossible);
  }

  /** Checks a form and decides the path it would take, without changing anything. */
  async assess(
    requesterId: string,
    input: ResetInput,
  ): Promise<{ problems: InputProblems; decision: ResetDecision }> {
    const problems: InputProblems = {};
    const accountProblem = checkAccount(input.account);
    if (accountProblem) problems.account = accountProblem;
    if (!this.deps.settings.appIds.includes(input.appId)) problems.appId = 'unknown';
    const requester = await this.deps.directory.resolve(requesterId);
    const decision = decideReset(
      requester,
      input.account,
      this.deps.policy,
      this.deps.settings.approvalsPossible,
    );
    if (decision.kind === 'approval' && decision.reasonRequired && input.reason.trim().length === 0) {
      problems.reason = 'required';
    }
    return { problems, decision };
  }

  /**
   * Creates a request: approved at once when the policy allows a direct reset, pending otherwise.
   * The caller has checked the input with assess().
   */
  async submit(requesterId: string, input: ResetInput): Promise<SubmitResult> {
    const { decision } = await this.assess(requesterId, input);
    if (decision.kind === 'refused') throw new DomainError('refused_no_approval_channel');
    const now = this.deps.now();
    const helpdeskDirect = decision.kind === 'direct' && decision.basis === 'helpdesk';
    if (!helpdeskDirect) {
      const recent = await this.deps.store.countRequestsSince(requesterId, now - HOUR);
      if (recent >= this.deps.settings.maxRequestsPerHour) throw new DomainError('rate_limited');
    }
    const { requestTtlMinutes } = this.deps.settings;
    const base = {
      id: this.newId(),
      requesterId,
      account: input.account,
      appId: input.appId,
      reason: input.reason.trim(),
      submissionId: input.submissionId ?? null,
      createdAt: now,
      expiresAt: now + requestTtlMinutes * MINUTE,
    };
    try {
      if (decision.kind === 'direct') {
        const request = await this.deps.store.createRequest(
          {
            ...base,
            status: 'approved',
            requiredApprovals: 0,
            decidedAt: now,
            grantExpiresAt: now + DIRECT_GRANT_MS,
          },
          { type: 'requested', actor: requesterId, detail: { path: 'direct' } },
        );
        this.note('created', request, requesterId);
        return { kind: 'direct', request };
      }
      const request = await this.deps.store.createRequest(
        { ...base, status: 'pending', requiredApprovals: decision.approvals },
        { type: 'requested', actor: requesterId, detail: { path: 'approval' } },
      );
      this.note('created', request, requesterId);
      return { kind: 'pending', request, decision };
    } catch (error) {
      if (error instanceof DuplicateSubmission) throw new DomainError('duplicate_submission', error.existing);
      if (error instanceof OpenRequestExists) {
        // Who asked is named only to those who handle requests (the helpdesk, approvers).
        const asker = await this.deps.directory.resolve(requesterId);
        const handles = isListed(asker, this.deps.policy.helpdesk) || mayDecide(asker, this.deps.policy);
        throw new DomainError('open_request_exists', handles ? error.existing : undefined);
      }
      throw error;
    }
  }

  private note(type: RequestEvent['type'], request: ResetRequest, actor: string): void {
    this.deps.onEvent?.({ type, request, actor });
  }

  private async mustGet(requestId: string): Promise<ResetRequest> {
    const request = await this.deps.store.getRequest(requestId);
    if (!request) throw new DomainError('not_found');
    return request;
  }

  /**
   * Throws unless this user may decide this request now. A request past its expiry is refused
   * but left to expireDue(), which moves it and tells everyone concerned, once.
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
    const request = await this.mustGet(requestId);
    await this.checkDecider(request, userId);
    return request;
  }

  /** Remembers where the request is shown in Slack (or elsewhere), without a change of state. */
  attachMessages(requestId: string, refs: MessageRefs): Promise<ResetRequest | undefined> {
    return this.deps.store.update(requestId, this.deps.now(), refs);
  }

  async approve(requestId: string, approverId: string): Promise<ApproveResult> {
    const request = await this.mustGet(requestId);
    await this.checkDecider(request, approverId);
    const now = this.deps.now();
    const result = await this.deps.store.addApproval(
      requestId,
      approverId,
      now,
      now + this.deps.settings.grantTtlMinutes * MINUTE,
    );
    if (!result) throw new DomainError('already_decided', await this.mustGet(requestId));
    if (!result.counted) throw new DomainError('already_approved_by_you', result.request);
    const approvedNow = result.request.status === 'approved';
    this.note(approvedNow ? 'approved' : 'approval_counted', result.request, approverId);
    return {
      request: result.request,
      approvals: result.approvals,
      approvedNow,
    };
  }

  async deny(requestId: string, approverId: string, reason: string): Promise<ResetRequest> {
    const request = await this.mustGet(requestId);
    await this.checkDecider(request, approverId);
    const now = this.deps.now();
    const denied = await this.deps.store.transition(
      requestId,
      ['pending'],
      'denied',
      now,
      { decidedAt: now, decidedBy: approverId, denyReason: reason.trim() || null },
      { type: 'denied', actor: approverId },
    );
    if (!denied) throw new DomainError('already_decided', await this.mustGet(requestId));
    this.note('denied', denied, approverId);
    return denied;
  }

  /** The requester withdraws a request that is still pending, or an approval not yet used. */
  async cancel(requestId: string, userId: string): Promise<ResetRequest> {
    const request = await this.mustGet(requestId);
    if (request.requesterId !== userId) throw new DomainError('not_requester', request);
    const cancelled = await this.deps.store.transition(
      requestId,
      ['pending', 'approved'],
      'cancelled',
      this.deps.now(),
      {},
      { type: 'cancelled', actor: userId },
    );
    if (!cancelled) throw new DomainError('already_decided', await this.mustGet(requestId));
    this.note('cancelled', cancelled, userId);
    return cancelled;
  }

  /** The app withdraws a request that is still pending, or an approval not yet used, for this reason. */
  async withdraw(requestId: string, reason: WithdrawalReason): Promise<ResetRequest> {
    const withdrawn = await this.deps.store.transition(
      requestId,
      ['pending', 'approved'],
      'cancelled',
      this.deps.now(),
      { failureCode: reason },
      { type: 'cancelled', actor: 'system', detail: { reason } },
    );
    if (!withdrawn) throw new DomainError('already_decided', await this.mustGet(requestId));
    this.note('cancelled', withdrawn, 'system');
    return withdrawn;
  }

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
      if (expired) this.note('expired', expired, 'system');
      throw new DomainError('grant_expired', expired ?? request);
    }
    if (request.status !== 'approved') throw new DomainError('not_claimable', request);
  }

  /**
   * Resets the password of an approved request, for its requester, once. Never retried: a reset
   * whose outcome is unknown stays outcome_unknown for a person to check.
   */
  async reset(requestId: string, userId: string): Promise<ResetDone> {
    await this.assertResettable(await this.mustGet(requestId), userId);
    const now = this.deps.now();
    const claimed = await this.deps.store.transition(
      requestId,
      ['approved'],
      'resetting',
      now,
      { resetStartedAt: now },
      { type: 'reset_started', actor: userId },
    );
    if (!claimed) throw new DomainError('not_claimable', await this.mustGet(requestId));
    this.note('reset_started', claimed, userId);

    let password: string;
    try {
      ({ password } = await this.deps.vendor.sipReset({ account: claimed.account, appId: claimed.appId }));
    } catch (error) {
      const vendorError =
        error instanceof VendorFailure
          ? error
          : // Not a failure the client knows: it may have reached the vendor, so never retry it.
            new VendorFailure('connection_lost', 'unknown', `vendor client failed: ${errorText(error)}`);
      const outcome = vendorError.outcome === 'not_processed' ? 'failed' : 'outcome_unknown';
      const finishedAt = this.deps.now();
      const changes = { finishedAt, failureCode: vendorError.code };
      const finished: ResetRequest = { ...claimed, ...changes, status: outcome, updatedAt: finishedAt };
      const recorded = this.record(finished, userId, () =>
        this.deps.store.transition(requestId, ['resetting'], outcome, finishedAt, changes, {
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
      this.record(issued, userId, () =>
        // From outcome_unknown too: another instance's sweep may have given up on a reset that did answer.
        this.deps.store.transition(
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
    return this.record(settled, actor, () =>
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
   * Stores a reset's outcome, retrying with backoff while the database fails; past the last attempt
   * the sweeps keep trying, and the request is not taken for an interrupted one meanwhile.
   */
  private async record(
    outcome: ResetRequest,
    actor: string,
    write: () => Promise<ResetRequest | undefined>,
  ): Promise<ResetRequest> {
    const delays = this.deps.settings.recordRetryDelaysMs ?? RECORD_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const stored = await write();
        this.unrecorded.delete(outcome.id);
        if (stored) this.note(outcome.status as RequestEvent['type'], stored, actor);
        return stored ?? outcome;
      } catch (error) {
        const wait = delays[attempt];
        const meta = {
          requestId: outcome.id,
          status: outcome.status,
          attempt: attempt + 1,
          error: errorText(error),
        };
        if (wait === undefined) {
          this.deps.log?.error('could not record a reset outcome; the sweep will keep trying', meta);
          this.unrecorded.set(outcome.id, write);
          return outcome;
        }
        this.deps.log?.warn('could not record a reset outcome; trying again', meta);
        await this.sleep(wait);
      }
    }
  }

  /**
   * Records in the audit trail what happened to a request without a change of state (a delivery, a
   * notice to an owner). It has happened already: a database that fails here is logged, not thrown.
   */
  async audit(requestId: string, note: AuditNote): Promise<void> {
    try {
      await this.deps.store.appendAudit(requestId, note, this.deps.now());
    } catch (error) {
      this.deps.log?.error('could not write an audit event', {
        requestId,
        type: note.type,
        error: errorText(error),
      });
    }
  }

  /**
   * The latest audit events of an account, newest first, for a helpdesk agent; undefined for
   * anyone else, who may not see who reset what.
   */
  async history(userId: string, account: string, limit: number): Promise<AuditRecord[] | undefined> {
    const viewer = await this.deps.directory.resolve(userId);
    if (!isListed(viewer, this.deps.policy.helpdesk)) return undefined;
    return this.deps.store.auditOf(account, limit);
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

  approvals(requestId: string): Promise<Approval[]> {
    return this.deps.store.listApprovals(requestId);
  }

  get(requestId: string): Promise<ResetRequest | undefined> {
    return this.deps.store.getRequest(requestId);
  }

  /** Remembers that a person opened the app's Home tab, for republishing it when a request changes. */
  rememberHomeViewer(userId: string): Promise<void> {
    return this.deps.store.rememberHomeViewer(userId, this.deps.now());
  }

  /** The people who opened the Home tab within `withinMs`, the latest first, at most `limit`. */
  recentHomeViewers(withinMs: number, limit: number): Promise<string[]> {
    return this.deps.store.homeViewersSince(this.deps.now() - withinMs, limit);
  }

  /** Forgets the people who have not opened the Home tab within `withinMs`: nothing is republished for them. */
  forgetHomeViewers(withinMs: number): Promise<number> {
    return this.deps.store.pruneHomeViewers(this.deps.now() - withinMs);
  }

  /** What a person's App Home shows, each list the page asked for; the roles are checked here. */
  async home(userId: string, pages: Record<HomeSection, PageQuery>): Promise<HomeContents> {
    const viewer = await this.deps.directory.resolve(userId);
    const { store, policy } = this.deps;
    const page = async (
      query: PageQuery,
      list: (limit: number, after?: PageKey) => Promise<ResetRequest[]>,
      keyOf: (request: ResetRequest) => number | null,
    ): Promise<Page<ResetRequest>> => {
      // One more than shown tells whether there is a next page, without counting them all.
      const found = await list(query.limit + 1, query.after);
      const items = found.slice(0, query.limit);
      const last = items.at(-1);
      const more = found.length > query.limit && last !== undefined;
      const next = more ? { at: keyOf(last) ?? 0, id: last.id } : undefined;
      return { items, position: query.position, more, ...(next ? { next } : {}) };
    };
    const decides = mayDecide(viewer, policy);
    const helpdesk = isListed(viewer, policy.helpdesk);
    // Read side by side: on PostgreSQL each list is a round trip of its own.
    const [mine, pending, decisions, resets] = await Promise.all([
      page(
        pages.mine,
        (limit, after) => store.listByRequester(userId, limit, after),
        (r) => r.createdAt,
      ),
      decides
        ? page(
            pages.queue,
            (limit, after) => store.listPending(limit, after),
            (r) => r.createdAt,
          )
        : undefined,
      decides
        ? page(
            pages.decisions,
            (limit, after) => store.listDecided(limit, after),
            (r) => r.decidedAt,
          )
        : undefined,
      helpdesk
        ? page(
            pages.resets,
            (limit, after) => store.listFinished(limit, after),
            (r) => r.finishedAt,
          )
        : undefined,
    ]);
    const contents: HomeContents = { viewerId: userId, mine };
    if (pending) {
      const items = await Promise.all(
        pending.items.map(async (request) => ({ request, approvals: await store.listApprovals(request.id) })),
      );
      contents.queue = { ...pending, items };
    }
    if (decisions) contents.decisions = decisions;
    if (resets) contents.resets = resets;
    return contents;
  }

  /**
   * A person's open requests, newest first. Among their latest 100: the per-hour limit and the
   * request and grant lifetimes keep anyone's open ones far more recent than that.
   */
  async openRequestsOf(requesterId: string): Promise<ResetRequest[]> {
    const latest = await this.deps.store.listByRequester(requesterId, 100);
    return latest.filter((request) => OPEN_STATUSES.includes(request.status));
  }

  /**
   * Marks the pending requests due for a reminder (half-way to expiry, once). Returns those this
   * call marked: with several instances, each request is won by one.
   */
  async remindDue(): Promise<ResetRequest[]> {
    const now = this.deps.now();
    const marked: ResetRequest[] = [];
    for (const due of await this.deps.store.listReminderDue(now)) {
      const won = await this.deps.store.markReminded(due.id, now);
      if (won) marked.push(won);
    }
    return marked;
  }

  /** Expires pending requests and unused grants past their time. Returns those this call expired. */
  async expireDue(): Promise<ResetRequest[]> {
    const now = this.deps.now();
    const expired: ResetRequest[] = [];
    for (const due of await this.deps.store.listDue(now)) {
      const changed = await this.deps.store.transition(
        due.id,
        [due.status],
        'expired',
        now,
        {},
        SYSTEM_EXPIRY,
      );
      if (changed) {
        this.note('expired', changed, 'system');
        expired.push(changed);
      }
    }
    return expired;
  }

  /**
   * A request left `resetting` past any possible vendor answer means a process died between sending
   * the reset and hearing the answer. Its outcome is unknown and it is never retried. One left
   * `delivering` past any possible delivery is final as `undelivered`. Returns both kinds.
   */
  async recoverInterrupted(): Promise<ResetRequest[]> {
    for (const [id, write] of [...this.unrecorded]) {
      const stored = await write().catch(() => undefined);
      if (stored) {
        this.unrecorded.delete(id);
        this.note(stored.status as RequestEvent['type'], stored, 'system');
      }
    }
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
    const settled: ResetRequest[] = [];
    for (const stuck of await this.deps.store.listByStatus(from)) {
      const since = from === 'delivering' ? stuck.finishedAt : stuck.resetStartedAt;
      if ((since ?? 0) > staleBefore || this.unrecorded.has(stuck.id)) continue;
      const changed = await this.deps.store.transition(stuck.id, [from], to, now, changes, {
        type: to,
        actor: 'system',
        detail: { failureCode: 'interrupted' },
      });
      if (changed) {
        this.note(to, changed, 'system');
        settled.push(changed);
      }
    }
    return settled;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
