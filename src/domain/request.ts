import type { RequestStatus } from './lifecycle.js';

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
  /**
   * When the approvers were told of a pending request (where they decide); null until then. Only an
   * announced request is worth reminding them of.
   */
  announcedAt: number | null;
  /** The Slack view that created the request: each submission acts once. */
  submissionId: string | null;
  /** When approvers were reminded of it, half-way to its expiry; at most once. */
  remindedAt: number | null;
  /**
   * The lock-out that made this request for the phone's owner: approved at once by its agent, so
   * the owner gets a new password at the phone ("Get a new password"). Null for any other request.
   */
  lockoutId: string | null;
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
  Partial<Pick<ResetRequest, 'grantExpiresAt' | 'decidedAt' | 'decidedBy' | 'submissionId' | 'lockoutId'>>;

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
    announcedAt: null,
    submissionId: null,
    remindedAt: null,
    lockoutId: null,
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
