import type { SlackServices } from '../../services.js';
import { privateTargetOf } from '../../platform/private-target.js';
import { unlessRefused, type ButtonClick } from './replies.js';

/** Cancel, on the requester's private pending note or on their Home tab (which the refresh redraws). */
export function cancelClicked(services: SlackServices) {
  return async ({ ack, body, action, respond }: ButtonClick): Promise<void> => {
    await ack();
    const cancelled = await unlessRefused(services, privateTargetOf(body), () =>
      services.decisions.cancel(action.value ?? '', body.user.id),
    );
    if (!cancelled) return;
    // The clicked message is the pending note itself: replacing it is what the click's URL does. A
    // click on the Home tab has no URL (nor respond()): the tab itself shows the cancellation.
    if (body.response_url) {
      const text = (await services.textsFor(body.user.id)).cancelled(...services.subject(cancelled));
      // Refused, the note stays as it was: the person is told on the next private route instead,
      // and the redraw below still happens (the channel and the Homes must not offer it any more).
      await respond({ response_type: 'ephemeral', replace_original: true, text }).catch(() =>
        services.notices.tell({ ...privateTargetOf(body), responseUrl: undefined }, text),
      );
    }
    await services.messages.refresh(cancelled);
  };
}
