import type { App } from '@slack/bolt';
import type { SlackServices } from '../../services.js';
import { homeOpened } from './app-home-opened.js';

export function register(app: App, services: SlackServices): void {
  app.event('app_home_opened', homeOpened(services));
}
