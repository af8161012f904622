import { userMention } from '../../blocks/format.js';
import type { SlackServices } from '../../services.js';
import { privateTargetOf } from '../../platform/private-target.js';
import { unlessRefused, type ButtonClick } from './replies.js';

/** Approve, in the approval channel: re-checked on the server for who clicks, counted once. */
export function approveClicked(services: SlackServices) {
  return async ({ ack, body, action }: ButtonClick): Promise<void> => {
    await ack();
    const to = privateTargetOf(body);
    const result = await unlessRefused(services, to, () =>
      services.decisions.approve(action.value ?? '', body.user.id),
    );
    if (!result) return;
    const tell = async (): Promise<void> => {
      if (result.approvedNow) {
        if (!(await services.messages.sendGrant(result.request))) {
          // The approval stands; the approver is the one who can now tell the requester another way.
          const t = await services.textsFor(to.userId);
          await services.notices.tell(to, t.grantUndelivered(userMention(result.request.requesterId)));
        }
      } else {
        const t = await services.textsFor(to.userId);
        await services.notices.tell(to, t.decisionRecorded(services.subject(result.request)[0]));
      }
    };
    // The people come first: a redraw Slack is slow to take (a Home tab, the channel message) holds
    // no one's grant. The grant DM is not drawn yet, so the refresh has nothing of it to redraw.
    await Promise.all([services.messages.refresh(result.request), tell()]);
  };
}
