import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  RespondFn,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { DomainError } from '../../domain/errors.js';
import type { SlackContext } from '../context.js';
import { refusalText } from '../reset-flow.js';

/** What a button listener receives. */
export type ButtonClick = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** Answers the person who clicked, in a new message only they see; the clicked message stays. */
export function replyPrivately(respond: RespondFn, text: string): Promise<unknown> {
  return respond({ response_type: 'ephemeral', replace_original: false, text });
}

/** Turns a domain refusal into a private reply; anything else is rethrown for Bolt's error handler. */
export async function replyWithRefusal(ctx: SlackContext, respond: RespondFn, error: unknown): Promise<void> {
  if (!(error instanceof DomainError)) throw error;
  await replyPrivately(respond, refusalText(ctx, error));
  // A click on a stale message (decided elsewhere, or before a restart): bring it up to date.
  if (error.code === 'already_decided' && error.request)
    await ctx.announcer.refreshApprovalMessage(error.request);
}

/** Runs the domain call behind a click; a refusal is answered privately and gives undefined. */
export async function unlessRefused<T>(
  ctx: SlackContext,
  respond: RespondFn,
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    await replyWithRefusal(ctx, respond, error);
    return undefined;
  }
}
