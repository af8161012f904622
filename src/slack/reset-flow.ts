import { DomainError, ResetFailed } from '../domain/errors.js';
import type { ResetRequest } from '../domain/request.js';
import { slackDate, userMention } from './blocks/format.js';
import { notice, passwordMessage, type SlackMessage } from './blocks/messages.js';
import type { SlackContext } from './context.js';
import { DeliveryFailed, type PrivateTarget } from './delivery.js';

/** A refusal from the domain, as a sentence for the person who asked. */
export function refusalText(ctx: SlackContext, error: DomainError): string {
  const text = ctx.t.errors[error.code];
  const open = error.request;
  if (error.code === 'open_request_exists' && open) {
    return `${text} ${ctx.t.openRequestDetail(userMention(open.requesterId), slackDate(open.createdAt, ctx.t.dateFormat))}`;
  }
  return text;
}

/**
 * Tells one person something that is not a secret: privately if Slack allows, else in the app's
 * DM with them, so a refusal or a pending note is never lost.
 */
export async function tellPrivately(
  ctx: SlackContext,
  target: PrivateTarget,
  message: SlackMessage,
): Promise<void> {
  try {
    await ctx.delivery.send(target, message);
  } catch (error) {
    if (!(error instanceof DeliveryFailed)) throw error;
    await ctx.announcer.dm(target.userId, message);
  }
}

/** Brings every message about the request up to date; a Slack or database failure is only logged. */
async function refreshAll(ctx: SlackContext, request: ResetRequest): Promise<void> {
  await Promise.all([
    ctx.announcer.refreshApprovalMessage(request),
    ctx.announcer.refreshGrantMessage(request),
  ]);
}

/**
 * Runs the reset of an approved request for its requester and hands the new password to them
 * privately, then brings every message about the request up to date. The password lives only in
 * this function's scope and the private message.
 *
 * A private route is proven first, with a "resetting" note: without one, nothing is reset, since a
 * password nobody can see would be lost. A direct request is then withdrawn; an approval stays
 * usable (`onUnreachable: 'keep'`) for another press of its button.
 */
export async function resetAndDeliver(
  ctx: SlackContext,
  options: { request: ResetRequest; userId: string; target: PrivateTarget; onUnreachable: 'cancel' | 'keep' },
): Promise<void> {
  const { t } = ctx;
  const { request, userId, target } = options;
  const [account, app] = ctx.subject(request);
  try {
    await ctx.delivery.send(target, notice(t.resetting(account, app)));
  } catch (error) {
    if (!(error instanceof DeliveryFailed)) throw error;
    if (options.onUnreachable === 'cancel') {
      await ctx.service.cancel(request.id, userId);
      await ctx.announcer.tell(userId, t.unreachable(account, app));
    } else {
      await ctx.announcer.tell(userId, t.unreachableGrant(account, app));
    }
    return;
  }
  const say = (text: string) => tellPrivately(ctx, target, notice(text));

  let done;
  try {
    done = await ctx.service.reset(request.id, userId);
  } catch (error) {
    if (error instanceof ResetFailed) {
      const why = t.vendorFailures[error.vendorError.code];
      const unknown = error.vendorError.outcome === 'unknown';
      await say(unknown ? t.resetUnknown(account, app, why) : t.resetFailed(account, app, why));
      await refreshAll(ctx, await error.recorded);
      return;
    }
    if (error instanceof DomainError) {
      await say(refusalText(ctx, error));
      if (error.request) await refreshAll(ctx, error.request);
      return;
    }
    throw error;
  }

  // Delivery first: the outcome is being recorded meanwhile, and a slow database must not hold it.
  const message = passwordMessage(t, {
    account: request.account,
    appLabel: ctx.appLabel(request.appId),
    password: done.password,
  });
  try {
    const route = await ctx.delivery.send(target, message);
    ctx.logger.info('password delivered', { requestId: request.id, route });
  } catch (error) {
    if (!(error instanceof DeliveryFailed)) throw error;
    ctx.logger.error('the password was reset but could not be delivered', { requestId: request.id });
    await ctx.announcer.tell(userId, t.passwordUndeliverable(account, app));
  }
  const recorded = await done.recorded;
  await Promise.all([
    refreshAll(ctx, recorded),
    ctx.announcer.notifyOwners(done.ownersToNotify, recorded, userId),
  ]);
}
