/**
 * What a failure at ITNIO is: the vendor's documented status codes, each with the domain's failure
 * code, whether the reset may have happened, and a line for operators; and ItnioError, which carries
 * them.
 */
import { VendorFailure, type VendorFailureCode, type VendorOutcome } from '../domain/errors.js';

interface KnownStatus {
  code: VendorFailureCode;
  outcome: VendorOutcome;
  message: string;
}

/**
 * Every status code the vendor documents, with a message for operators' logs; what a person reads is
 * the catalogue's text for its code (i18n/).
 */
export const VENDOR_STATUSES: Readonly<Record<string, KnownStatus>> = {
  '-1': {
    code: 'auth_failed',
    outcome: 'not_processed',
    message: 'ITNIO rejected the API credentials. An admin should check ITNIO_API_KEY and ITNIO_API_SECRET.',
  },
  '-2': {
    code: 'ip_restricted',
    outcome: 'not_processed',
    message: "ITNIO refused this server's IP address. An admin should allow it in the ITNIO console.",
  },
  '-13': {
    code: 'user_locked',
    outcome: 'not_processed',
    message: 'The ITNIO customer account is locked. An admin should contact ITNIO.',
  },
  '-15': {
    code: 'too_frequent',
    outcome: 'not_processed',
    message: 'ITNIO says there were too many requests. Wait a minute, then try again.',
  },
  '-16': {
    code: 'timestamp_expired',
    outcome: 'not_processed',
    message: "ITNIO rejected the request's timestamp. An admin should check this server's clock.",
  },
  '-18': {
    code: 'system_error',
    outcome: 'unknown',
    message: 'ITNIO reported a system error.',
  },
  '-22': {
    code: 'parameter_error',
    outcome: 'not_processed',
    message: 'ITNIO rejected the account or voice application as invalid.',
  },
  '-24': {
    code: 'account_not_found',
    outcome: 'not_processed',
    message: 'There is no such SIP account in that voice application. Check the account number.',
  },
  '-30': {
    code: 'api_key_disabled',
    outcome: 'not_processed',
    message: 'The ITNIO API key is disabled. An admin should enable it or configure a new one.',
  },
  '-31': {
    code: 'ip_not_whitelisted',
    outcome: 'not_processed',
    message: "This server's IP address is not on the ITNIO whitelist. An admin should add it.",
  },
  '-32': {
    code: 'no_app_permission',
    outcome: 'not_processed',
    message: 'The ITNIO API key has no permission for that voice application. An admin should grant it.',
  },
};

/** A failed reset at ITNIO: the domain's failure, with the vendor's own status and reason. */
export class ItnioError extends VendorFailure {
  override readonly name = 'ItnioError';

  constructor(
    code: VendorFailureCode,
    outcome: VendorOutcome,
    message: string,
    /** The vendor's status and reason, when it answered with one. */
    readonly vendorStatus?: string,
    readonly vendorReason?: string,
  ) {
    super(code, outcome, message);
  }
}
