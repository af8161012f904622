import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { DomainError } from '../../domain/errors.js';
import { escapeMrkdwn, userMention } from '../blocks/format.js';
import type { SlackContext } from '../context.js';
import { BLOCK, INPUT_ACTION } from '../ids.js';
import { refusalText } from '../reset-flow.js';

/** The Deny modal's submission: the decision is checked and stored before the modal closes. */
export function denyReasonSubmitted(ctx: SlackContext) {
  return async ({
    ack,
    body,
    view,
  }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const reason = view.state.values[BLOCK.denyReason]?.[INPUT_ACTION]?.value ?? '';
    let denied;
    try {
      denied = await ctx.service.deny(view.private_metadata, body.user.id, reason);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await ack({ response_action: 'errors', errors: { [BLOCK.denyReason]: refusalText(ctx, error) } });
      return;
    }
    await ack();
    const [account, app] = ctx.subject(denied);
    let text = ctx.t.deniedNotice(account, app, userMention(body.user.id));
    if (denied.denyReason) text += `\n${ctx.t.denyReasonLine(escapeMrkdwn(denied.denyReason))}`;
    await Promise.all([
      ctx.announcer.refreshApprovalMessage(denied),
      ctx.announcer.tell(denied.requesterId, text),
    ]);
  };
}
