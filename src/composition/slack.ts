import type { WebClient } from '@slack/web-api';
import type { Config } from '../config/index.js';
import type { PhoneDirectory } from '../domain/directory.js';
import type { UseCases } from '../domain/use-cases/index.js';
import { localeOf, catalogueFor } from '../i18n/index.js';
import type { Logger } from '../domain/logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { AuditChannel } from '../slack/outbound/audit-channel.js';
import { mrkdwnSubject } from '../slack/blocks/format.js';
import { PrivateDelivery, responseUrlOrigins } from '../slack/outbound/private-delivery.js';
import type { SlackDirectory } from '../slack/platform/user-groups.js';
import { AppHome } from '../slack/outbound/home-tab.js';
import type { SlackServices } from '../slack/services.js';
import { SlackLocales } from '../slack/platform/locales.js';
import { Notices } from '../slack/outbound/notices.js';
import { RequestMessages } from '../slack/outbound/request-messages.js';
import { LockoutRuns } from '../slack/flows/lockout-run.js';
import type { SlackStore } from '../slack/platform/slack-store.js';
import type { LockoutLauncher } from '../slack/flows/lockout-launcher.js';

/** As long as the store waits for a lock by default: beyond it, "try again" helps more than waiting. */
const ANSWER_READ_LIMIT_MS = 5_000;

/** What the Slack side is built from: the domain's use cases and the edges it talks through. */
export interface SlackSideParts {
  config: Config;
  logger: Logger;
  /** The domain's use cases, each a service of its own. */
  useCases: UseCases;
  /** What the Slack side keeps of its own: where each request's messages are, who opened the Home tab. */
  slackStore: SlackStore;
  directory: SlackDirectory;
  /** The Web API client the app's own helpers use, with the same options as Bolt's. */
  client: WebClient;
  metrics: Metrics;
  auditChannel?: AuditChannel;
  phoneDirectory?: PhoneDirectory;
  /** How long a private answer read after its ack may wait for the database (default 5 s). */
  answerReadLimitMs?: number;
  appLabel(appId: string): string;
  now: () => number;
  /** Waits out Slack's Retry-After, or less once the signal aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** This process's name on the leases of the lock-outs it runs. */
  leaseOwner: string;
  /** In place of the lock-out engine, as the form reaches it (a test's); else the engine's own runs. */
  lockouts?: LockoutLauncher;
}

/**
 * The Slack side's services, each built once: each person's language, private delivery, notices,
 * the Home tab and the request's messages, in the bag every listener is given.
 */
export function slackServicesOf(parts: SlackSideParts): SlackServices & { lockoutRuns: LockoutRuns } {
  const { config, logger, useCases, slackStore, directory, client, metrics, phoneDirectory, appLabel } =
    parts;
  const t = catalogueFor(config.defaultLocale);
  const locales = new SlackLocales(client, logger, parts.now);
  const textsFor = async (userId: string) =>
    catalogueFor(localeOf(await locales.of(userId)) ?? config.defaultLocale);
  const delivery = new PrivateDelivery(
    client,
    logger,
    config.slack.timeoutMs,
    responseUrlOrigins(config.slack.apiUrl),
    (route) => (route === 'failed' ? metrics.deliveryFailed() : metrics.delivered(route)),
  );
  const home = new AppHome(client, useCases.queries, {
    textsFor,
    logger,
    directory,
    policy: config.policy,
    appLabel,
    phoneDirectory,
    viewers: slackStore,
    now: parts.now,
  });
  const messages = new RequestMessages(client, useCases, {
    t,
    textsFor,
    logger,
    policy: config.policy,
    approvalChannel: config.approvalChannel,
    grantTtlMinutes: config.grantTtlMinutes,
    appLabel,
    home,
    phoneDirectory,
    refs: slackStore,
  });
  const notices = new Notices(client, delivery, logger);
  const lockoutRuns = new LockoutRuns({
    client,
    useCases,
    messages,
    notices,
    refs: slackStore,
    t,
    textsFor,
    approvalChannel: config.approvalChannel,
    auditChannel: parts.auditChannel,
    appLabel,
    logger,
    now: parts.now,
    sleep: parts.sleep,
    leaseOwner: parts.leaseOwner,
    counts: metrics,
  });
  return {
    config,
    ...useCases,
    messages,
    home,
    delivery,
    notices,
    lockouts: parts.lockouts ?? lockoutRuns,
    lockoutRuns,
    directory,
    phoneDirectory,
    logger,
    t,
    textsFor,
    appLabel,
    subject: (request) => mrkdwnSubject(request, appLabel(request.appId)),
    auditChannel: parts.auditChannel,
    answerReadLimitMs: parts.answerReadLimitMs ?? ANSWER_READ_LIMIT_MS,
  };
}
