import { DomainError } from '../../../domain/errors.js';
import type { SlackServices } from '../../services.js';
import { privateTargetOf } from '../../platform/private-target.js';
import { resetAndDeliver } from '../../flows/reset-flow.js';
import { replyWithRefusal, type ButtonClick } from './replies.js';

/**
 * "Reset now and show password", in the requester's DM: the reset runs while they are present,
 * and the password comes back as a new private reply to this click (its fresh response_url), never
 * in place of the DM, which stays in the conversation.
 */
export function claimClicked(services: SlackServices) {
  return async ({ ack, body, action }: ButtonClick): Promise<void> => {
    await ack();
    const request = await services.queries.get(action.value ?? '');
    if (!request) {
      await replyWithRefusal(services, privateTargetOf(body), new DomainError('not_found'));
      return;
    }
    await resetAndDeliver(services, {
      request,
      userId: body.user.id,
      target: privateTargetOf(body),
      onUnreachable: 'keep',
    });
  };
}
