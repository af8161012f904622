import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../listener-deps.js';
import { VIEW } from '../ids.js';
import { denyReasonSubmitted } from './deny-reason.js';
import { resetRequestSubmitted } from './reset-request.js';

export function register(app: App, ctx: ListenerDeps): void {
  app.view(VIEW.resetRequest, resetRequestSubmitted(ctx));
  app.view(VIEW.denyReason, denyReasonSubmitted(ctx));
}
