import type { App } from '@slack/bolt';
import type { SlackServices } from '../../services.js';
import { COMMAND } from '../../platform/ids.js';
import { sipResetCommand } from './sip-reset.js';

export function register(app: App, services: SlackServices): void {
  app.command(COMMAND, sipResetCommand(services));
}
