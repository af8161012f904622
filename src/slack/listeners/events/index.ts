import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../services.js';
import { homeOpened } from './app-home-opened.js';

export function register(app: App, ctx: ListenerDeps): void {
  app.event('app_home_opened', homeOpened(ctx));
}
