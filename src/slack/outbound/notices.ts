import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../domain/logger.js';
import { notice, type SlackMessage } from '../blocks/requests.js';
import { DeliveryFailed, type PrivateDelivery } from './private-delivery.js';
import type { PrivateTarget } from '../platform/private-target.js';
import { slackError } from '../platform/web-api-errors.js';

/**
 * Who to tell: a user ID alone means the app's DM with them, where the notice is kept; a target
 * with a response_url or a channel means privately where they acted, the DM being the fallback.
 */
export type NoticeTarget = string | PrivateTarget;

/**
 * Notices to one person that hold no secret: refusals, outcomes, a denial, an owner being told.
 * Never lost for want of a route (the DM is the last one) and never thrown: a notice comes after
 * what it reports, which stands whatever Slack does.
 */
export class Notices {
  constructor(
    private readonly client: WebClient,
    private readonly delivery: PrivateDelivery,
    private readonly logger: Logger,
  ) {}

  /** Whether some route took the notice. */
  async tell(to: NoticeTarget, message: SlackMessage | string): Promise<boolean> {
    const body = typeof message === 'string' ? notice(message) : message;
    const target = typeof to === 'string' ? { userId: to } : to;
    if (target.responseUrl || target.channelId) {
      try {
        await this.delivery.send(target, body);
        return true;
      } catch (error) {
        if (!(error instanceof DeliveryFailed)) throw error;
      }
    }
    try {
      await this.client.chat.postMessage({ channel: target.userId, ...body });
      return true;
    } catch (error) {
      this.logger.warn('could not send a DM', { user: target.userId, error: slackError(error) });
      return false;
    }
  }
}
