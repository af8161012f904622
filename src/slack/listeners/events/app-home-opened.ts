import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackServices } from '../../services.js';

/** The person opened the app: its Home tab is published for them (the Messages tab needs nothing). */
export function homeOpened(services: SlackServices) {
  return async ({
    event,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'home') return;
    await services.home.opened(event.user);
  };
}
