import type { RequestChanges, ResetRequest } from './request.js';
import type { RequestStatus } from './lifecycle.js';
import type { Principal } from './policy.js';
import type { AuditNote } from './audit.js';
import type { DecisionStore } from './use-cases/decisions.js';
import type { IntakeStore } from './use-cases/intake.js';
import type { LockoutStore } from './use-cases/lockouts.js';
import type { QueryStore } from './use-cases/queries.js';
import type { ResetStore } from './use-cases/resets.js';
import type { UpkeepStore } from './use-cases/upkeep.js';

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

/** Reads a request by its ID: shared by the use cases' ports. */
export interface RequestLookup {
  getRequest(id: string): Promise<ResetRequest | undefined>;
}

/** A change of state, shared by the use cases' ports. */
export interface StateChanges {
  /**
   * Moves a request to `to` only from one of the `from` states (compare-and-set), with `changes`,
   * and writes `audit` in the same transaction; does nothing and returns undefined when the
   * request is elsewhere.
   */
  transition(
    id: string,
    from: readonly RequestStatus[],
    to: RequestStatus,
    at: number,
    changes?: RequestChanges,
    audit?: AuditNote,
  ): Promise<ResetRequest | undefined>;
}

/**
 * Persistence for requests, approvals and the audit trail: the union of what each use case needs
 * (its own port, beside it in use-cases/), and what the process needs to run one. Every change of
 * state is one compare-and-set: it names the states it expects to leave and does nothing (returns
 * undefined) when the request is elsewhere. A password is never an argument of any method here.
 *
 * An audit note given with a change is written to the audit trail in the same transaction, only
 * when the change is made; addApproval writes its own (approval_counted, approved).
 */
export interface Store extends IntakeStore, DecisionStore, ResetStore, UpkeepStore, QueryStore, LockoutStore {
  migrate(): Promise<void>;
  /** The open request of an account and app, if any. */
  findOpenRequest(account: string, appId: string): Promise<ResetRequest | undefined>;
  /** How many requests are in each of these states (0 for a state none is in). */
  countByStatus(statuses: readonly RequestStatus[]): Promise<Record<string, number>>;
  /** Answers a trivial query, or throws: for the readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface SipResetRequest {
  account: string;
  appId: string;
  /**
   * A lock-out's reset: its password is thrown away as it arrives, so the client does not remember
   * it for redaction (it reaches nothing to redact), where thousands of them would push out the
   * passwords people are being shown and stay in memory for half an hour.
   */
  discarded?: boolean;
}

export interface SipResetResult {
  account: string;
  appId: string;
  password: string;
}

/** What the domain needs of the vendor: one irreversible call, failing with a VendorFailure (errors.ts). */
export interface VendorClient {
  sipReset(request: SipResetRequest): Promise<SipResetResult>;
}

/** Finds which configured user groups a user belongs to. */
export interface PrincipalResolver {
  resolve(userId: string): Promise<Principal>;
}
