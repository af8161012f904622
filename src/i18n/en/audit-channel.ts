/**
 * The audit channel: a line per final outcome, and the daily checkpoint.
 */
import type { FinalStatus } from '../../domain/lifecycle.js';

export const auditChannel = {
  /** The audit channel: one line per final outcome, and the daily checkpoint; in the default locale. */
  auditChannel: {
    outcome: {
      completed: ':white_check_mark: Password reset',
      failed: ':x: Reset failed',
      undelivered: ':warning: Password reset but not shown to its requester',
      outcome_unknown: ':warning: Reset outcome unknown',
      denied: ':no_entry_sign: Request denied',
      cancelled: ':heavy_multiplication_x: Request cancelled',
      expired: ':hourglass: Request expired',
    } satisfies Record<FinalStatus, string>,
    subject: (outcome: string, account: string, app: string) => `${outcome}: *${account}* (${app}).`,
    failureCode: (why: string, code: string) => `Why: ${why} (\`${code}\`).`,
    askedBy: (who: string) => `Asked by ${who}.`,
    approvedBy: (who: string) => `Approved by ${who}.`,
    noApprovalNeeded: 'No approval needed.',
    deniedBy: (who: string) => `Denied by ${who}.`,
    cancelledBy: (who: string) => `Cancelled by ${who}.`,
    checkpoint: (day: string, seq: number, checkpoint: string) =>
      `:lock: Audit checkpoint for ${day}: row ${seq}. Kept here, outside the database, \`npm run audit -- verify --expect ${checkpoint}\` shows later whether the audit trail still holds it.\n\`${checkpoint}\``,
  },
};
