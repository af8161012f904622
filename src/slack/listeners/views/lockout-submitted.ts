import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { DomainError } from '../../../domain/errors.js';
import { lockoutReviewModal } from '../../blocks/lockout-review.js';
import { refusalText } from '../../blocks/refusals.js';
import type { LockoutPlan, PreparedLockout } from '../../flows/lockout-launcher.js';
import { lockoutPlanOf } from '../../flows/lockout-plan.js';
import { BLOCK } from '../../platform/ids.js';
import { readLockoutForm } from '../../platform/lockout-form-state.js';
import { withinTime } from '../../platform/within-time.js';
import type { SlackServices } from '../../services.js';
import { slackError } from '../../platform/web-api-errors.js';

/**
 * How long the submission waits for the lock-out to be prepared: Slack waits 3 s for the answer
 * that turns the form into its review, and the directory may have taken one already. A lock-out
 * prepared too late is never shown, so never confirmed: it stays a draft until it expires.
 */
export const PREPARE_WITHIN_MS = 1_500;

type Prepared = { prepared: PreparedLockout } | { refused: DomainError };

/**
 * The lock-out form's submission: field errors keep it open (per block, in the person's language);
 * otherwise the lock-out is prepared, and the form becomes its review (response_action `update`),
 * whose button, behind a confirmation that states the count, starts it. Nothing is locked out here.
 */
export function lockoutSubmitted(services: SlackServices) {
  return async ({
    ack,
    body,
    view,
  }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const userId = body.user.id;
    const t = await services.textsFor(userId);
    const form = readLockoutForm(view.state.values);
    const planned = await lockoutPlanOf(services, t, userId, form);
    if (planned.kind === 'errors') {
      await ack({ response_action: 'errors', errors: planned.errors });
      return;
    }
    const { plan } = planned;
    // The refusal is said where the choice was made: the whole-application select, or the accounts.
    const whatBlock = plan.wholeAppId === undefined ? BLOCK.lockoutAccounts : BLOCK.lockoutWholeApp;
    const answer = await prepareInTime(services, plan);
    if (!answer || 'refused' in answer) {
      const why = answer ? refusalText(t, answer.refused) : t.lockoutForm.notPrepared;
      await ack({ response_action: 'errors', errors: { [whatBlock]: why } });
      return;
    }
    const review = lockoutReviewModal(t, {
      ...answer.prepared,
      targets: plan.targets,
      reason: plan.reason,
      ...(plan.wholeAppId === undefined ? {} : { wholeAppId: plan.wholeAppId }),
      appLabel: services.appLabel,
    });
    await ack({ response_action: 'update', view: review });
  };
}

/** The lock-out prepared, or the engine's refusal; undefined (logged) when it failed or was late. */
function prepareInTime(services: SlackServices, plan: LockoutPlan): Promise<Prepared | undefined> {
  return withinTime(
    async (): Promise<Prepared> => {
      try {
        return { prepared: await services.lockouts.prepare(plan) };
      } catch (error) {
        if (error instanceof DomainError) return { refused: error };
        throw error;
      }
    },
    PREPARE_WITHIN_MS,
    {
      late: () =>
        services.logger.warn('a lock-out was not prepared in time: its form stays open', {
          limitMs: PREPARE_WITHIN_MS,
        }),
      failed: (error) => services.logger.error('could not prepare a lock-out', { error: slackError(error) }),
    },
  );
}
