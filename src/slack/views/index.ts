import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { VIEW } from '../ids.js';
import { denyReasonSubmitted } from './deny-reason.js';
import { resetRequestSubmitted } from './reset-request.js';

export function register(app: App, ctx: SlackContext): void {
  app.view(VIEW.resetRequest, resetRequestSubmitted(ctx));
  app.view(VIEW.denyReason, denyReasonSubmitted(ctx));
}
