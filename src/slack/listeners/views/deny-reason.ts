import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { DomainError } from '../../../domain/errors.js';
import { escapeMrkdwn, userMention } from '../../blocks/format.js';
import type { SlackServices } from '../../services.js';
import { BLOCK, INPUT_ACTION } from '../../platform/ids.js';
import { slackError } from '../../platform/web-api-errors.js';
import { refusalText } from '../../blocks/refusals.js';

/** The Deny modal's submission: the decision is checked and stored before the modal closes. */
export function denyReasonSubmitted(services: SlackServices) {
  return async ({
    ack,
    body,
    view,
  }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const t = await services.textsFor(body.user.id);
    const reason = view.state.values[BLOCK.denyReason]?.[INPUT_ACTION]?.value ?? '';
    let denied;
    try {
      denied = await services.decisions.deny(view.private_metadata, body.user.id, reason);
    } catch (error) {
      // Not acknowledged yet: the modal stays open and says why, and nothing was stored.
      if (!(error instanceof DomainError))
        services.logger.error('could not store a denial', { error: slackError(error) });
      const text = error instanceof DomainError ? refusalText(t, error) : t.unexpectedError;
      await ack({ response_action: 'errors', errors: { [BLOCK.denyReason]: text } });
      return;
    }
    await ack();
    const [account, app] = services.subject(denied);
    const theirs = await services.textsFor(denied.requesterId);
    let text = theirs.deniedNotice(account, app, userMention(body.user.id));
    if (denied.denyReason) text += `\n${theirs.denyReasonLine(escapeMrkdwn(denied.denyReason))}`;
    await Promise.all([services.messages.refresh(denied), services.notices.tell(denied.requesterId, text)]);
  };
}
