import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../domain/logger.js';
import { DomainError } from '../../domain/errors.js';
import type { LockoutCampaign, LockoutItem, LockoutTally } from '../../domain/lockout.js';
import type { OwnerOutcome } from '../../domain/use-cases/lockouts.js';
import type { UseCases } from '../../domain/use-cases/index.js';
import type { Texts } from '../../i18n/index.js';
import { escapeWithin, mrkdwnSubject, userMention } from '../blocks/format.js';
import { lockoutStartedText, progressMessage, summaryMessage, summaryText } from '../blocks/lockout-run.js';
import { notice, type SlackMessage } from '../blocks/requests.js';
import type { AuditChannel } from '../outbound/audit-channel.js';
import type { Notices } from '../outbound/notices.js';
import type { RequestMessages } from '../outbound/request-messages.js';
import type { LockoutMessageRef, LockoutMessageStore } from '../platform/slack-store.js';
import type { LockoutControls } from '../services.js';
import { slackAnswer, slackError } from '../platform/web-api-errors.js';
import {
  LockoutProgressUnposted,
  type LockoutLauncher,
  type LockoutPlan,
  type LockoutProgressPlace,
  type PreparedLockout,
} from './lockout-launcher.js';

/**
 * How often the progress message is redrawn at most: chat.update is Tier 3 (about 50 a minute per
 * workspace, PLATFORM.md), shared with every other message the app redraws.
 */
export const PROGRESS_EVERY_MS = 3_000;

/**
 * How many times the end of a run draws its summary while Slack refuses it for a while (a 429, a
 * timeout, a 5xx), and the longest it waits between (Slack's Retry-After, capped): past that the
 * sweep draws it, every 30 s, so a stop of the process is not held for long.
 */
export const SUMMARY_TRIES = 3;
export const SUMMARY_WAIT_MAX_MS = 30_000;

/** Slack's errors that say it could not do it now, not that it never will. */
const SLACK_BUSY = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** What a lock-out's Slack side counts, for the metrics: each lock-out's start, stop and end, each phone's outcome. */
export interface LockoutCounts {
  lockoutStarted(): void;
  lockoutStopped(): void;
  /** `finished` or `stopped`. */
  lockoutEnded(how: string): void;
  /** `locked_out`, `failed` or `unknown`; other states are not counted. */
  lockoutPhoneDone(outcome: string): void;
}

export interface LockoutRunDeps {
  client: WebClient;
  useCases: Pick<UseCases, 'lockoutCampaigns'>;
  messages: Pick<RequestMessages, 'sendGrant' | 'refresh'>;
  notices: Pick<Notices, 'tell'>;
  refs: LockoutMessageStore;
  /** The default locale's texts: for the approval channel and the audit channel. */
  t: Texts;
  textsFor(userId: string): Promise<Texts>;
  approvalChannel: string | undefined;
  auditChannel?: Pick<AuditChannel, 'postText'>;
  appLabel(appId: string): string;
  logger: Logger;
  now(): number;
  /** Waits `ms` before Slack is asked again, or less once `signal` aborts (the process stops). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** This process's name on a lock-out's lease. */
  leaseOwner: string;
  counts: LockoutCounts;
}

/**
 * A lock-out's Slack side: starts one (its progress message in the approval channel's thread, or
 * the agent's DM), runs it in the background, tells each owner and each withdrawn requester, keeps
 * the progress up to date, and turns it into the summary at the end. Resumes what nobody runs (the
 * sweep calls `resume`), and halts before the next call when the process stops.
 */
export class LockoutRuns implements LockoutLauncher, LockoutControls {
  private readonly running = new Map<string, Promise<void>>();
  /** Where the lock-outs this process started show their progress, for when the database cannot say. */
  private readonly places = new Map<string, LockoutMessageRef>();
  /**
   * Lock-outs whose run this process paused on a database failure, its lease still held: the next
   * sweep resumes them here, rather than another instance once the lease has run out (minutes).
   */
  private readonly paused = new Set<string>();
  private halted = false;
  /** Aborted as the process stops: a summary waiting to be drawn again waits no longer. */
  private readonly halting = new AbortController();

  constructor(private readonly deps: LockoutRunDeps) {}

  async prepare(plan: LockoutPlan): Promise<PreparedLockout> {
    const campaign = await this.deps.useCases.lockoutCampaigns.prepare(plan);
    return { campaignId: campaign.id, count: campaign.count };
  }

  async start(campaignId: string, agentId: string): Promise<LockoutProgressPlace> {
    const campaign = await this.deps.useCases.lockoutCampaigns.start(
      campaignId,
      agentId,
      this.deps.leaseOwner,
    );
    this.deps.counts.lockoutStarted();
    let place: LockoutMessageRef;
    try {
      place = await this.postProgress(campaign);
    } catch (error) {
      // No progress message, so no Stop button: nothing is reset without one. Stopped before its
      // first call (the run is not launched yet), and ended by the run launched below.
      this.deps.logger.error('could not post a lock-out progress message: the lock-out is stopped', {
        campaignId: campaign.id,
        error: slackError(error),
      });
      try {
        await this.deps.useCases.lockoutCampaigns.stop(campaign.id, campaign.agentId);
        this.deps.counts.lockoutStopped();
      } catch (stopError) {
        this.launch(campaign.id);
        throw stopError;
      }
      this.launch(campaign.id);
      throw new LockoutProgressUnposted();
    }
    // Remembered here too: the Stop button is on screen, and the redraws must find it when the
    // database cannot say where it is.
    this.places.set(campaign.id, place);
    try {
      await this.deps.refs.saveLockoutMessage(campaign.id, place);
    } catch (error) {
      this.deps.logger.warn('could not save where a lock-out shows its progress', {
        campaignId: campaign.id,
        error: slackError(error),
      });
    }
    this.launch(campaign.id);
    return place;
  }

  /** Stops a lock-out (any helpdesk agent): it ends before its next call. Throws a DomainError. */
  async stop(campaignId: string, userId: string): Promise<void> {
    let stopped: LockoutCampaign;
    try {
      stopped = await this.deps.useCases.lockoutCampaigns.stop(campaignId, userId);
    } catch (error) {
      // A Stop still on screen after the end: its message missed the summary, which is drawn now.
      if (error instanceof DomainError && error.code === 'lockout_not_running') {
        await this.redrawSummary(campaignId);
      }
      throw error;
    }
    this.deps.counts.lockoutStopped();
    const ref = await this.refOf(stopped.id);
    if (ref) {
      const t = await this.textsOf(stopped, ref);
      const tally = await this.deps.useCases.lockoutCampaigns.tally(stopped.id);
      await this.update(ref, progressMessage(t, stopped, tally, { stoppedBy: userId }), stopped.id);
      // Its runner may have ended it and drawn the summary while this redraw was on its way (another
      // instance's, or this one's): the summary is drawn again over it, else the end would show
      // "stopping" for good. A runner ending it after this read draws its summary after it anyway.
      const after = await this.deps.useCases.lockoutCampaigns.get(stopped.id);
      if (after && after.endedAt !== null) await this.redrawSummary(stopped.id);
    }
    // Ended here when nobody runs it (else its runner ends it after the phone in progress).
    this.launch(stopped.id);
  }

  /**
   * Runs the lock-outs nobody runs (their process died or stopped), and expires old drafts; draws
   * the summary of those ended whose summary Slack refused: for the sweep.
   */
  async resume(): Promise<void> {
    await this.deps.useCases.lockoutCampaigns.expireDrafts();
    if (this.halted) return;
    for (const campaignId of [...this.paused]) this.launch(campaignId);
    for (const campaign of await this.deps.useCases.lockoutCampaigns.unattended()) this.launch(campaign.id);
    for (const { campaignId } of await this.deps.refs.unsettledLockoutSummaries()) {
      if (this.halted) return;
      // A run of this process draws its own (its summary is on its way, retried).
      if (!this.running.has(campaignId)) await this.redrawSummary(campaignId);
    }
  }

  /** Halts every run before its next call and gives its lease back; settles once they have. */
  async halt(): Promise<void> {
    this.halted = true;
    this.halting.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  /** Settles once every run of this process has ended or halted: for tests. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private launch(campaignId: string): void {
    if (this.halted || this.running.has(campaignId)) return;
    this.paused.delete(campaignId);
    const run = this.run(campaignId)
      .catch((error: unknown) => {
        // Its lease is still this process's: the next sweep resumes it here.
        this.paused.add(campaignId);
        this.deps.logger.error('a lock-out run failed; the next sweep resumes it', {
          campaignId,
          error: slackError(error),
        });
      })
      .finally(() => this.running.delete(campaignId));
    this.running.set(campaignId, run);
  }

  private async run(campaignId: string): Promise<void> {
    const { lockoutCampaigns } = this.deps.useCases;
    let lastDrawn = this.deps.now();
    /** Redraws the progress unless it was drawn less than PROGRESS_EVERY_MS ago. */
    const redraw = async (retryInMs?: number) => {
      if (this.deps.now() - lastDrawn < PROGRESS_EVERY_MS) return;
      lastDrawn = this.deps.now();
      await this.redrawProgress(campaignId, retryInMs).catch((error: unknown) => {
        this.deps.logger.warn("could not redraw a lock-out's progress", {
          campaignId,
          error: slackError(error),
        });
      });
    };
    const result = await lockoutCampaigns.run(campaignId, this.deps.leaseOwner, {
      halted: () => this.halted,
      tell: (item, owner) => this.tellPeople(item, owner),
      // A side job: a failure (Slack, or the database it reads) is logged, and the run goes on.
      onItem: async (item) => {
        this.deps.counts.lockoutPhoneDone(item.state);
        // Drawn without the note of a wait: the phone it was about is done.
        await redraw();
      },
      // Said only of a wait as long as the redraw interval at least: the phone is done after it, so
      // its redraw (which drops the note) is never held back by the throttle and the note stale.
      onTooFrequent: async (_item, waitMs) => {
        if (waitMs >= PROGRESS_EVERY_MS) await redraw(waitMs);
      },
    });
    if (result.kind === 'ended') {
      await this.countEnd(result.campaign);
      await this.summarize(result.campaign);
    }
  }

  /**
   * The end, counted once (by the run that recorded it), with the phones a dead process left in
   * their call: recorded unknown (`interrupted`) as a run resumed, no run heard of them. A failure
   * to read them is logged: the summary comes first.
   */
  private async countEnd(campaign: LockoutCampaign): Promise<void> {
    const { counts } = this.deps;
    counts.lockoutEnded(campaign.state);
    try {
      for (const item of await this.deps.useCases.lockoutCampaigns.items(campaign.id)) {
        if (item.state === 'unknown' && item.failureCode === 'interrupted')
          counts.lockoutPhoneDone(item.state);
      }
    } catch (error) {
      this.deps.logger.warn("could not count a lock-out's interrupted phones", {
        campaignId: campaign.id,
        error: slackError(error),
      });
    }
  }

  /**
   * The phones still queued in the running lock-outs whose lease this process holds (for the
   * metrics): a lock-out has one holder at a time, so the instances' sum counts each phone once.
   */
  async queuedPhones(): Promise<number> {
    const { lockoutCampaigns } = this.deps.useCases;
    let queued = 0;
    for (const campaignId of new Set([...this.running.keys(), ...this.paused])) {
      const campaign = await lockoutCampaigns.get(campaignId);
      if (campaign?.state !== 'running' || campaign.leaseOwner !== this.deps.leaseOwner) continue;
      queued += (await lockoutCampaigns.items(campaignId)).filter((item) => item.state === 'queued').length;
    }
    return queued;
  }

  /**
   * Tells a locked-out phone's people, each in their own language: whoever's open request it
   * withdrew; its first owner, the "Get a new password" button (or, when none could be given, how
   * to ask); each other owner, who can get it. True when every owner took their DM (the withdrawn
   * requester's notice is logged when it fails); false when no grant could be made: no owner is told.
   */
  private async tellPeople(item: LockoutItem, people: OwnerOutcome): Promise<boolean> {
    const { notices, messages } = this.deps;
    const [account, app] = mrkdwnSubject(item, this.deps.appLabel(item.appId));
    if (people.withdrawn) {
      const theirs = await this.deps.textsFor(people.withdrawn.requesterId);
      await notices.tell(people.withdrawn.requesterId, theirs.lockoutRun.withdrawn(account, app));
      await messages.refresh(people.withdrawn);
    }
    const first = people.ownerId;
    if (first === null || people.grantFailed) return false;
    const campaign = await this.deps.useCases.lockoutCampaigns.get(item.campaignId);
    const reason = escapeWithin(campaign?.reason ?? '', 500);
    // No button: a protected phone's approvers decide, or a reset in flight holds the phone. Its
    // owners are each told so, the same way.
    const withoutButton = (t: Texts) =>
      (people.protectedAccount ? t.lockoutRun.ownerProtected : t.lockoutRun.ownerBusy)(account, app, reason);
    const { grant } = people;
    // Every owner at once: one after another, a Slack that hangs on each would outlast the
    // lock-out's lease (sized for one phone's DM) and another instance would tell them all again.
    const toFirst = grant
      ? messages.sendGrant(grant).then(async (told) => {
          await messages.refresh(grant);
          return told;
        })
      : this.deps.textsFor(first).then((t) => notices.tell(first, withoutButton(t)));
    const toOthers = people.coOwners.map(async (other) => {
      const theirs = await this.deps.textsFor(other);
      const said = grant
        ? theirs.lockoutRun.coOwner(account, app, reason, userMention(first))
        : withoutButton(theirs);
      return notices.tell(other, said);
    });
    return (await Promise.all([toFirst, ...toOthers])).every(Boolean);
  }

  /** The progress as it stands, and when ITNIO made the run wait, that it asks again in `retryInMs`. */
  private async redrawProgress(campaignId: string, retryInMs?: number): Promise<void> {
    const { lockoutCampaigns } = this.deps.useCases;
    const [campaign, ref] = await Promise.all([lockoutCampaigns.get(campaignId), this.refOf(campaignId)]);
    if (!campaign || !ref || campaign.state !== 'running') return;
    const t = await this.textsOf(campaign, ref);
    const tally = await lockoutCampaigns.tally(campaignId);
    const note = retryInMs === undefined ? undefined : { retryInMs };
    await this.update(ref, progressMessage(t, campaign, tally, note), campaignId);
  }

  /** The end: the progress message becomes the summary, and the audit channel gets it. */
  private async summarize(campaign: LockoutCampaign): Promise<void> {
    const { lockoutCampaigns } = this.deps.useCases;
    const items = await lockoutCampaigns.items(campaign.id);
    const tally = await lockoutCampaigns.tally(campaign.id);
    const ref = await this.refOf(campaign.id);
    if (ref) await this.drawSummary(campaign, ref, tally, items, SUMMARY_TRIES);
    await this.deps.auditChannel?.postText(
      summaryText(summaryMessage(this.deps.t, campaign, tally, items, this.deps.appLabel, false)),
    );
  }

  /**
   * Draws an ended lock-out's summary once more, on its progress message (for the sweep, and a
   * Stop pressed after the end); anything else it leaves. A failure is logged: the sweep tries again.
   */
  private async redrawSummary(campaignId: string): Promise<void> {
    try {
      const { lockoutCampaigns } = this.deps.useCases;
      const campaign = await lockoutCampaigns.get(campaignId);
      if (!campaign || campaign.endedAt === null) return;
      const ref = await this.refOf(campaignId);
      if (!ref) return;
      const [tally, items] = await Promise.all([
        lockoutCampaigns.tally(campaignId),
        lockoutCampaigns.items(campaignId),
      ]);
      await this.drawSummary(campaign, ref, tally, items, 1);
    } catch (error) {
      this.deps.logger.warn("could not redraw a lock-out's summary; the sweep tries again", {
        campaignId,
        error: slackError(error),
      });
    }
  }

  /**
   * Turns the progress message into the summary, in up to `tries` calls while Slack is busy (after
   * its Retry-After), and records it drawn; when Slack still refuses, the sweep draws it later. Slack
   * refusing it for good (the message deleted) is recorded too: nothing would draw it.
   */
  private async drawSummary(
    campaign: LockoutCampaign,
    ref: LockoutMessageRef,
    tally: LockoutTally,
    items: LockoutItem[],
    tries: number,
  ): Promise<void> {
    const t = await this.textsOf(campaign, ref);
    const message = summaryMessage(t, campaign, tally, items, this.deps.appLabel);
    for (let tried = 1; ; tried += 1) {
      try {
        await this.deps.client.chat.update({ channel: ref.channel, ts: ref.ts, ...message });
        break;
      } catch (error) {
        const wait = retryWait(error);
        const context = { campaignId: campaign.id, error: slackError(error) };
        if (wait === undefined) {
          this.deps.logger.error("Slack refused a lock-out's summary; it is not drawn again", context);
          break;
        }
        if (tried >= tries || this.halted) {
          this.deps.logger.warn("could not draw a lock-out's summary; the sweep draws it", context);
          return;
        }
        await this.deps.sleep(wait, this.halting.signal);
        // Cut short by the process stopping: Slack asked for the whole wait, and the stop waits for
        // no further call. The sweep draws it.
        if (this.halted) {
          this.deps.logger.warn("could not draw a lock-out's summary; the sweep draws it", context);
          return;
        }
      }
    }
    try {
      await this.deps.refs.settleLockoutSummary(campaign.id, this.deps.now());
    } catch (error) {
      // Drawn again at the next sweep: the same summary, once more.
      this.deps.logger.warn("could not record a lock-out's summary drawn", {
        campaignId: campaign.id,
        error: slackError(error),
      });
    }
  }

  /** The parent message and its thread's reply in the approval channel, or the agent's DM. */
  private async postProgress(campaign: LockoutCampaign): Promise<LockoutMessageRef> {
    const { client, approvalChannel } = this.deps;
    const tally = await this.deps.useCases.lockoutCampaigns.tally(campaign.id);
    if (approvalChannel) {
      try {
        const text = lockoutStartedText(this.deps.t, campaign);
        const parent = await client.chat.postMessage({ channel: approvalChannel, ...notice(text) });
        if (parent.ts) {
          const reply = await client.chat.postMessage({
            channel: parent.channel ?? approvalChannel,
            thread_ts: parent.ts,
            ...progressMessage(this.deps.t, campaign, tally),
          });
          if (reply.ts) return { kind: 'thread', channel: reply.channel ?? approvalChannel, ts: reply.ts };
        }
      } catch (error) {
        this.deps.logger.warn('could not post a lock-out in the approval channel; it goes to the agent', {
          campaignId: campaign.id,
          error: slackError(error),
        });
      }
    }
    const t = await this.deps.textsFor(campaign.agentId);
    const posted = await client.chat.postMessage({
      channel: campaign.agentId,
      ...progressMessage(t, campaign, tally),
    });
    if (!posted.ts || !posted.channel) throw new Error('Slack posted the progress message without its ts');
    return { kind: 'dm', channel: posted.channel, ts: posted.ts };
  }

  private async refOf(campaignId: string): Promise<LockoutMessageRef | undefined> {
    try {
      return (await this.deps.refs.lockoutMessageOf(campaignId)) ?? this.places.get(campaignId);
    } catch (error) {
      this.deps.logger.warn('could not read where a lock-out shows its progress', {
        campaignId,
        error: slackError(error),
      });
      return this.places.get(campaignId);
    }
  }

  /** The channel's language in the approval channel, the agent's in their DM. */
  private textsOf(campaign: LockoutCampaign, ref: LockoutMessageRef): Promise<Texts> {
    return ref.kind === 'thread' ? Promise.resolve(this.deps.t) : this.deps.textsFor(campaign.agentId);
  }

  /** Redraws the progress message; a Slack failure leaves it stale, logged, and stops nothing. */
  private async update(ref: LockoutMessageRef, message: SlackMessage, campaignId: string): Promise<void> {
    try {
      await this.deps.client.chat.update({ channel: ref.channel, ts: ref.ts, ...message });
    } catch (error) {
      this.deps.logger.warn('could not update a lock-out progress message', {
        campaignId,
        error: slackError(error),
      });
    }
  }
}

/**
 * How long to wait before drawing a summary again after `error`: Slack's Retry-After (capped) for a
 * rate limit, a redraw's interval when Slack was busy or did not answer; undefined when it refused
 * the call for good (`message_not_found`, `channel_not_found`…).
 */
function retryWait(error: unknown): number | undefined {
  const answer = slackAnswer(error);
  if (answer === 'ratelimited') {
    const { retryAfter } = error as { retryAfter?: unknown };
    const seconds = typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter : PROGRESS_EVERY_MS / 1000;
    return Math.min(seconds * 1000, SUMMARY_WAIT_MAX_MS);
  }
  if (answer === undefined || answer.startsWith('HTTP 5') || SLACK_BUSY.has(answer)) return PROGRESS_EVERY_MS;
  return undefined;
}
