import type { SlackServices } from '../../services.js';
import { privateTargetOf } from '../../platform/private-target.js';
import { unlessRefused, type ButtonClick } from './replies.js';

/**
 * Stop, on a running lock-out's progress message: any helpdesk agent; anyone else, or a click on a
 * lock-out that has ended, is told why privately. The progress message says who stopped it.
 */
export function lockoutStopClicked(services: SlackServices) {
  return async ({ ack, body, action }: ButtonClick): Promise<void> => {
    await ack();
    await unlessRefused(services, privateTargetOf(body), () =>
      services.lockoutRuns.stop(action.value ?? '', body.user.id),
    );
  };
}
