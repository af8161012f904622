/**
 * `/sip-reset history`: an account's recorded events.
 */
import type { AuditType } from '../../domain/lifecycle.js';

export const history = {
  history: {
    usage: (command: string) =>
      `Type \`${command} history 1003\` to see what happened to account 1003 lately.`,
    refused: 'Only helpdesk agents can see the history of an account.',
    unavailable: 'The history could not be read just now. Try again in a minute.',
    empty: (account: string) => `Nothing has been recorded for *${account}*.`,
    title: (account: string) => `The latest events of *${account}*, newest first:`,
    line: (date: string, what: string, detail: string) => `• ${date}: ${what}${detail}`,
    lineBy: (date: string, who: string, what: string, detail: string) => `• ${date} ${who}: ${what}${detail}`,
    detail: (words: string) => ` (${words})`,
    /** Between the facts of one event: phrases, not names, so Chinese does not join them with 、. */
    factSeparator: ', ',
    /** What an event's recorded facts mean; a failure's reason is one of failureReasons. */
    path: {
      direct: 'no approval needed',
      approval: 'needs approval',
      lockout: 'for the owner, after a lock-out',
    },
    route: {
      response_url: 'as a reply to their command or click',
      ephemeral: 'privately in the channel',
      dm_ephemeral: 'privately in their DM with the app',
    },
    timedOut: 'after an attempt Slack did not confirm in time',
    event: {
      requested: 'requested a reset',
      approval_counted: 'approved (one approval counted)',
      approved: 'approved the request',
      denied: 'denied the request',
      cancelled: 'cancelled the request',
      expired: 'expired',
      reset_started: 'started the reset',
      completed: 'reset completed',
      failed: 'reset failed',
      outcome_unknown: 'reset outcome unknown',
      password_issued: 'new password issued by ITNIO',
      undelivered: 'new password could not be shown',
      password_delivered: 'password delivered privately',
      delivery_failed: 'password could not be delivered',
      owner_notified: 'owner told',
      lockout_started: 'started a lock-out',
      lockout_stopped: 'stopped a lock-out',
      lockout_ended: 'lock-out ended',
      locked_out: 'locked out (password reset, not shown to anyone)',
      lockout_failed: 'lock-out of this phone failed',
      lockout_unknown: 'lock-out of this phone: outcome unknown',
    } satisfies Record<AuditType, string>,
  },
};
