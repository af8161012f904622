import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { DomainError } from '../../../domain/errors.js';
import type { PrivateTarget } from '../../platform/private-target.js';
import type { ListenerDeps } from '../../services.js';
import { refusalText } from '../../blocks/refusals.js';

/** What a button listener receives. */
export type ButtonClick = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** Turns a domain refusal into a private notice; anything else is rethrown for Bolt's error handler. */
export async function replyWithRefusal(ctx: ListenerDeps, to: PrivateTarget, error: unknown): Promise<void> {
  if (!(error instanceof DomainError)) throw error;
  await ctx.notices.tell(to, refusalText(await ctx.textsFor(to.userId), error));
  // A click on a stale message (decided elsewhere, or before a restart): bring it up to date.
  if (error.code === 'already_decided' && error.request) await ctx.messages.refresh(error.request);
}

/** Runs the domain call behind a click; a refusal is answered privately and gives undefined. */
export async function unlessRefused<T>(
  ctx: ListenerDeps,
  to: PrivateTarget,
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    await replyWithRefusal(ctx, to, error);
    return undefined;
  }
}
