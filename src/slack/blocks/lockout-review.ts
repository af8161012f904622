import type { Button, KnownBlock, ModalView } from '@slack/types';
import type { Texts } from '../../i18n/index.js';
import { ACTION, VIEW } from '../platform/ids.js';
import { lockoutMetadata } from '../platform/modal-metadata.js';
import { LIMITS, channelMention, clip, escapeMrkdwn, escapeWithin } from './format.js';

/** How many of the accounts the review names; the rest it counts ("and 220 more"). */
export const REVIEW_SAMPLE = 20;
/** How much of the reason the review shows (it is at most 500 characters, but escaping lengthens it). */
const REASON_SHOWN_MAX = 2_000;

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** A prepared lock-out, as the review shows it before the confirmed click. */
export interface LockoutReview {
  campaignId: string;
  /** How many phones it locks out, as the engine counted them: what the button and its dialog state. */
  count: number;
  targets: ReadonlyArray<{ account: string; appId: string }>;
  reason: string;
  /** Set when the agent chose every phone of one voice application. */
  wholeAppId?: string;
  appLabel(appId: string): string;
}

/**
 * The button that starts the lock-out, behind Slack's confirmation dialog stating the count (a
 * modal's submit cannot carry one, hence a button): danger-styled, as is its dialog's confirm.
 */
export function lockoutStartButton(t: Texts, count: number): Button {
  const text = t.lockoutForm;
  return {
    type: 'button',
    action_id: ACTION.lockoutStart,
    style: 'danger',
    text: plain(clip(text.startButton(count), LIMITS.button)),
    confirm: {
      title: plain(clip(text.confirmTitle(count), LIMITS.confirmTitle)),
      text: plain(clip(text.confirmText(count), LIMITS.confirmText)),
      confirm: plain(clip(text.confirmYes(count), LIMITS.confirmButton)),
      deny: plain(clip(text.confirmNo, LIMITS.confirmButton)),
      style: 'danger',
    },
  };
}

/**
 * The review a submitted lock-out form becomes (response_action `update`): the count and voice
 * application(s), the first accounts and how many more, the reason, and the button that starts it.
 * Its private_metadata holds the campaign, which the button's click reads back.
 */
export function lockoutReviewModal(t: Texts, review: LockoutReview): ModalView {
  const text = t.lockoutForm;
  const label = (appId: string) => escapeMrkdwn(clip(review.appLabel(appId), LIMITS.appLabel));
  const perApp = new Map<string, number>();
  for (const { appId } of review.targets) perApp.set(appId, (perApp.get(appId) ?? 0) + 1);
  const severalApps = perApp.size > 1;
  const apps = severalApps
    ? [...perApp].map(([appId, n]) => text.appCount(label(appId), n)).join(t.listSeparator)
    : [...perApp.keys()].map(label).join(t.listSeparator);
  const named = (target: { account: string; appId: string }) =>
    severalApps
      ? text.accountInApp(escapeMrkdwn(target.account), label(target.appId))
      : escapeMrkdwn(target.account);
  const listed = sampleOf(t, review.targets.map(named));
  const count = [
    text.reviewCount(review.count, apps),
    ...(review.wholeAppId ? [text.reviewWholeApp(label(review.wholeAppId))] : []),
  ].join(t.sentenceSeparator);
  return {
    type: 'modal',
    callback_id: VIEW.lockoutReview,
    title: plain(text.reviewTitle),
    close: plain(text.reviewClose),
    private_metadata: lockoutMetadata(review.campaignId),
    blocks: [
      section(count),
      section(listed),
      section(text.reviewReason(escapeWithin(review.reason, REASON_SHOWN_MAX))),
      { type: 'context', elements: [{ type: 'mrkdwn', text: text.reviewNext }] },
      { type: 'actions', block_id: 'lockout_start', elements: [lockoutStartButton(t, review.count)] },
    ],
  };
}

/**
 * The first REVIEW_SAMPLE accounts (already escaped), then how many more: as many as fit a
 * section, however long each (an account of `&`s, a long voice application label).
 */
function sampleOf(t: Texts, names: readonly string[]): string {
  const text = t.lockoutForm;
  const shown: string[] = [];
  for (const name of names.slice(0, REVIEW_SAMPLE)) {
    const more = names.length - shown.length - 1;
    const next = [...shown, name, ...(more > 0 ? [text.reviewMore(more)] : [])].join(t.listSeparator);
    if (next.length > LIMITS.sectionText) break;
    shown.push(name);
  }
  const more = names.length - shown.length;
  return [...shown, ...(more > 0 ? [text.reviewMore(more)] : [])].join(t.listSeparator);
}

/** The review once its button started the lock-out: where its progress is. */
export function lockoutStartedModal(t: Texts, place: { kind: 'thread' | 'dm'; channel: string }): ModalView {
  const text = t.lockoutForm;
  return {
    type: 'modal',
    callback_id: VIEW.lockoutReview,
    title: plain(text.startedTitle),
    close: plain(text.closeDone),
    blocks: [
      section(
        place.kind === 'thread' ? text.startedInThread(channelMention(place.channel)) : text.startedInDm,
      ),
    ],
  };
}

/** The review once its button was refused (a second click, an expired draft): why, in words. */
export function lockoutNotStartedModal(t: Texts, why: string): ModalView {
  const text = t.lockoutForm;
  return {
    type: 'modal',
    callback_id: VIEW.lockoutReview,
    title: plain(text.notStartedTitle),
    close: plain(text.closeDone),
    blocks: [section(text.notStarted(why))],
  };
}
