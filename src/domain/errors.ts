import type { ResetRequest } from './request.js';
import type { VendorFailure } from './ports.js';

/** Why the domain said no. Each code has a message for a person in every catalogue of i18n/. */
export type DomainErrorCode =
  | 'refused_no_approval_channel'
  | 'rate_limited'
  | 'open_request_exists'
  | 'not_found'
  | 'not_approver'
  | 'own_request'
  | 'not_requester'
  | 'already_decided'
  | 'request_expired'
  | 'already_approved_by_you'
  | 'grant_expired'
  | 'not_claimable'
  | 'duplicate_submission';

/** A refusal meant for the person who asked; `request` is the request it concerns, when there is one. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    readonly request?: ResetRequest,
  ) {
    super(code);
  }
}

/** The vendor call failed; the request is being moved to failed or outcome_unknown. */
export class ResetFailed extends Error {
  override readonly name = 'ResetFailed';
  constructor(
    /** The request as it is being recorded. */
    readonly request: ResetRequest,
    readonly vendorError: VendorFailure,
    /** Settles once the outcome is stored (or handed to the sweeps); never rejects. */
    readonly recorded: Promise<ResetRequest>,
  ) {
    super(vendorError.message);
  }
}
