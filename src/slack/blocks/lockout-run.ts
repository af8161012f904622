import type { KnownBlock } from '@slack/types';
import {
  ownersWereTold,
  type LockoutCampaign,
  type LockoutItem,
  type LockoutTally,
} from '../../domain/lockout.js';
import type { Texts } from '../../i18n/index.js';
import { ACTION } from '../platform/ids.js';
import { escapeWithin, LIMITS, mrkdwnSubject, userMention } from './format.js';
import { button, confirmation, failureWords, type SlackMessage } from './requests.js';

/** How many phones a summary names at most, each list: the rest is counted. */
export const SUMMARY_LIST_MAX = 30;
/** A reason, escaped and within a length that leaves room for the sentence around it. */
const REASON_MAX = 500;

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: escapeWithinSection(text) },
});

/** Section text is at most 3,000 characters (PLATFORM.md): the lists fit (phoneList); this guards the rest. */
function escapeWithinSection(text: string): string {
  return text.length <= LIMITS.sectionText ? text : `${text.slice(0, LIMITS.sectionText - 1)}…`;
}

const reasonOf = (campaign: LockoutCampaign) => escapeWithin(campaign.reason, REASON_MAX);

/** The short parent message in the approval channel, whose thread holds the progress. */
export function lockoutStartedText(t: Texts, campaign: LockoutCampaign): string {
  return t.lockoutRun.started(campaign.count, userMention(campaign.agentId), reasonOf(campaign));
}

/** Stop: any helpdesk agent, behind Slack's confirmation. */
export function stopButton(t: Texts, campaignId: string) {
  const r = t.lockoutRun;
  return button(r.stopButton, ACTION.lockoutStop, campaignId, {
    label: r.stopLabel,
    confirm: confirmation(r.stopTitle, r.stopText, r.stopConfirm, r.stopBack),
  });
}

/**
 * What the progress says besides its counts: who stopped it (it ends after the phone in progress),
 * or that ITNIO answered -15 and the phone is asked again in `retryInMs`.
 */
export type ProgressNote = { stoppedBy: string } | { retryInMs: number };

/** The live progress: how many locked out, failed, unknown, of how many; a note; and Stop. */
export function progressMessage(
  t: Texts,
  campaign: LockoutCampaign,
  tally: LockoutTally,
  note?: ProgressNote,
): SlackMessage {
  const r = t.lockoutRun;
  const line = r.progress(tally.lockedOut, tally.total, tally.failed, tally.unknown);
  if (note && 'stoppedBy' in note) {
    const text = `${line}\n${r.stopping(userMention(note.stoppedBy))}`;
    return { text, blocks: [section(text)] };
  }
  // Whole seconds, rounded up: "in 0 s" would say it is over.
  const text = note ? `${line}\n${r.slowedDown(Math.ceil(note.retryInMs / 1000))}` : line;
  return {
    text,
    blocks: [
      section(`${text}\n${r.progressHint}`),
      { type: 'actions', elements: [stopButton(t, campaign.id)] },
    ],
  };
}

/**
 * A list of phones with why (`why` in words): at most SUMMARY_LIST_MAX named, and only as many as
 * fit in one section with the count of the rest (an account may be 32 characters and a label 80, so
 * 30 lines can pass 3,000: cut there, the list would lose its last lines and the count).
 */
function phoneList(
  t: Texts,
  title: string,
  items: readonly LockoutItem[],
  appLabel: (appId: string) => string,
  why: (item: LockoutItem) => string,
): string {
  const lines = [title];
  let length = title.length;
  for (const item of items.slice(0, SUMMARY_LIST_MAX)) {
    const [account, app] = mrkdwnSubject(item, appLabel(item.appId));
    const line = t.lockoutRun.itemLine(account, app, why(item));
    const restAfter = items.length - lines.length;
    const tail = restAfter > 0 ? t.lockoutRun.more(restAfter).length + 1 : 0;
    if (length + 1 + line.length + tail > LIMITS.sectionText) break;
    lines.push(line);
    length += 1 + line.length;
  }
  const rest = items.length - (lines.length - 1);
  return [...lines, ...(rest > 0 ? [t.lockoutRun.more(rest)] : [])].join('\n');
}

/** Why a locked-out phone's owners were not told, in words. */
function notToldWords(t: Texts, item: LockoutItem): string {
  return item.notTold === null ? t.lockoutRun.notToldUnknown : t.lockoutRun.notToldReasons[item.notTold];
}

/**
 * The end: how many locked out of how many, finished or stopped by whom, and why (but in the audit
 * channel's copy, `withReason` false: it holds no text a person typed); each failed or unknown
 * phone with its reason in words; of how many phones the owners were told, how many phones have
 * none; each locked-out phone whose owners were not told, and why, for the agent to tell them.
 */
export function summaryMessage(
  t: Texts,
  campaign: LockoutCampaign,
  tally: LockoutTally,
  items: readonly LockoutItem[],
  appLabel: (appId: string) => string,
  withReason = true,
): SlackMessage {
  const r = t.lockoutRun;
  const outcome =
    campaign.state === 'stopped'
      ? r.stopped(tally.lockedOut, tally.total, userMention(campaign.stoppedBy ?? '?'))
      : r.finished(tally.lockedOut, tally.total);
  const head = withReason ? `${outcome}\n${r.reasonLine(reasonOf(campaign))}` : outcome;
  const counts = `${r.counts(tally.failed, tally.unknown, tally.notStarted)}\n${r.owners(tally.ownersTold, tally.withoutOwner)}`;
  const failed = items.filter((item) => item.state === 'failed');
  const unknown = items.filter((item) => item.state === 'unknown');
  const notTold = items.filter(
    (item) => item.state === 'locked_out' && item.ownerId !== null && !ownersWereTold(item),
  );
  const failure = (item: LockoutItem) => failureWords(t, item.failureCode);
  const blocks = [section(head), section(counts)];
  if (failed.length > 0) blocks.push(section(phoneList(t, r.failedTitle, failed, appLabel, failure)));
  if (unknown.length > 0) blocks.push(section(phoneList(t, r.unknownTitle, unknown, appLabel, failure)));
  if (notTold.length > 0) {
    blocks.push(section(phoneList(t, r.notToldTitle, notTold, appLabel, (item) => notToldWords(t, item))));
  }
  return { text: `${head}\n${counts}`, blocks };
}

/** The summary as one text, for the audit channel: no buttons, no secret (a lock-out holds none). */
export function summaryText(message: SlackMessage): string {
  return (message.blocks ?? [])
    .map((block) => (block.type === 'section' && block.text ? block.text.text : ''))
    .filter(Boolean)
    .join('\n');
}
