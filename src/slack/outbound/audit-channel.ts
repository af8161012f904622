import type { WebClient } from '@slack/web-api';
import { checkpointText } from '../../domain/audit.js';
import { isFinal, type FinalStatus, type RequestEvent } from '../../domain/lifecycle.js';
import type { UseCases } from '../../domain/use-cases/index.js';
import type { Texts } from '../../i18n/index.js';
import type { Logger } from '../../domain/logger.js';
import { escapeMrkdwn, mrkdwnSubject, userMention } from '../blocks/format.js';
import { failureWords, notice } from '../blocks/requests.js';
import { WorkInFlight } from '../platform/draining.js';
import { slackError } from '../platform/web-api-errors.js';

/**
 * The audit channel (SIP_RESET_AUDIT_CHANNEL): a witness outside the database. It receives one line
 * for every final outcome of a request (who asked, who approved, what happened; a request holds no
 * secret, so neither does the line) and, once a day across instances, the audit chain's checkpoint,
 * which `npm run audit -- verify --expect` holds the database to later. Posting never throws, nor
 * holds up the request it tells of: a failure is a log line.
 */
export class AuditChannel {
  private readonly posting = new WorkInFlight();

  constructor(
    private readonly client: WebClient,
    private readonly useCases: Pick<UseCases, 'upkeep' | 'queries'>,
    private readonly deps: {
      channel: string;
      /** The default locale's texts: a whole channel reads them. */
      t: Texts;
      logger: Logger;
      appLabel: (appId: string) => string;
    },
  ) {}

  /** Posts a line for an event that ends a request; other events are not the channel's. */
  onEvent(event: RequestEvent): void {
    if (!isFinal(event.type)) return;
    void this.posting.track(this.post(this.outcomeText(event.type, event), event.request.id));
  }

  /**
   * Posts today's checkpoint, unless another instance (or this one) did: the claim is a
   * compare-and-set in the database. Given back when Slack refused it, so a later sweep tries again.
   */
  async dailyCheckpoint(): Promise<void> {
    const claim = await this.useCases.upkeep.claimDailyCheckpoint();
    if (!claim) return;
    let posted = false;
    try {
      const head = await this.useCases.upkeep.auditCheckpoint();
      posted = await this.post(
        this.deps.t.auditChannel.checkpoint(claim.day, head.seq, checkpointText(head)),
      );
    } finally {
      await claim.done(posted);
    }
  }

  /** Posts a text of its own (a lock-out's summary): never a secret, never thrown. */
  async postText(text: string): Promise<void> {
    await this.posting.track(this.post(text));
  }

  /** Settles once every line started so far is posted (or failed): for a stop, and for tests. */
  settled(): Promise<void> {
    return this.posting.drained();
  }

  private async outcomeText(type: FinalStatus, { request, actor }: RequestEvent): Promise<string> {
    const { t } = this.deps;
    const texts = t.auditChannel;
    const [account, app] = mrkdwnSubject(request, this.deps.appLabel(request.appId));
    const sentences = [
      texts.subject(texts.outcome[type], account, app),
      ...(request.failureCode && type !== 'completed'
        ? [texts.failureCode(failureWords(t, request.failureCode), escapeMrkdwn(request.failureCode))]
        : []),
      texts.askedBy(userMention(request.requesterId)),
    ];
    if (type === 'denied') sentences.push(texts.deniedBy(userMention(actor)));
    else if (type === 'cancelled') sentences.push(texts.cancelledBy(userMention(actor)));
    else if (request.requiredApprovals === 0) sentences.push(texts.noApprovalNeeded);
    // Approved (an expired or cancelled request may have had some approvals, not enough).
    else if (request.decidedAt !== null) {
      const approvals = await this.useCases.queries.approvals(request.id);
      if (approvals.length > 0) {
        const approvers = approvals.map(({ approverId }) => userMention(approverId));
        sentences.push(texts.approvedBy(approvers.join(t.listSeparator)));
      }
    }
    return sentences.join(t.sentenceSeparator);
  }

  /** Whether Slack took the message. */
  private async post(text: string | Promise<string>, requestId?: string): Promise<boolean> {
    try {
      await this.client.chat.postMessage({ channel: this.deps.channel, ...notice(await text) });
      return true;
    } catch (error) {
      this.deps.logger.warn('could not post to the audit channel', {
        error: slackError(error),
        ...(requestId ? { requestId } : {}),
      });
      return false;
    }
  }
}
