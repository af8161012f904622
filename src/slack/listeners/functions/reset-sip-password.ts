import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { requestFromWorkflow, type StepOutcome } from '../../flows/workflow-request.js';
import type { SlackServices } from '../../services.js';
import { STEP } from '../../platform/ids.js';
import { slackError } from '../../platform/web-api-errors.js';

export type StepRun = AllMiddlewareArgs & SlackEventMiddlewareArgs<'function_executed'>;

const { inputs: INPUT, outputs: OUTPUT } = STEP;

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The requester, a `slack#/types/user_context` (manifest.yml): Slack sets it to the person who ran
 * the workflow (or pressed its button), and no builder can type another. Only its `id` is read; its
 * `secret` is never kept or logged.
 */
function requesterOf(inputs: Record<string, unknown>): string {
  const context = inputs[INPUT.requester];
  return typeof context === 'object' && context !== null ? textOf((context as { id?: unknown }).id) : '';
}

const outputsOf = (outcome: StepOutcome): Record<string, string> => ({
  ...(outcome.requestId ? { [OUTPUT.requestId]: outcome.requestId } : {}),
  [OUTPUT.status]: outcome.status,
  [OUTPUT.message]: outcome.message,
});

/**
 * The Workflow Builder step "Reset a SIP password" (reset_sip_password): Bolt acknowledged the run
 * already; the request is made for the person running the workflow, and the step completes at once
 * with its status and a sentence, a refusal included. Never the password: later steps and the
 * workflow's builder see the outputs. Only the app's own fault fails the step (functions.completeError).
 * complete() and fail() use the run's own token (Bolt's attachFunctionToken).
 */
export function resetSipPasswordStep(services: SlackServices) {
  return async ({ event, inputs: given, complete, fail }: StepRun): Promise<void> => {
    const executionId = event.function_execution_id;
    // Slack always sends the inputs; a run without them (or with a list) is completed as refused.
    const inputs: Record<string, unknown> =
      typeof given === 'object' && given !== null && !Array.isArray(given) ? given : {};
    const requesterId = requesterOf(inputs);
    let outcome: StepOutcome;
    try {
      outcome = requesterId
        ? await requestFromWorkflow(services, {
            requesterId,
            account: textOf(inputs[INPUT.account]),
            voiceApp: textOf(inputs[INPUT.voiceApp]),
            reason: textOf(inputs[INPUT.reason]),
            executionId,
          })
        : {
            status: 'refused',
            message: [services.t.stepRefused, services.t.stepNoRequester].join(services.t.sentenceSeparator),
          };
    } catch (error) {
      services.logger.error('a workflow step failed on the app side', {
        executionId,
        error: slackError(error),
      });
      const t = await services.textsFor(requesterId).catch(() => services.t);
      await fail({ error: t.stepFault }).catch((failed: unknown) =>
        services.logger.error('could not fail a workflow step', { executionId, error: slackError(failed) }),
      );
      return;
    }
    try {
      await complete({ outputs: outputsOf(outcome) });
    } catch (error) {
      // A run delivered again after it was completed: Slack answers function_execution_not_found.
      services.logger.warn('could not complete a workflow step', { executionId, error: slackError(error) });
    }
  };
}
