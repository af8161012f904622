import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewOutput, ViewSubmitAction } from '@slack/bolt';
import type { VoiceApp } from '../../../config/index.js';
import { DomainError } from '../../../domain/errors.js';
import type { InputProblems, ResetInput } from '../../../domain/use-cases/intake.js';
import type { Texts } from '../../../i18n/index.js';
import { channelMention } from '../../blocks/format.js';
import { pendingNotice } from '../../blocks/requests.js';
import type { SlackServices } from '../../services.js';
import { privateTargetOf } from '../../platform/private-target.js';
import { BLOCK, INPUT_ACTION } from '../../platform/ids.js';
import { readFormState, type FormState } from '../../platform/form-state.js';
import { refusalText } from '../../blocks/refusals.js';
import { resetAndDeliver } from '../../flows/reset-flow.js';
import { slackError } from '../../platform/web-api-errors.js';

/** Slack's answers that mean the approval channel cannot take posts until an admin acts. */
const CHANNEL_UNUSABLE = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

function readInput(view: ViewOutput, apps: readonly VoiceApp[]): ResetInput & { form: FormState } {
  const form = readFormState(view.state.values);
  const values = view.state.values;
  return {
    account: form.account,
    appId: apps.length > 1 ? (form.chosenAppId ?? '') : (apps[0]?.appId ?? ''),
    reason: (values[BLOCK.reason]?.[INPUT_ACTION]?.value ?? '').trim(),
    form,
  };
}

function fieldErrors(
  t: Texts,
  problems: InputProblems,
  accountBlock: string,
): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  if (problems.account) errors[accountBlock] = t.accountProblem[problems.account];
  if (problems.appId) errors[BLOCK.app] = t.appUnknown;
  if (problems.reason) errors[BLOCK.reason] = t.reasonRequired;
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/**
 * A phone picked among another voice application's phones than the one chosen: the form is
 * rebuilt when the choice changes, but a submission may beat that rebuild.
 */
function pickedElsewhere(t: Texts, input: ResetInput & { form: FormState }) {
  const { pickerAppId, accountBlock } = input.form;
  if (pickerAppId === undefined || !input.account || pickerAppId === input.appId) return undefined;
  return { [accountBlock]: t.phoneDirectory.pickAgain };
}

/**
 * A field error for an account the phone directory, fresh, does not list in the chosen application:
 * refused before any request exists. A stale or failed directory (or one that cannot be read) says
 * nothing, and the request goes on.
 */
async function unknownPhone(
  services: SlackServices,
  t: Texts,
  input: ResetInput,
  accountBlock: string,
): Promise<Record<string, string> | undefined> {
  if (!services.phoneDirectory) return undefined;
  const check = await services.phoneDirectory.check(input.appId, input.account).catch((error: unknown) => {
    services.logger.warn('could not check the account against the phone directory', {
      error: slackError(error),
    });
    return { checked: false as const };
  });
  if (!check.checked || check.phone) return undefined;
  return { [accountBlock]: t.phoneDirectory.unknownAccount(services.appLabel(input.appId)) };
}

/**
 * The reset modal's submission: field errors keep the modal open; otherwise it closes and the
 * request either runs at once (direct) or goes to the approval channel.
 */
export function resetRequestSubmitted(services: SlackServices) {
  return async ({
    ack,
    body,
    view,
  }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const userId = body.user.id;
    const t = await services.textsFor(userId);
    const { form, ...fields } = readInput(view, services.config.itnio.apps);
    const input = { ...fields, submissionId: view.id };
    const { problems } = await services.intake.assess(userId, input);
    const errors =
      fieldErrors(t, problems, form.accountBlock) ??
      pickedElsewhere(t, { ...input, form }) ??
      (await unknownPhone(services, t, input, form.accountBlock));
    if (errors) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();

    const target = privateTargetOf(body);
    let submitted;
    try {
      submitted = await services.intake.submit(userId, input);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'duplicate_submission') {
        // A replay, or Slack sending it again: the first one is answered already.
        services.logger.warn('ignored a repeated form submission', {
          requestId: error.request?.id,
          user: userId,
        });
        return;
      }
      await services.notices.tell(target, refusalText(t, error));
      return;
    }
    if (submitted.kind === 'direct') {
      await resetAndDeliver(services, {
        request: submitted.request,
        userId,
        target,
        onUnreachable: 'cancel',
      });
      return;
    }
    // submit() answers `pending` only when an approval channel is configured.
    const approvalChannel = services.config.approvalChannel as string;
    let request = submitted.request;
    try {
      request = await services.messages.post(request);
    } catch (error) {
      // Nobody could approve a request nobody sees: withdraw it rather than leave it hanging.
      const code = slackError(error);
      const channelUnusable = CHANNEL_UNUSABLE.has(code);
      services.logger.error(
        channelUnusable
          ? `cannot post to SIP_RESET_APPROVAL_CHANNEL ${approvalChannel} (${code}): invite @sip-reset to it`
          : 'could not post to the approval channel',
        { requestId: request.id, error: code },
      );
      const withdrawn = await services.decisions.withdraw(request.id, 'approval_channel_refused');
      const why = channelUnusable
        ? t.approvalChannelUnusable(channelMention(approvalChannel))
        : t.unexpectedError;
      await services.notices.tell(target, why);
      // Their Home, published before the request was made, shows it withdrawn.
      await services.messages.refresh(withdrawn);
      return;
    }
    await services.notices.tell(
      target,
      pendingNotice(t, { request, appLabel: services.appLabel(request.appId), approvalChannel }),
    );
  };
}
