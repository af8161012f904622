import { denyReasonModal } from '../../blocks/modals.js';
import type { SlackServices } from '../../services.js';
import { privateTargetOf } from '../../platform/private-target.js';
import { unlessRefused, type ButtonClick } from './replies.js';

/** Deny, in the approval channel: checks who clicks, then asks for an optional reason. */
export function denyClicked(services: SlackServices) {
  return async ({ ack, body, action, client }: ButtonClick): Promise<void> => {
    await ack();
    const request = await unlessRefused(services, privateTargetOf(body), () =>
      services.decisions.assertCanDecide(action.value ?? '', body.user.id),
    );
    if (!request) return;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: denyReasonModal(await services.textsFor(body.user.id), request),
    });
  };
}
