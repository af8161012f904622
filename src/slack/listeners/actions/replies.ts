import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { DomainError } from '../../../domain/errors.js';
import type { PrivateTarget } from '../../platform/private-target.js';
import type { SlackServices } from '../../services.js';
import { refusalText } from '../../blocks/refusals.js';

/** What a button listener receives. */
export type ButtonClick = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** Turns a domain refusal into a private notice; anything else is rethrown for Bolt's error handler. */
export async function replyWithRefusal(
  services: SlackServices,
  to: PrivateTarget,
  error: unknown,
): Promise<void> {
  if (!(error instanceof DomainError)) throw error;
  await services.notices.tell(to, refusalText(await services.textsFor(to.userId), error));
  // A click on a stale message (decided elsewhere, or before a restart): bring it up to date.
  if (error.code === 'already_decided' && error.request) await services.messages.refresh(error.request);
}

/** Runs the domain call behind a click; a refusal is answered privately and gives undefined. */
export async function unlessRefused<T>(
  services: SlackServices,
  to: PrivateTarget,
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    await replyWithRefusal(services, to, error);
    return undefined;
  }
}
