import type { WebClient } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import type { PolicyConfig } from '../../domain/policy.js';
import { isProtected, ownersOf } from '../../domain/policy.js';
import type { UseCases } from '../../domain/use-cases/index.js';
import type { Texts } from '../../i18n/index.js';
import type { Logger } from '../../domain/logger.js';
import type { ResetRequest } from '../../domain/request.js';
import { approvalMessage, grantMessage, notice, type SlackMessage } from '../blocks/requests.js';
import { mrkdwnSubject, principalMention, slackDate } from '../blocks/format.js';
import type { AppHome } from './home-tab.js';
import type { Phone, PhoneDirectory } from '../../domain/directory.js';
import { phonesOf } from '../platform/phone-context.js';
import type { MessageRef, MessageRefStore, RequestMessageRefs } from '../platform/slack-store.js';
import { slackError } from '../platform/web-api-errors.js';

/** How many requests an instance remembers where the messages are: a hundred bytes or so each. */
const KNOWN_REFS_MAX = 10_000;

/**
 * A request's own messages in Slack, kept in step with the request they show: the approval
 * channel's message, the requester's grant DM (with its "Reset now" button), and the Home tabs that
 * list it. None carries a secret.
 * A Slack failure here is logged and never undoes a decision already stored; redrawing a message
 * never throws, since it runs after the decision or the reset it shows.
 */
export class RequestMessages {
  /**
   * Where each request's messages are, as this instance last read or saved it: a redraw while the
   * database does not answer (a reset's outcome waiting for it) still finds them.
   */
  private readonly known = new LRUCache<string, RequestMessageRefs>({ max: KNOWN_REFS_MAX });

  constructor(
    private readonly client: WebClient,
    private readonly useCases: Pick<UseCases, 'decisions' | 'queries'>,
    private readonly deps: {
      /** The default locale's texts, for the approval channel. */
      t: Texts;
      /** The requester's own texts, for their grant DM. */
      textsFor: (userId: string) => Promise<Texts>;
      logger: Logger;
      policy: PolicyConfig;
      approvalChannel: string | undefined;
      /** How long an approval lasts (SIP_RESET_GRANT_TTL_MINUTES): the approval message says it. */
      grantTtlMinutes: number;
      appLabel: (appId: string) => string;
      home: AppHome;
      /** The phone directory, when one is kept: the phone's name and group, and whether it was checked. */
      phoneDirectory?: PhoneDirectory;
      /** Where each request's messages are: kept by the Slack side, beside the domain's store. */
      refs: MessageRefStore;
    },
  ) {}

  private async approvalView(request: ResetRequest): Promise<SlackMessage> {
    return approvalMessage(this.deps.t, {
      request,
      appLabel: this.deps.appLabel(request.appId),
      approvals: await this.useCases.queries.approvals(request.id),
      protectedAccount: isProtected(request.account, this.deps.policy),
      owners: ownersOf(request.account, this.deps.policy),
      approvers: this.deps.policy.approvers,
      grantTtlMinutes: this.deps.grantTtlMinutes,
      ...(await this.phoneOf(request)),
    });
  }

  /**
   * The phone's name and group, and whether the directory could check the account: a stale or
   * failed directory (or one that cannot be read) could not, and the approvers are told so.
   */
  private async phoneOf(request: ResetRequest): Promise<{ phone?: Phone; accountUnchecked?: boolean }> {
    const directory = this.deps.phoneDirectory;
    if (!directory) return {};
    try {
      const check = await directory.check(request.appId, request.account);
      if (check.checked) return check.phone ? { phone: check.phone } : {};
      const phone = await directory.findPhone(request.appId, request.account);
      return { ...(phone ? { phone } : {}), accountUnchecked: true };
    } catch {
      return { accountUnchecked: true };
    }
  }

  /**
   * Posts a new request to the approval channel, remembers the message for later updates, and then
   * records that its approvers were told (which the reminders go by).
   */
  async post(request: ResetRequest): Promise<ResetRequest> {
    const channel = this.deps.approvalChannel;
    if (!channel) return request;
    const posted = await this.client.chat.postMessage({ channel, ...(await this.approvalView(request)) });
    let announced: ResetRequest | undefined;
    // Without its ts, a message can be neither redrawn nor replied to in its thread.
    if (posted.ts) {
      await this.save(request.id, 'approval', { channel: posted.channel ?? channel, ts: posted.ts });
      announced = await this.useCases.decisions.announced(request.id);
    }
    // A new request joins the approvers' queues on their Home tabs, and its requester's list.
    await this.deps.home.republishFor(request);
    return announced ?? request;
  }

  /** Redraws every message the request has (approval, grant, Home tabs) from its state; never throws. */
  async refresh(request: ResetRequest): Promise<void> {
    await Promise.all([this.redraw(request), this.deps.home.republishFor(request)]);
  }

  private async redraw(request: ResetRequest): Promise<void> {
    const { approval, grant } = await this.locate(request);
    await Promise.all([
      approval && this.update(approval, () => this.approvalView(request), request.id),
      grant && this.update(grant, () => this.grantView(request), request.id),
    ]);
  }

  /**
   * Where the request's messages are, read from the Slack side's store and remembered; when the
   * database cannot say, where this instance last knew them (none if it never did: they stay stale,
   * logged). The reset flow calls it before the vendor, so the redraw after the reset finds them.
   */
  async locate(request: ResetRequest): Promise<RequestMessageRefs> {
    try {
      const refs = await this.deps.refs.messageRefsOf(request.id);
      this.known.set(request.id, refs);
      return refs;
    } catch (error) {
      this.deps.logger.warn('could not read where the messages about a request are', {
        requestId: request.id,
        error: slackError(error),
      });
      return this.known.get(request.id) ?? {};
    }
  }

  /** Remembers where a message of the request is, in the Slack side's store and here. */
  private async save(requestId: string, kind: keyof RequestMessageRefs, ref: MessageRef): Promise<void> {
    await this.deps.refs.saveMessageRef(requestId, kind, ref);
    this.known.set(requestId, { ...this.known.get(requestId), [kind]: ref });
  }

  private async grantView(request: ResetRequest): Promise<SlackMessage> {
    const approvals = request.status === 'approved' ? await this.useCases.queries.approvals(request.id) : [];
    const phoneOf = await phonesOf(this.deps.phoneDirectory, [request], this.deps.logger);
    return grantMessage(await this.deps.textsFor(request.requesterId), {
      request,
      appLabel: this.deps.appLabel(request.appId),
      approvedBy: approvals.map((a) => a.approverId),
      phone: phoneOf(request),
    });
  }

  /** DMs the requester the "Reset now" button of an approved request; false when Slack refused. */
  async sendGrant(request: ResetRequest): Promise<boolean> {
    const message = await this.grantView(request);
    try {
      const posted = await this.client.chat.postMessage({ channel: request.requesterId, ...message });
      if (posted.channel && posted.ts) {
        await this.save(request.id, 'grant', { channel: posted.channel, ts: posted.ts });
      }
      return true;
    } catch (error) {
      this.deps.logger.error('could not send the approval to the requester', {
        requestId: request.id,
        error: slackError(error),
      });
      return false;
    }
  }

  /** Redraws a message; a Slack or database failure leaves it stale, logged, and undoes nothing. */
  private async update(
    { channel, ts }: MessageRef,
    view: () => Promise<SlackMessage>,
    requestId: string,
  ): Promise<void> {
    try {
      await this.client.chat.update({ channel, ts, ...(await view()) });
    } catch (error) {
      this.deps.logger.warn('could not update a message about a request', {
        requestId,
        channel,
        error: slackError(error),
      });
    }
  }

  /**
   * Reminds the approvers, in the request's thread in the approval channel, naming them (a group
   * by its mention) so Slack notifies them; never throws.
   */
  async remind(request: ResetRequest): Promise<void> {
    const { approval } = await this.locate(request);
    if (!approval) return;
    const { t } = this.deps;
    const [account, app] = mrkdwnSubject(request, this.deps.appLabel(request.appId));
    const approvers = this.deps.policy.approvers.map(principalMention).join(t.listSeparator);
    const text = t.reminder(approvers, account, app, slackDate(request.expiresAt, t.dateFormat));
    try {
      await this.client.chat.postMessage({
        channel: approval.channel,
        thread_ts: approval.ts,
        ...notice(text),
      });
    } catch (error) {
      this.deps.logger.warn('could not post a reminder', { requestId: request.id, error: slackError(error) });
    }
  }

  /** A note in the approval channel, for what has no message there yet. */
  async tellApprovers(text: string): Promise<void> {
    if (!this.deps.approvalChannel) return;
    try {
      await this.client.chat.postMessage({ channel: this.deps.approvalChannel, ...notice(text) });
    } catch (error) {
      this.deps.logger.warn('could not post to the approval channel', { error: slackError(error) });
    }
  }
}
