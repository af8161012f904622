import type { ResetRequest } from './request.js';

/**
 * The domain's errors, in one place, in the manner of bolt-js's src/errors.ts: each class carries
 * a `code`, so a caller branches on the code (or the class), never on a message.
 */
export interface CodedError extends Error {
  readonly code: string;
}

/**
 * What anything thrown says, for a log line: an Error's message, else the value as text. Never
 * throws itself, since a catch reads it: `throw null`, `undefined`, or an object without toString.
 */
export function errorMessage(error: unknown): string {
  try {
    if (typeof error === 'object' && error !== null) {
      const { message } = error as { message?: unknown };
      if (typeof message === 'string') return message;
    }
    return String(error);
  } catch {
    return typeof error;
  }
}

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
  | 'duplicate_submission'
  /** Lock-outs (see lockout.ts): only helpdesk agents prepare, start or stop one. */
  | 'not_helpdesk'
  | 'lockout_empty'
  | 'lockout_reason_required'
  | 'lockout_invalid_account'
  | 'lockout_unknown_app'
  | 'lockout_duplicate_phone'
  /** Not a draft of this agent's any more: started already (a second click), expired, or another's. */
  | 'lockout_not_startable'
  /** Stop pressed on a lock-out that has already ended. */
  | 'lockout_not_running'
  /** Stop pressed again while the lock-out stops: the phone in progress finishes, then it ends. */
  | 'lockout_stopping'
  | 'lockout_not_found';

/** A refusal meant for the person who asked; `request` is the request it concerns, when there is one. */
export class DomainError extends Error implements CodedError {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    readonly request?: ResetRequest,
  ) {
    super(code);
  }
}

/** Thrown by the store's createRequest when the account already has an open request. */
export class OpenRequestExists extends Error implements CodedError {
  override readonly name = 'OpenRequestExists';
  readonly code = 'open_request_exists';
  constructor(readonly existing: ResetRequest) {
    super('This account already has an open request.');
  }
}

/** Thrown by the store's createRequest when a request was already made from the same submission (a replay). */
export class DuplicateSubmission extends Error implements CodedError {
  override readonly name = 'DuplicateSubmission';
  readonly code = 'duplicate_submission';
  constructor(readonly existing: ResetRequest) {
    super('A request was already made from this submission.');
  }
}

/**
 * Whether the vendor surely did nothing (`not_processed`: safe to try again) or might have reset the
 * password (`unknown`: never retry, a person has to check).
 */
export type VendorOutcome = 'not_processed' | 'unknown';

/** Every way a vendor call can fail, in words any vendor's client can map its answers onto. */
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
 * A failed vendor call, as the domain sees it: a code (each has a text in every catalogue) and
 * whether the vendor may have acted. The message is for operators' logs, never shown to a person,
 * and never holds a secret.
 */
export class VendorFailure extends Error implements CodedError {
  override readonly name: string = 'VendorFailure';
  constructor(
    readonly code: VendorFailureCode,
    readonly outcome: VendorOutcome,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What a vendor call threw, as a VendorFailure. Anything the client does not know (a bug, a fault
 * below it) may have reached the vendor, so it is an unknown outcome, never to be retried.
 */
export function asVendorFailure(error: unknown): VendorFailure {
  return error instanceof VendorFailure
    ? error
    : new VendorFailure('connection_lost', 'unknown', `vendor client failed: ${errorMessage(error)}`);
}

/** The vendor call failed; the request is being moved to failed or outcome_unknown. */
export class ResetFailed extends Error implements CodedError {
  override readonly name = 'ResetFailed';
  readonly code = 'reset_failed';
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
