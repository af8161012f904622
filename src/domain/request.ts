/**
 * A reset request's life:
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
export const OPEN_STATUSES: readonly RequestStatus[] = ['pending', 'approved', 'resetting', 'delivering'];

export interface ResetRequest {
  id: string;
  requesterId: string;
  account: string;
  appId: string;
  reason: string;
  status: RequestStatus;
  /** 0 for a direct reset. */
  requiredApprovals: number;
  createdAt: number;
  /** When a pending request expires. */
  expiresAt: number;
  /** When an approved request may no longer be used to reset. */
  grantExpiresAt: number | null;
  decidedAt: number | null;
  decidedBy: string | null;
  denyReason: string | null;
  resetStartedAt: number | null;
  finishedAt: number | null;
  /** The vendor error code of a failed or unknown reset; why the app withdrew a cancelled one. */
  failureCode: string | null;
  /** The approval channel message, to update when the request moves on. */
  approvalChannel: string | null;
  approvalTs: string | null;
  /** The requester's DM holding the "Reset now" button. */
  grantChannel: string | null;
  grantTs: string | null;
  /** The Slack view that created the request: each submission acts once. */
  submissionId: string | null;
  /** When approvers were reminded of it, half-way to its expiry; at most once. */
  remindedAt: number | null;
  updatedAt: number;
}

export type NewRequest = Pick<
  ResetRequest,
  | 'id'
  | 'requesterId'
  | 'account'
  | 'appId'
  | 'reason'
  | 'status'
  | 'requiredApprovals'
  | 'createdAt'
  | 'expiresAt'
> &
  Partial<Pick<ResetRequest, 'grantExpiresAt' | 'decidedAt' | 'decidedBy' | 'submissionId'>>;

/** The full record of a new request: everything not given is not yet known. */
export function newRecord(request: NewRequest): ResetRequest {
  return {
    grantExpiresAt: null,
    decidedAt: null,
    decidedBy: null,
    denyReason: null,
    resetStartedAt: null,
    finishedAt: null,
    failureCode: null,
    approvalChannel: null,
    approvalTs: null,
    grantChannel: null,
    grantTs: null,
    submissionId: null,
    remindedAt: null,
    ...request,
    updatedAt: request.createdAt,
  };
}

/** The fields a transition may set besides the status. */
export type RequestChanges = Partial<
  Pick<
    ResetRequest,
    | 'grantExpiresAt'
    | 'decidedAt'
    | 'decidedBy'
    | 'denyReason'
    | 'resetStartedAt'
    | 'finishedAt'
    | 'failureCode'
    | 'approvalChannel'
    | 'approvalTs'
    | 'grantChannel'
    | 'grantTs'
  >
>;

export interface Approval {
  requestId: string;
  approverId: string;
  at: number;
}

export interface ApprovalResult {
  /** The request after the approval; `approved` once it had enough distinct approvers. */
  request: ResetRequest;
  /** False when this approver had already approved (a double click, a retry). */
  counted: boolean;
  approvals: Approval[];
}

/** Thrown by createRequest when the account already has an open request. */
export class OpenRequestExists extends Error {
  override readonly name = 'OpenRequestExists';
  constructor(readonly existing: ResetRequest) {
    super('This account already has an open request.');
  }
}

/** Thrown by createRequest when a request was already made from the same submission (a replay). */
export class DuplicateSubmission extends Error {
  override readonly name = 'DuplicateSubmission';
  constructor(readonly existing: ResetRequest) {
    super('A request was already made from this submission.');
  }
}
