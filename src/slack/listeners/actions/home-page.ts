import { readPaging } from '../../blocks/home-view.js';
import type { SlackServices } from '../../services.js';
import type { ButtonClick } from './replies.js';

/**
 * "Show older" or "Back to the newest" on the Home tab: republished at the page the button names,
 * or at the first pages with a word of why when its value cannot be read.
 */
export function homePageClicked(services: SlackServices) {
  return async ({ ack, body, action }: ButtonClick): Promise<void> => {
    await ack();
    const { paging, unreadable } = readPaging(action.value);
    await services.home.publish(body.user.id, paging, { unreadable });
  };
}
