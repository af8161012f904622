import { DomainError, ResetFailed } from '../../domain/errors.js';
import type { ResetRequest } from '../../domain/request.js';
import type { Texts } from '../../i18n/index.js';
import { slackDate, userMention } from '../blocks/format.js';
import { notice, passwordMessage } from '../blocks/requests.js';
import type { SlackServices } from '../services.js';
import { DeliveryFailed } from '../outbound/private-delivery.js';
import type { PrivateTarget } from '../platform/private-target.js';
import { refusalText } from '../blocks/refusals.js';

/**
 * Runs the reset of an approved request for its requester and hands the new password to them
 * privately, then brings every message about the request up to date. The password lives only in
 * these functions' scopes and the private message.
 *
 * A private route is proven first, with a "resetting" note: without one, nothing is reset, since a
 * password nobody can see would be lost. A direct request is then withdrawn; an approval stays
 * usable (`onUnreachable: 'keep'`) for another press of its button.
 */
export async function resetAndDeliver(
  services: SlackServices,
  options: { request: ResetRequest; userId: string; target: PrivateTarget; onUnreachable: 'cancel' | 'keep' },
): Promise<void> {
  const { request, userId, target } = options;
  const t = await services.textsFor(userId);
  const [account, app] = services.subject(request);
  // A click that will be refused hears only why, not "Resetting…" first.
  try {
    await services.resets.assertResettable(request, userId);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await services.notices.tell(target, refusalText(t, error));
    if (error.request) await services.messages.refresh(error.request);
    return;
  }
  try {
    await services.delivery.send(target, notice(t.resetting(account, app)));
  } catch (error) {
    if (!(error instanceof DeliveryFailed)) throw error;
    if (options.onUnreachable === 'cancel') {
      const withdrawn = await services.decisions.withdraw(request.id, 'no_private_route');
      await services.notices.tell(userId, t.unreachable(account, app));
      await services.messages.refresh(withdrawn);
    } else {
      await services.notices.tell(userId, t.unreachableGrant(account, app));
    }
    return;
  }
  const say = (text: string) => services.notices.tell(target, text);
  // Where the request's messages are, read while the database answers: the redraw after the reset
  // must take the "Reset now" button away even when the outcome's record waits for the database.
  await services.messages.locate(request);

  let done;
  try {
    done = await services.resets.reset(request.id, userId);
  } catch (error) {
    if (error instanceof ResetFailed) {
      const why = t.vendorFailures[error.vendorError.code];
      const unknown = error.vendorError.outcome === 'unknown';
      await say(unknown ? t.resetUnknown(account, app, why) : t.resetFailed(account, app, why));
      await services.messages.refresh(await error.recorded);
      return;
    }
    if (error instanceof DomainError) {
      await say(refusalText(t, error));
      if (error.request) await services.messages.refresh(error.request);
      return;
    }
    // The database failed before the reset started: a direct request is withdrawn, or it would
    // hold the account for its two minutes and refuse the "try again" the person is told to do.
    // A compare-and-set from `approved` only; if that write fails too, the two minutes free it.
    if (options.onUnreachable === 'cancel') {
      const withdrawn = await services.decisions
        .withdraw(request.id, 'database_failed')
        .catch(() => undefined);
      if (withdrawn) await services.messages.refresh(withdrawn);
    }
    throw error;
  }

  // Delivery first: the issue is being recorded meanwhile, and a slow database must not hold it.
  // Then what Slack said is recorded: completed once it accepted the message, undelivered when no
  // route did; a failure that is neither leaves the request `delivering`, for the sweep to settle.
  // Whatever happens here, this listener settles only once that is written: a stop waits for the
  // listeners in flight, and the process must not end before that write has been made.
  let shown: boolean | undefined;
  let recorded: ResetRequest;
  try {
    shown = await deliverPassword(services, t, done.password, options);
  } finally {
    recorded = await (shown === undefined
      ? done.recorded
      : shown
        ? services.resets.delivered(done, userId)
        : services.resets.undelivered(done, userId));
  }
  if (!shown) await services.notices.tell(userId, t.passwordUndeliverable(account, app));
  await Promise.all([
    services.messages.refresh(recorded),
    notifyOwners(services, done.ownersToNotify, recorded, userId),
  ]);
}

/**
 * Hands the new password to its requester privately; true once Slack accepted the message, false
 * when no route took it. Records the route in the audit trail.
 */
async function deliverPassword(
  services: SlackServices,
  t: Texts,
  password: string,
  { request, userId, target }: { request: ResetRequest; userId: string; target: PrivateTarget },
): Promise<boolean> {
  const shown = { account: request.account, appLabel: services.appLabel(request.appId), password };
  try {
    const { route, timedOut } = await services.delivery.sendNoted(
      target,
      passwordMessage(t, shown),
      passwordMessage(t, { ...shown, repeated: true }),
    );
    // Both routes, when an earlier one timed out: the password may have been shown there too.
    const detail: Record<string, string> = { route };
    if (timedOut.length > 0) detail.timedOut = timedOut.join(',');
    services.logger.info('password delivered', { requestId: request.id, ...detail });
    await services.resets.audit(request.id, { type: 'password_delivered', actor: userId, detail });
    return true;
  } catch (error) {
    if (!(error instanceof DeliveryFailed)) throw error;
    services.logger.error('the password was reset but could not be delivered', { requestId: request.id });
    return false;
  }
}

/** Tells each owner, in their DM, that someone else reset their account: never the password. */
async function notifyOwners(
  services: SlackServices,
  owners: readonly string[],
  request: ResetRequest,
  resetBy: string,
): Promise<void> {
  const [account, app] = services.subject(request);
  const at = request.finishedAt ?? request.updatedAt;
  await Promise.all(
    owners.map(async (owner) => {
      const t = await services.textsFor(owner);
      const told = await services.notices.tell(
        owner,
        t.ownerNotice(account, app, userMention(resetBy), slackDate(at, t.dateFormat)),
      );
      if (told) {
        await services.resets.audit(request.id, {
          type: 'owner_notified',
          actor: 'system',
          detail: { owner },
        });
      }
    }),
  );
}
