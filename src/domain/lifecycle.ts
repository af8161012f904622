import type { ResetRequest } from './request.js';

/**
 * A reset request's life, its names defined here once (the store's rows, the events, the audit
 * trail, the metrics and the catalogues all derive theirs from these):
 * pending -> approved -> resetting -> delivering -> completed | undelivered, or resetting -> failed |
 * outcome_unknown (`delivering`: the vendor issued a password, Slack has not yet confirmed it showed it),
 * or pending -> denied | expired | cancelled, or approved -> expired (the grant was never used).
 * A direct reset is created approved, with no approvals required.
 */
export const REQUEST_STATUSES = [
  'pending',
  'approved',
  'resetting',
  'delivering',
  'completed',
  'undelivered',
  'denied',
  'expired',
  'cancelled',
  'failed',
  'outcome_unknown',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The states in which a request still holds its account: at most one such request per account and app. */
export const OPEN_STATUSES = [
  'pending',
  'approved',
  'resetting',
  'delivering',
] as const satisfies readonly RequestStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** The states that end a request: nothing happens to it after one. */
export type FinalStatus = Exclude<RequestStatus, OpenStatus>;
export const FINAL_STATUSES: readonly FinalStatus[] = REQUEST_STATUSES.filter(
  (status): status is FinalStatus => !(OPEN_STATUSES as readonly string[]).includes(status),
);

export function isOpen(status: RequestStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

export function isFinal(status: string): status is FinalStatus {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/**
 * What can happen to a request, each named by the state it reaches, but for its creation (pending,
 * or approved for a direct reset), an approval that counts without approving, and the start of a reset.
 */
export type RequestEventType =
  'created' | 'approval_counted' | 'approved' | 'reset_started' | 'delivering' | FinalStatus;

/**
 * What happened to a request, for operators: every change of state, with who caused it (a user ID,
 * or `system` for expiry and recovery). Never carries a secret: requests do not hold one.
 */
export interface RequestEvent {
  type: RequestEventType;
  request: ResetRequest;
  actor: string;
}

/**
 * What the audit trail records: every change of a request (its creation is `requested`, the
 * password issued is `password_issued`: names the trail has always had), and what happened around
 * one without a change of state.
 */
export type AuditType =
  | 'requested'
  | 'approval_counted'
  | 'approved'
  | 'reset_started'
  | 'password_issued'
  | FinalStatus
  | 'password_delivered'
  | 'delivery_failed'
  | 'owner_notified'
  | LockoutAuditType;

/**
 * What the audit trail records of a lock-out (lockout.ts): its start, stop and end (no request:
 * the campaign's ID and counts in the detail), and each phone's outcome (its account and app, the
 * campaign's ID in the detail).
 */
export type LockoutAuditType =
  | 'lockout_started'
  | 'lockout_stopped'
  | 'lockout_ended'
  | 'locked_out'
  | 'lockout_failed'
  | 'lockout_unknown';
