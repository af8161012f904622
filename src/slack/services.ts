import type { Config } from '../config/index.js';
import type { PhoneDirectory } from '../domain/directory.js';
import type { ResetRequest } from '../domain/request.js';
import type { UseCases } from '../domain/use-cases/index.js';
import type { Texts } from '../i18n/index.js';
import type { Logger } from '../domain/logger.js';
import type { PrivateDelivery } from './outbound/private-delivery.js';
import type { SlackDirectory } from './platform/user-groups.js';
import type { AuditChannel } from './outbound/audit-channel.js';
import type { AppHome } from './outbound/home-tab.js';
import type { Notices } from './outbound/notices.js';
import type { RequestMessages } from './outbound/request-messages.js';
import type { LockoutLauncher } from './flows/lockout-launcher.js';

/** A running lock-out's controls beside its launcher: Stop, and the sweep's resumption. */
export interface LockoutControls {
  /** Any helpdesk agent stops a lock-out before its next call; a refusal is a DomainError. */
  stop(campaignId: string, userId: string): Promise<void>;
  /** Runs the lock-outs nobody runs (their process died or stopped), and expires old drafts. */
  resume(): Promise<void>;
}

/**
 * What every listener may use: the domain's use cases, each by its name (`intake`, `decisions`,
 * `resets`, `upkeep`, `queries`), and the Slack-side helpers around them, each with one job. (Not
 * Bolt's per-request `context`: these are built once, in the composition root.)
 */
export interface SlackServices extends UseCases {
  config: Config;
  /** The request's messages in Slack: post to the approval channel, send the grant, redraw. */
  messages: RequestMessages;
  /** Each person's Home tab: published when opened or paged, republished by the refresh of a request. */
  home: AppHome;
  /** Secret-safe private delivery: only for the password and what must prove a private route. */
  delivery: PrivateDelivery;
  /** Notices to a person that hold no secret. */
  notices: Notices;
  directory: SlackDirectory;
  /** The phone directory, when one is kept. */
  phoneDirectory?: PhoneDirectory;
  logger: Logger;
  /** The default locale's texts: for what a whole channel sees (the approval channel). */
  t: Texts;
  /** One person's texts, in the language of their Slack locale: for all they alone see. */
  textsFor(userId: string): Promise<Texts>;
  appLabel(appId: string): string;
  /** The request's account and app label, escaped for mrkdwn. */
  subject(request: ResetRequest): [account: string, app: string];
  /** The audit channel, when SIP_RESET_AUDIT_CHANNEL is set: the sweep posts its daily checkpoint. */
  auditChannel?: AuditChannel;
  /** Prepares and starts a lock-out (`/sip-reset lockout`): the form's way into the lock-out engine. */
  lockouts: LockoutLauncher;
  /** A running lock-out's Stop, and the sweep's resumption of those nobody runs. */
  lockoutRuns: LockoutControls;
  /**
   * How long an answer given after its ack (`status`, `history`) may wait for the database before
   * the person is told to try again: the read itself is not cancelled, only no longer awaited.
   */
  answerReadLimitMs: number;
}
