import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { sipResetCommand } from './sip-reset.js';

export function register(app: App, ctx: SlackContext): void {
  app.command('/sip-reset', sipResetCommand(ctx));
}
