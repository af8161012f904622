/**
 * What follows from the configuration rather than being set in it: the time limits worked out from
 * the timeouts, the user groups to look up, and the values redaction must hide.
 */
import { storeKind } from '../store/kind.js';
import type { Config } from './settings.js';

/**
 * The longest a reset can stay in flight: the vendor call with its one retry, plus a margin for
 * delivering the answer. Past it, a reset still in flight is taken for lost.
 */
export function longestResetMs(itnioTimeoutMs: number): number {
  return 2 * itnioTimeoutMs + 30_000;
}

/**
 * The longest a password may take to reach its requester: three private routes and the opening of
 * a DM, each within SLACK_TIMEOUT_MS, and a margin for recording it. Past it, a delivery left
 * unconfirmed died with its process.
 */
export function longestDeliveryMs(slackTimeoutMs: number): number {
  return 4 * slackTimeoutMs + 30_000;
}

/**
 * How long a running lock-out's lease holds unrenewed: one phone's vendor call and its owner's DM.
 * Past it, another instance (or the restarted process) takes the lock-out over.
 */
export function lockoutLeaseMs(itnioTimeoutMs: number, slackTimeoutMs: number): number {
  return longestResetMs(itnioTimeoutMs) + longestDeliveryMs(slackTimeoutMs);
}

/** The user groups named in the helpdesk and approver lists, whose members must be looked up. */
export function userGroupsOf(config: Config): string[] {
  return [...new Set([...config.policy.helpdesk, ...config.policy.approvers])].filter((id) =>
    id.startsWith('S'),
  );
}

/** The values that must never appear in a log line, an error or a message. */
export function secretsOf(config: Config): string[] {
  return [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.itnio.apiKey,
    config.itnio.apiSecret,
    config.metricsToken,
    databasePassword(config.databaseUrl),
  ].filter((value): value is string => typeof value === 'string' && value.length > 0);
}

function databasePassword(databaseUrl: string): string | undefined {
  if (storeKind(databaseUrl) !== 'postgres') return undefined;
  try {
    const password = new URL(databaseUrl).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
