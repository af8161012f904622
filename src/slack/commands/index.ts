import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../listener-deps.js';
import { COMMAND } from '../ids.js';
import { sipResetCommand } from './sip-reset.js';

export function register(app: App, ctx: ListenerDeps): void {
  app.command(COMMAND, sipResetCommand(ctx));
}
