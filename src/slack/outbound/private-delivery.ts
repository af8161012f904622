import type { WebClient } from '@slack/web-api';
import fetch from 'node-fetch';
import type { Logger } from '../../domain/logger.js';
import type { SlackMessage } from '../blocks/requests.js';
import type { PrivateTarget } from '../platform/private-target.js';
import { slackError } from '../platform/web-api-errors.js';

export type DeliveryRoute = 'response_url' | 'ephemeral' | 'dm_ephemeral';

/**
 * Where Slack's response URLs live, from the Web API's URL: its own origin and its `hooks.` host
 * (`https://slack.com/api/` gives `https://hooks.slack.com`, where every response_url points).
 */
export function responseUrlOrigins(slackApiUrl: string): string[] {
  const api = new URL(slackApiUrl);
  return [api.origin, `${api.protocol}//hooks.${api.host}`];
}

/** Which route took a message, and which before it timed out: Slack may have shown it there too. */
export interface Delivered {
  route: DeliveryRoute;
  timedOut: DeliveryRoute[];
}

/** How a route ended: Slack took the message, refused it, or did not answer in time (it may have taken it). */
type Attempt = 'sent' | 'refused' | 'timed_out';

export class DeliveryFailed extends Error {
  override readonly name = 'DeliveryFailed';
}

/**
 * Sends messages only one person can see, trying in turn: the response_url (ephemeral), an
 * ephemeral message in the channel, an ephemeral message in the app's DM with them.
 * Never posts anything others could see. Each message is a new one: on a click's response_url,
 * `replace_original` would replace the clicked message (for the grant, a DM that stays), and on a
 * slash command's it posts a new message anyway (PLATFORM.md).
 */
export class PrivateDelivery {
  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly responseUrlTimeoutMs: number,
    /** The only origins a response_url may have (responseUrlOrigins): a private message goes nowhere else. */
    private readonly responseUrlOrigins: readonly string[],
    /** Hears which route each message took, or `failed`. */
    private readonly onDelivery: (route: DeliveryRoute | 'failed') => void = () => undefined,
  ) {}

  /** Returns the route that worked; throws DeliveryFailed when none did. */
  async send(target: PrivateTarget, message: SlackMessage): Promise<DeliveryRoute> {
    return (await this.sendNoted(target, message)).route;
  }

  /**
   * As send, and says which routes timed out before the one that worked. A route that timed out
   * may have shown the message all the same (Slack answered late): the next routes then send
   * `repeated`, which says so, since falling back is right (a lost password is worse than two).
   */
  async sendNoted(target: PrivateTarget, message: SlackMessage, repeated = message): Promise<Delivered> {
    try {
      const delivered = await this.firstRouteThatWorks(target, message, repeated);
      this.onDelivery(delivered.route);
      return delivered;
    } catch (error) {
      this.onDelivery('failed');
      throw error;
    }
  }

  private async firstRouteThatWorks(
    target: PrivateTarget,
    message: SlackMessage,
    repeated: SlackMessage,
  ): Promise<Delivered> {
    const timedOut: DeliveryRoute[] = [];
    const attempt = async (route: DeliveryRoute, send: (message: SlackMessage) => Promise<Attempt>) => {
      const result = await send(timedOut.length > 0 ? repeated : message);
      if (result === 'timed_out') timedOut.push(route);
      return result === 'sent';
    };
    const { responseUrl, channelId } = target;
    if (responseUrl && this.isSlacks(responseUrl)) {
      const sent = await attempt('response_url', (body) =>
        this.postToResponseUrl(responseUrl, { response_type: 'ephemeral', replace_original: false, ...body }),
      );
      if (sent) return { route: 'response_url', timedOut };
    }
    if (channelId && !channelId.startsWith('D')) {
      if (await attempt('ephemeral', (body) => this.ephemeral(channelId, target.userId, body)))
        return { route: 'ephemeral', timedOut };
    }
    try {
      const opened = await this.client.conversations.open({ users: target.userId });
      const dm = opened.channel?.id;
      if (dm && (await attempt('dm_ephemeral', (body) => this.ephemeral(dm, target.userId, body))))
        return { route: 'dm_ephemeral', timedOut };
    } catch (error) {
      this.logger.warn('could not open a DM for private delivery', {
        user: target.userId,
        error: slackError(error),
      });
    }
    throw new DeliveryFailed('No private way to reach this person worked.');
  }

  /**
   * A response_url comes in a signed request, but the one of a modal travels in its private_metadata:
   * whatever the source, a password is only ever posted to Slack.
   */
  private isSlacks(url: string): boolean {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = 'null';
    }
    if (this.responseUrlOrigins.includes(origin)) return true;
    // Not the URL itself: it may be a secret.
    this.logger.warn('ignored a response_url that is not on Slack');
    return false;
  }

  private async postToResponseUrl(url: string, body: Record<string, unknown>): Promise<Attempt> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.responseUrlTimeoutMs),
        // A response_url is Slack's: a redirect elsewhere must not carry the message along.
        redirect: 'error',
      });
      if (response.ok) return 'sent';
      this.logger.warn('response_url refused the message', { status: response.status });
      return 'refused';
    } catch (error) {
      // The code or name only: a fetch error's message holds the URL, which is a secret.
      this.logger.warn('response_url could not be reached', {
        error: (error as { code?: string } | null)?.code ?? (error as Error | null)?.name ?? typeof error,
      });
      return timedOut(error) ? 'timed_out' : 'refused';
    }
  }

  private async ephemeral(channel: string, user: string, message: SlackMessage): Promise<Attempt> {
    try {
      await this.client.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks });
      return 'sent';
    } catch (error) {
      this.logger.warn('chat.postEphemeral failed', { channel, user, error: slackError(error) });
      return timedOut(error) ? 'timed_out' : 'refused';
    }
  }
}

/**
 * Whether a call ended at its time limit (the request sent, no answer in time), directly or under
 * the Web API client's request error: Slack may have acted on it.
 */
function timedOut(error: unknown): boolean {
  const cause = (error as { original?: unknown }).original ?? error;
  const name = (cause as { name?: unknown } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
