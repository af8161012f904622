import type { WebClient } from '@slack/web-api';
import fetch from 'node-fetch';
import type { Logger } from '../logging.js';
import type { SlackMessage } from './blocks/messages.js';

/** Where a private message may go: the best first. */
export interface PrivateTarget {
  userId: string;
  /** A response_url from the command or the click: works even where the bot is not a member. */
  responseUrl?: string;
  /** The channel the person acted in, for chat.postEphemeral. */
  channelId?: string;
}

export type DeliveryRoute = 'response_url' | 'ephemeral' | 'dm_ephemeral';

export interface Delivered {
  route: DeliveryRoute;
  /** Set when the message went through a response_url, which can later delete it. */
  responseUrl?: string;
}

export class DeliveryFailed extends Error {
  override readonly name = 'DeliveryFailed';
}

/**
 * Sends messages only one person can see, trying in turn: the response_url (ephemeral), an
 * ephemeral message in the channel, an ephemeral message in the app's DM with them.
 * Never posts anything others could see.
 */
export class PrivateDelivery {
  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly responseUrlTimeoutMs: number,
  ) {}

  /**
   * `message` may depend on the route: only a message sent through a response_url can be removed
   * by the app later, and it should not promise what the route cannot keep.
   */
  async send(
    target: PrivateTarget,
    message: SlackMessage | ((route: DeliveryRoute) => SlackMessage),
    options: { replaceOriginal?: boolean } = {},
  ): Promise<Delivered> {
    const messageFor = typeof message === 'function' ? message : () => message;
    if (target.responseUrl) {
      const ok = await this.postToResponseUrl(target.responseUrl, {
        response_type: 'ephemeral',
        replace_original: options.replaceOriginal ?? false,
        ...messageFor('response_url'),
      });
      if (ok) return { route: 'response_url', responseUrl: target.responseUrl };
    }
    if (target.channelId && !target.channelId.startsWith('D')) {
      if (await this.ephemeral(target.channelId, target.userId, messageFor('ephemeral'))) {
        return { route: 'ephemeral' };
      }
    }
    try {
      const opened = await this.client.conversations.open({ users: target.userId });
      const dm = opened.channel?.id;
      if (dm && (await this.ephemeral(dm, target.userId, messageFor('dm_ephemeral')))) {
        return { route: 'dm_ephemeral' };
      }
    } catch (error) {
      this.logger.warn('could not open a DM for private delivery', {
        user: target.userId,
        error: slackError(error),
      });
    }
    throw new DeliveryFailed('No private way to reach this person worked.');
  }

  /** Deletes a message posted through a response_url; false when Slack no longer allows it. */
  remove(responseUrl: string): Promise<boolean> {
    return this.postToResponseUrl(responseUrl, { delete_original: true });
  }

  private async postToResponseUrl(url: string, body: Record<string, unknown>): Promise<boolean> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.responseUrlTimeoutMs),
      });
      if (response.ok) return true;
      this.logger.warn('response_url refused the message', { status: response.status });
    } catch (error) {
      this.logger.warn('response_url could not be reached', { error: (error as Error).message });
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

/** The Web API's error code (`channel_not_found`…), or the error's message. */
export function slackError(error: unknown): string {
  const data = (error as { data?: { error?: string } }).data;
  return data?.error ?? (error as Error).message;
}
