import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { DomainError } from '../../../domain/errors.js';
import { LockoutProgressUnposted } from '../../flows/lockout-launcher.js';
import { lockoutNotStartedModal, lockoutStartedModal } from '../../blocks/lockout-review.js';
import { refusalText } from '../../blocks/refusals.js';
import { readLockoutCampaignId } from '../../platform/modal-metadata.js';
import { slackError } from '../../platform/web-api-errors.js';
import type { SlackServices } from '../../services.js';

/**
 * The lock-out review's button, clicked and confirmed: starts the prepared lock-out, and the review
 * says where its progress is. A refusal (a second click, a draft expired, someone else's) is said
 * in the review, in the clicker's language.
 *
 * The started review replaces whatever the modal shows, without the view's hash: of two quick
 * clicks, one starts it and one is refused, and the refused one's update, made with the hash the
 * click carried, must not be what stays on screen. A refusal is shown only over the review as the
 * click saw it (its hash), so it never hides the started one.
 */
export function lockoutStartClicked(services: SlackServices) {
  return async ({
    ack,
    body,
    client,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const view = body.view;
    const campaignId = readLockoutCampaignId(view?.private_metadata);
    if (!view || !campaignId) {
      services.logger.warn('a lock-out button click came without its review', { user: body.user.id });
      return;
    }
    const t = await services.textsFor(body.user.id);
    let next: ModalView;
    let hash: string | undefined;
    try {
      next = lockoutStartedModal(t, await services.lockouts.start(campaignId, body.user.id));
    } catch (error) {
      if (error instanceof DomainError) {
        services.logger.info('a lock-out start was refused', { campaignId, code: error.code });
        next = lockoutNotStartedModal(t, refusalText(t, error));
      } else if (error instanceof LockoutProgressUnposted) {
        next = lockoutNotStartedModal(t, t.lockoutForm.progressUnposted);
      } else {
        services.logger.error('could not start a lock-out', { campaignId, error: slackError(error) });
        next = lockoutNotStartedModal(t, t.lockoutForm.startFailed);
      }
      hash = view.hash;
    }
    try {
      await client.views.update({ view_id: view.id, ...(hash ? { hash } : {}), view: next });
    } catch (error) {
      const code = slackError(error);
      // The review changed since the click: the other click's answer is shown already.
      if (code === 'hash_conflict') return;
      services.logger.warn('could not update the lock-out review', { campaignId, error: code });
    }
  };
}
