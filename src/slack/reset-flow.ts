import { DomainError, ResetFailed } from '../domain/errors.js';
import type { ResetRequest } from '../store/types.js';
import { slackDate, userMention } from './blocks/format.js';
import { notice, passwordMessage, type SlackMessage } from './blocks/messages.js';
import type { SlackContext } from './context.js';
import { DeliveryFailed, type DeliveryRoute, type PrivateTarget } from './delivery.js';

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
  options: { replaceOriginal?: boolean } = {},
): Promise<void> {
  try {
    await ctx.delivery.send(target, message, options);
  } catch (error) {
    if (!(error instanceof DeliveryFailed)) throw error;
    await ctx.announcer.dm(target.userId, message);
  }
}

/**
 * Runs the reset of an approved request for its requester and hands the new password to them
 * privately, then brings every message about the request up to date. The password lives only in
 * this function's scope and the private message.
 */
export async function resetAndDeliver(
  ctx: SlackContext,
  options: { request: ResetRequest; userId: string; target: PrivateTarget; showProgress: boolean },
): Promise<void> {
  const { t } = ctx;
  const { request, userId } = options;
  const [account, app] = ctx.subject(request);
  let replaceProgress = false;
  if (options.showProgress) {
    try {
      const progress = await ctx.delivery.send(options.target, notice(t.resetting(account, app)));
      replaceProgress = progress.route === 'response_url';
    } catch (error) {
      if (!(error instanceof DeliveryFailed)) throw error;
      // Nowhere private to show a password: better not to reset at all than to lose it.
      await ctx.service.cancel(request.id, userId);
      await ctx.announcer.tell(userId, t.unreachable(account, app));
      return;
    }
  }
  const say = (text: string) =>
    tellPrivately(ctx, options.target, notice(text), { replaceOriginal: replaceProgress });

  let done;
  try {
    done = await ctx.service.reset(request.id, userId);
  } catch (error) {
    if (error instanceof ResetFailed) {
      const why = t.vendorMessage(error.vendorError);
      const unknown = error.vendorError.outcome === 'unknown';
      await say(unknown ? t.resetUnknown(account, app, why) : t.resetFailed(account, app, why));
      await ctx.announcer.refreshApprovalMessage(error.request);
      await ctx.announcer.refreshGrantMessage(error.request);
      return;
    }
    if (error instanceof DomainError) {
      await say(refusalText(ctx, error));
      if (error.request) {
        await ctx.announcer.refreshGrantMessage(error.request);
        await ctx.announcer.refreshApprovalMessage(error.request);
      }
      return;
    }
    throw error;
  }

  const ttlMinutes = ctx.config.passwordMessageTtlMinutes;
  const message = (route: DeliveryRoute) =>
    passwordMessage(t, {
      account: request.account,
      appLabel: ctx.appLabel(request.appId),
      password: done.password,
      ttlMinutes: route === 'response_url' ? ttlMinutes : undefined,
    });
  try {
    const delivered = await ctx.delivery.send(options.target, message, { replaceOriginal: replaceProgress });
    const { responseUrl } = delivered;
    if (responseUrl) {
      ctx.schedule(ttlMinutes * 60_000, async () => {
        await ctx.delivery.remove(responseUrl);
      });
    }
  } catch (error) {
    if (!(error instanceof DeliveryFailed)) throw error;
    ctx.logger.error('the password was reset but could not be delivered', { requestId: request.id });
    await ctx.announcer.tell(userId, t.passwordUndeliverable(account, app));
  }
  await Promise.all([
    ctx.announcer.refreshApprovalMessage(done.request),
    ctx.announcer.refreshGrantMessage(done.request),
    ctx.announcer.notifyOwners(done.ownersToNotify, done.request, userId),
  ]);
}
