import type { App } from '@slack/bolt';
import type { SlackServices } from '../../services.js';
import { STEP } from '../../platform/ids.js';
import { resetSipPasswordStep } from './reset-sip-password.js';

/** The app's Workflow Builder steps (custom steps): one, as manifest.yml's `functions` declares it. */
export function register(app: App, services: SlackServices): void {
  app.function(STEP.callbackId, resetSipPasswordStep(services));
}
