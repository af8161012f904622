import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { SlackServices } from '../../services.js';
import { VIEW } from '../../platform/ids.js';
import { oneOf } from '../routing.js';
import { denyReasonSubmitted } from './deny-reason.js';
import { resetRequestSubmitted } from './reset-request.js';
import { lockoutSubmitted } from './lockout-submitted.js';

type SubmissionListener = (
  args: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>,
) => Promise<void>;

export function register(app: App, services: SlackServices): void {
  const byCallbackId: Record<string, SubmissionListener> = {
    [VIEW.resetRequest]: resetRequestSubmitted(services),
    [VIEW.denyReason]: denyReasonSubmitted(services),
    [VIEW.lockout]: lockoutSubmitted(services),
  };
  // One Bolt listener for every modal's submission (src/slack/listeners/routing.ts).
  app.view<ViewSubmitAction>(oneOf(Object.keys(byCallbackId)), (args) =>
    (byCallbackId[args.view.callback_id] as SubmissionListener)(args),
  );
}
