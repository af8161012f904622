import { readPaging } from '../blocks/home.js';
import type { ListenerDeps } from '../listener-deps.js';
import type { ButtonClick } from './replies.js';

/** "Show older" or "Back to the newest" on the Home tab: republished at the page the button names. */
export function homePageClicked(ctx: ListenerDeps) {
  return async ({ ack, body, action }: ButtonClick): Promise<void> => {
    await ack();
    await ctx.home.publish(body.user.id, readPaging(action.value));
  };
}
