import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../services.js';
import { COMMAND } from '../../platform/ids.js';
import { sipResetCommand } from './sip-reset.js';

export function register(app: App, ctx: ListenerDeps): void {
  app.command(COMMAND, sipResetCommand(ctx));
}
