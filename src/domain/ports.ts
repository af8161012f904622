import type {
  Approval,
  ApprovalResult,
  NewRequest,
  RequestChanges,
  RequestStatus,
  ResetRequest,
} from './request.js';
import type { Principal } from './policy.js';
import type { AuditCheckpoint, AuditNote, AuditRecord } from './audit.js';

/**
 * Where a page of a list starts: after the item with this time (the one the list is ordered by)
 * and this ID, which breaks ties. A key, not a count, so a page far back is a seek, not a scan.
 */
export interface PageKey {
  at: number;
  id: string;
}

/** How much one prune does: a fixed batch size (else fitted to the time a batch takes), a time budget. */
export interface PruneLimits {
  batchSize?: number;
  budgetMs?: number;
}

/**
 * Persistence for requests and approvals. Every change of state is one compare-and-set: it names
 * the states it expects to leave and does nothing (returns undefined) when the request is elsewhere.
 * A password is never an argument of any method here.
 *
 * An audit note given with a change is written to the audit trail in the same transaction, only
 * when the change is made; addApproval writes its own (approval_counted, approved).
 */
export interface Store {
  migrate(): Promise<void>;
  createRequest(request: NewRequest, audit?: AuditNote): Promise<ResetRequest>;
  getRequest(id: string): Promise<ResetRequest | undefined>;
  findOpenRequest(account: string, appId: string): Promise<ResetRequest | undefined>;
  countRequestsSince(requesterId: string, since: number): Promise<number>;
  transition(
    id: string,
    from: readonly RequestStatus[],
    to: RequestStatus,
    at: number,
    changes?: RequestChanges,
    audit?: AuditNote,
  ): Promise<ResetRequest | undefined>;
  /** Sets fields without a change of state (message references). */
  update(id: string, at: number, changes: RequestChanges): Promise<ResetRequest | undefined>;
  /**
   * Records an approval by a distinct approver and, atomically with it, moves the request from
   * pending to approved once it has `requiredApprovals` of them.
   */
  addApproval(
    id: string,
    approverId: string,
    at: number,
    grantExpiresAt: number,
  ): Promise<ApprovalResult | undefined>;
  listApprovals(id: string): Promise<Approval[]>;
  /** Pending requests past their expiry, and approved ones past their grant. */
  listDue(now: number): Promise<ResetRequest[]>;
  listByStatus(status: RequestStatus): Promise<ResetRequest[]>;
  /** Pending requests posted for approval, not yet reminded of, past half their time to expiry. */
  listReminderDue(now: number): Promise<ResetRequest[]>;
  /** Marks a pending request reminded, unless it was already (compare-and-set); undefined if not. */
  markReminded(id: string, at: number): Promise<ResetRequest | undefined>;
  /** A person's requests, newest first: `limit` of them, after `after` when given. */
  listByRequester(requesterId: string, limit: number, after?: PageKey): Promise<ResetRequest[]>;
  /** Pending requests, the first to expire first. */
  listPending(limit: number, after?: PageKey): Promise<ResetRequest[]>;
  /** Requests an approver decided (the last approval, or a denial), the latest decision first. */
  listDecided(limit: number, after?: PageKey): Promise<ResetRequest[]>;
  /** Requests whose reset ran to an end (completed, failed, outcome unknown), the latest first. */
  listFinished(limit: number, after?: PageKey): Promise<ResetRequest[]>;
  /** Remembers that a person opened the app's Home tab at `at`. */
  rememberHomeViewer(userId: string, at: number): Promise<void>;
  /** The people who opened the Home tab since `since`, the latest first, at most `limit`. */
  homeViewersSince(since: number, limit: number): Promise<string[]>;
  /** Forgets the people who last opened the Home tab before `before`; returns how many. */
  pruneHomeViewers(before: number): Promise<number>;
  /** Records an event that changes no state (a delivery, a notice) in the audit trail. */
  appendAudit(requestId: string, note: AuditNote, at: number): Promise<void>;
  /** The latest audit events of an account, newest first. */
  auditOf(account: string, limit: number): Promise<AuditRecord[]>;
  /** The audit chain's head now: its last row's sequence and hash. */
  auditHead(): Promise<AuditCheckpoint>;
  /**
   * Claims posting the audit checkpoint of `day` (compare-and-set): true for one caller a day across
   * instances, and again after `leaseMs` for a claim never posted nor settled.
   */
  claimAuditCheckpoint(day: string, at: number, leaseMs: number): Promise<boolean>;
  /** Marks the day's checkpoint posted, or gives the claim back for a later try. */
  settleAuditCheckpoint(day: string, at: number, posted: boolean): Promise<void>;
  /**
   * Removes audit events older than `before`, keeping the rest verifiable; returns how many. With
   * `budgetMs`, stops after the batch that passes it: the rest is for the next call.
   */
  pruneAudit(before: number, limits?: PruneLimits): Promise<number>;
  /** How many requests are in each of these states (0 for a state none is in). */
  countByStatus(statuses: readonly RequestStatus[]): Promise<Record<string, number>>;
  /** Answers a trivial query, or throws: for the readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Whether the vendor surely did nothing (`not_processed`: safe to try again) or might have reset the
 * password (`unknown`: never retry, a person has to check).
 */
export type VendorOutcome = 'not_processed' | 'unknown';

/** Why a reset failed at the vendor, in words any vendor's client can map its answers onto. */
/** Every way a vendor call can fail, as the domain names it. */
export const VENDOR_FAILURE_CODES = [
  'invalid_account',
  'unknown_app',
  'auth_failed',
  'ip_restricted',
  'user_locked',
  'too_frequent',
  'timestamp_expired',
  'system_error',
  'parameter_error',
  'account_not_found',
  'api_key_disabled',
  'ip_not_whitelisted',
  'no_app_permission',
  'unknown_status',
  'unreachable',
  'timeout',
  'connection_lost',
  'http_error',
  'http_refused',
  'redirected',
  'bad_response',
] as const;
export type VendorFailureCode = (typeof VENDOR_FAILURE_CODES)[number];

/**
 * A failed reset, as the domain sees it: a code (each has a text in every catalogue) and whether
 * the vendor may have acted. The message is for operators' logs, never shown to a person, and
 * never holds a secret.
 */
export class VendorFailure extends Error {
  override readonly name: string = 'VendorFailure';
  constructor(
    readonly code: VendorFailureCode,
    readonly outcome: VendorOutcome,
    message: string,
  ) {
    super(message);
  }
}

export interface SipResetRequest {
  account: string;
  appId: string;
}

export interface SipResetResult {
  account: string;
  appId: string;
  password: string;
}

/** What the domain needs of the vendor: one irreversible call, failing with a VendorFailure. */
export interface VendorClient {
  sipReset(request: SipResetRequest): Promise<SipResetResult>;
}

/** Finds which configured user groups a user belongs to. */
export interface PrincipalResolver {
  resolve(userId: string): Promise<Principal>;
}

/** For operators: what went wrong where nobody else will hear of it. Never given a secret. */
export interface ServiceLog {
  warn(message: string, meta: Record<string, unknown>): void;
  error(message: string, meta: Record<string, unknown>): void;
}
