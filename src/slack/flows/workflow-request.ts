import type { VoiceApp } from '../../config/index.js';
import { DomainError } from '../../domain/errors.js';
import type { ResetRequest } from '../../domain/request.js';
import type { InputProblems } from '../../domain/use-cases/intake.js';
import type { Texts } from '../../i18n/index.js';
import { REASON_MAX_LENGTH } from '../blocks/modals.js';
import { pendingNotice } from '../blocks/requests.js';
import type { SlackServices } from '../services.js';
import { slackError } from '../platform/web-api-errors.js';

/** What the Workflow Builder step was given, read from its inputs. */
export interface StepRequest {
  requesterId: string;
  account: string;
  /** The voice application as the workflow named it (its ID or its label), empty when not given. */
  voiceApp: string;
  reason: string;
  /** The step's function_execution_id: the same execution delivered again makes no second request. */
  executionId: string;
}

/** The step's outcome, its outputs: never a secret, since later steps and the workflow's builder see them. */
export interface StepOutcome {
  status: 'awaiting_requester' | 'pending_approval' | 'refused';
  requestId?: string;
  message: string;
}

/**
 * The voice application a workflow named, by ID or by label (in any case); with one set up, none
 * named is that one. A reason in words when it names none of them, or none of several.
 */
function chooseApp(
  t: Texts,
  apps: readonly VoiceApp[],
  named: string,
): { appId: string } | { refusal: string } {
  const wanted = named.trim().toLowerCase();
  const listed = apps.map((app) => `${app.label} (${app.appId})`).join(t.listSeparator);
  if (!wanted) {
    const [only] = apps;
    return apps.length === 1 && only ? { appId: only.appId } : { refusal: t.stepAppRequired(listed) };
  }
  const app = apps.find((a) => a.appId.toLowerCase() === wanted || a.label.toLowerCase() === wanted);
  return app ? { appId: app.appId } : { refusal: t.stepAppUnknown(listed) };
}

function problemText(t: Texts, problems: InputProblems): string | undefined {
  if (problems.account) return t.accountProblem[problems.account];
  if (problems.appId) return t.appUnknown;
  if (problems.reason) return t.stepReasonRequired;
  return undefined;
}

const refused = (t: Texts, why: string, requestId?: string): StepOutcome => ({
  status: 'refused',
  ...(requestId ? { requestId } : {}),
  message: [t.stepRefused, why].join(t.sentenceSeparator),
});

/**
 * What the step did with a request, from its state now: one waiting for approval waits for its
 * approvers, an approved one (or one being reset) for its requester's click; one that has ended (a
 * withdrawn one above all, when the step's DM or post was refused) is refused, in words. Said the
 * same way for the first delivery of an execution and for the same one again.
 */
function outcomeOf(services: SlackServices, t: Texts, request: ResetRequest): StepOutcome {
  const app = services.appLabel(request.appId);
  switch (request.status) {
    case 'pending':
      return {
        status: 'pending_approval',
        requestId: request.id,
        message: t.stepPendingApproval(request.account, app),
      };
    case 'approved':
    case 'resetting':
    case 'delivering':
      return {
        status: 'awaiting_requester',
        requestId: request.id,
        message: t.stepAwaitingRequester(request.account, app),
      };
    default:
      return refused(t, endedText(t, request), request.id);
  }
}

/** Why a request the step made has ended, as the step said it the first time where it can. */
function endedText(t: Texts, request: ResetRequest): string {
  if (request.status === 'cancelled' && request.failureCode === 'no_private_route')
    return t.stepNoDirectMessage;
  if (request.status === 'cancelled' && request.failureCode === 'approval_channel_refused') {
    return t.stepChannelUnusable;
  }
  return t.stepRequestEnded;
}

/**
 * A reset request made by a workflow step for the person running it, under the same policy as the
 * form: a direct one for the helpdesk or an owner becomes a "Reset now" DM, which resets only when
 * they press it at the phone; anyone else's goes to the approval channel, and they are told privately
 * it waits. A refusal is an outcome in words. Throws only for the app's own faults (the database).
 */
export async function requestFromWorkflow(services: SlackServices, step: StepRequest): Promise<StepOutcome> {
  const { requesterId } = step;
  const t = await services.textsFor(requesterId);
  const app = chooseApp(t, services.config.itnio.apps, step.voiceApp);
  if ('refusal' in app) return refused(t, app.refusal);
  const input = {
    account: step.account.trim(),
    appId: app.appId,
    reason: step.reason.trim(),
    submissionId: step.executionId,
    waitsForRequester: true,
  };
  const problem = problemText(t, (await services.intake.assess(requesterId, input)).problems);
  if (problem) return refused(t, problem);
  if (input.reason.length > REASON_MAX_LENGTH) return refused(t, t.stepReasonTooLong(REASON_MAX_LENGTH));
  const unknownPhone = await services.phoneDirectory
    ?.check(input.appId, input.account)
    .catch(() => undefined);
  if (unknownPhone?.checked && !unknownPhone.phone) {
    return refused(t, t.phoneDirectory.unknownAccount(services.appLabel(input.appId)));
  }

  let submitted;
  try {
    submitted = await services.intake.submit(requesterId, input);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.code === 'duplicate_submission' && error.request) {
      services.logger.warn('a workflow step delivered again: answered with the request it made', {
        requestId: error.request.id,
      });
      return outcomeOf(services, t, error.request);
    }
    return refused(t, t.errors[error.code]);
  }
  const { request } = submitted;
  if (submitted.kind === 'direct') return grantToRequester(services, t, request);
  return announce(services, t, request);
}

/** The "Reset now" DM of a direct request; withdrawn when Slack refuses the DM, so no grant hangs unseen. */
async function grantToRequester(
  services: SlackServices,
  t: Texts,
  request: ResetRequest,
): Promise<StepOutcome> {
  if (await services.messages.sendGrant(request)) {
    await services.home.republishFor(request);
    return outcomeOf(services, t, request);
  }
  const withdrawn = await services.decisions.withdraw(request.id, 'no_private_route');
  await services.messages.refresh(withdrawn);
  return refused(t, t.stepNoDirectMessage, request.id);
}

/** Posts a request for approval and tells its requester privately; withdrawn when the channel refuses it. */
async function announce(services: SlackServices, t: Texts, request: ResetRequest): Promise<StepOutcome> {
  // submit() answers `pending` only when an approval channel is configured.
  const approvalChannel = services.config.approvalChannel as string;
  let posted: ResetRequest;
  try {
    posted = await services.messages.post(request);
  } catch (error) {
    services.logger.error("could not post a workflow step's request to the approval channel", {
      requestId: request.id,
      error: slackError(error),
    });
    const withdrawn = await services.decisions.withdraw(request.id, 'approval_channel_refused');
    await services.messages.refresh(withdrawn);
    return refused(t, t.stepChannelUnusable, request.id);
  }
  await services.notices.tell(
    request.requesterId,
    pendingNotice(t, { request: posted, appLabel: services.appLabel(posted.appId), approvalChannel }),
  );
  return outcomeOf(services, t, posted);
}
