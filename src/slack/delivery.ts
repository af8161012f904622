import type { WebClient } from '@slack/web-api';
import fetch from 'node-fetch';
import type { Logger } from '../logging.js';
import type { SlackMessage } from './blocks/messages.js';
import { slackError } from './web-api-errors.js';

/** Where a private message may go: the best first. */
export interface PrivateTarget {
  userId: string;
  /** A response_url from the command or the click: works even where the bot is not a member. */
  responseUrl?: string;
  /** The channel the person acted in, for chat.postEphemeral. */
  channelId?: string;
}

export type DeliveryRoute = 'response_url' | 'ephemeral' | 'dm_ephemeral';

/**
 * Where Slack's response URLs live, from the Web API's URL: its own origin and its `hooks.` host
 * (`https://slack.com/api/` gives `https://hooks.slack.com`, where every response_url points).
 */
export function responseUrlOrigins(slackApiUrl: string): string[] {
  const api = new URL(slackApiUrl);
  return [api.origin, `${api.protocol}//hooks.${api.host}`];
}

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
    try {
      const route = await this.firstRouteThatWorks(target, message);
      this.onDelivery(route);
      return route;
    } catch (error) {
      this.onDelivery('failed');
      throw error;
    }
  }

  private async firstRouteThatWorks(target: PrivateTarget, message: SlackMessage): Promise<DeliveryRoute> {
    if (target.responseUrl && this.isSlacks(target.responseUrl)) {
      const body = { response_type: 'ephemeral', replace_original: false, ...message };
      if (await this.postToResponseUrl(target.responseUrl, body)) return 'response_url';
    }
    if (target.channelId && !target.channelId.startsWith('D')) {
      if (await this.ephemeral(target.channelId, target.userId, message)) return 'ephemeral';
    }
    try {
      const opened = await this.client.conversations.open({ users: target.userId });
      const dm = opened.channel?.id;
      if (dm && (await this.ephemeral(dm, target.userId, message))) return 'dm_ephemeral';
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

  private async postToResponseUrl(url: string, body: Record<string, unknown>): Promise<boolean> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.responseUrlTimeoutMs),
        // A response_url is Slack's: a redirect elsewhere must not carry the message along.
        redirect: 'error',
      });
      if (response.ok) return true;
      this.logger.warn('response_url refused the message', { status: response.status });
    } catch (error) {
      // The code or name only: a fetch error's message holds the URL, which is a secret.
      this.logger.warn('response_url could not be reached', {
        error: (error as { code?: string }).code ?? (error as Error).name,
      });
    }
    return false;
  }

  private async ephemeral(channel: string, user: string, message: SlackMessage): Promise<boolean> {
    try {
      await this.client.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks });
      return true;
    } catch (error) {
      this.logger.warn('chat.postEphemeral failed', { channel, user, error: slackError(error) });
      return false;
    }
  }
}
