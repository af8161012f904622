import { asVendorFailure, errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { LockoutCampaign, LockoutItem, NotToldCode } from '../lockout.js';
import type { VendorClient } from '../ports.js';
import type { LockoutSettings, LockoutStore, OwnerOutcome } from './lockouts.js';
import { RECORD_RETRY_DELAYS_MS } from './outcome-recorder.js';

/** What the Slack side hears of a run, and how it halts one (the process stopping). */
export interface LockoutRunHooks {
  /**
   * Tells a locked-out phone's owners and whoever's request it withdrew; true when every owner took
   * their DM. Without it, nobody is told, and the phone is left for a run that can tell them.
   */
  tell?(item: LockoutItem, owner: OwnerOutcome): Promise<boolean>;
  /** After each phone's outcome is recorded (and its people told), with its owner's, for a locked-out one. */
  onItem?(item: LockoutItem, owner: OwnerOutcome | undefined): Promise<void>;
  /**
   * As the run starts waiting `waitMs` after ITNIO's `-15` (too frequent) for `item`, before asking
   * again: for that long no phone is done, and the progress can say why.
   */
  onTooFrequent?(item: LockoutItem, waitMs: number): Promise<void>;
  /** True once the process is stopping: the run halts before its next call and gives its lease back. */
  halted?(): boolean;
}

/**
 * How a run ended: `ended` when this run recorded the campaign's end (it tells the summary),
 * `elsewhere` when another instance holds it (or ended it), `halted` when the process stops.
 */
export type LockoutRunResult =
  { kind: 'ended'; campaign: LockoutCampaign } | { kind: 'elsewhere' } | { kind: 'halted' };

export interface LockoutRunnerDeps {
  store: LockoutStore;
  vendor: VendorClient;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  settings: LockoutSettings;
  log?: Pick<Logger, 'warn' | 'error'>;
  /**
   * Waits between attempts to record a phone's outcome once the vendor has answered (as the
   * OutcomeRecorder's for a reset): a short database blip must not lose a lock-out.
   */
  retryDelaysMs?: readonly number[];
  grantOwner(item: LockoutItem, campaign: LockoutCampaign): Promise<OwnerOutcome>;
}

/**
 * The waits after each `-15` (too frequent) for one phone before asking again: the call was
 * rejected, so asking again is safe. After the last, the phone is recorded failed (too_frequent).
 */
export const TOO_FREQUENT_WAITS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 30_000] as const;

type Outcome =
  | { to: 'locked_out' }
  | { to: 'failed' | 'unknown'; code: string }
  /** Asked to stop while waiting after a -15: nothing was done to the phone. */
  | { to: 'not_started' | 'queued' };

/**
 * Runs a lock-out: one phone at a time, paced, each claimed (queued -> resetting) before its one
 * vendor call, under a lease renewed before each call, so that across instances and restarts each
 * phone is reset at most once. The new password is never bound to a name: the answer is dropped as
 * it arrives. An outcome that is unknown is recorded so, never retried.
 */
export class LockoutRunner {
  /**
   * Outcomes the vendor gave that the database has not taken yet, by campaign and phone: the run
   * paused on them, and this process records them (not `interrupted`) when it resumes the lock-out.
   */
  private readonly unrecorded = new Map<string, Outcome>();

  constructor(private readonly deps: LockoutRunnerDeps) {}

  private lease(owner: string) {
    return { owner, until: this.deps.now() + this.deps.settings.lockoutLeaseMs };
  }

  private async stillOurs(id: string, owner: string): Promise<boolean> {
    return this.deps.store.takeLease(id, this.deps.now(), this.lease(owner));
  }

  async run(id: string, owner: string, hooks: LockoutRunHooks): Promise<LockoutRunResult> {
    const { store, now, sleep } = this.deps;
    if (!(await this.stillOurs(id, owner))) return { kind: 'elsewhere' };
    // Phones locked out whose people that process had not told yet (it died first): told now.
    // Before the orphans below: a phone whose held outcome they record is told there, and must not
    // be found here again should the record of its telling fail (the database being why it paused).
    await this.tellUntold(id, owner, hooks);
    // With the lease ours, nothing else runs this campaign: a phone left resetting was claimed by
    // a process whose lease has gone, and whether the vendor reset it is unknown. Never retried.
    await this.settleOrphans(id, owner, hooks);
    const interval = 1000 / this.deps.settings.lockoutRatePerSecond;
    let lastCallAt = Number.NEGATIVE_INFINITY;
    for (;;) {
      if (hooks.halted?.()) return this.halt(id, owner);
      const campaign = await store.getCampaign(id);
      if (campaign?.state !== 'running') break;
      const next = await store.nextQueued(id);
      if (!next) break;
      const wait = lastCallAt + interval - now();
      if (wait > 0) await sleep(wait);
      // A stop (or the process stopping) takes effect before the next call.
      if (hooks.halted?.()) return this.halt(id, owner);
      if ((await store.getCampaign(id))?.state !== 'running') break;
      if (!(await this.stillOurs(id, owner))) return { kind: 'elsewhere' };
      const claimed = await store.moveItem(id, next.seq, ['queued'], 'resetting', now(), {
        startedAt: now(),
      });
      if (!claimed) continue;
      lastCallAt = now();
      const outcome = await this.resetOnce(claimed, owner, hooks, () => {
        lastCallAt = now();
      });
      const settled = await this.record(campaign, claimed, outcome);
      if (settled?.state === 'queued') return this.halt(id, owner);
      if (!settled) continue;
      await this.afterItem(campaign, settled, hooks, owner);
    }
    const ended = await store.endCampaign(id, now());
    await store.releaseLease(id, owner, now());
    return ended ? { kind: 'ended', campaign: ended } : { kind: 'elsewhere' };
  }

  /** The one vendor call for a phone, asked again only after `-15`, which the vendor rejected. */
  private async resetOnce(
    item: LockoutItem,
    owner: string,
    hooks: LockoutRunHooks,
    called: () => void,
  ): Promise<Outcome> {
    const { store, vendor, sleep } = this.deps;
    for (let attempt = 0; ; attempt++) {
      try {
        // The answer holds the new password: it is not kept, not even in a variable.
        await vendor.sipReset({ account: item.account, appId: item.appId, discarded: true });
        return { to: 'locked_out' };
      } catch (error) {
        const failure = asVendorFailure(error);
        const wait = TOO_FREQUENT_WAITS_MS[attempt];
        if (failure.code !== 'too_frequent' || wait === undefined) {
          return { to: failure.outcome === 'unknown' ? 'unknown' : 'failed', code: failure.code };
        }
        // The wait is ITNIO's, whatever the Slack side takes to say so; the retry waits for both.
        await Promise.all([this.tellWait(item, wait, hooks), sleep(wait)]);
        called();
        if (hooks.halted?.()) return { to: 'queued' };
        if ((await store.getCampaign(item.campaignId))?.state !== 'running') return { to: 'not_started' };
        if (!(await this.stillOurs(item.campaignId, owner))) return { to: 'queued' };
      }
    }
  }

  /** The Slack side hears of a wait after -15: a side job, whose failure is logged and stops nothing. */
  private async tellWait(item: LockoutItem, waitMs: number, hooks: LockoutRunHooks): Promise<void> {
    try {
      await hooks.onTooFrequent?.(item, waitMs);
    } catch (error) {
      this.deps.log?.warn("could not tell of a lock-out's wait after -15; the run goes on", {
        campaignId: item.campaignId,
        seq: item.seq,
        error: errorMessage(error),
      });
    }
  }

  /**
   * Records a phone's outcome, retried while the database fails: the vendor has answered, and a
   * lock-out cannot be undone. Past the last attempt the outcome is held here and the run pauses
   * (throws); resumed by this process, it is recorded then. The vendor is never called again.
   */
  private async record(
    campaign: LockoutCampaign,
    item: LockoutItem,
    outcome: Outcome,
  ): Promise<LockoutItem | undefined> {
    const key = `${campaign.id}/${item.seq}`;
    const delays = this.deps.retryDelaysMs ?? RECORD_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt += 1) {
      try {
        let settled = await this.settle(campaign, item, outcome);
        // A retry finding the phone moved: an attempt before it was committed though its answer was
        // lost (the lease is ours, so nobody else moves it). It is the outcome recorded: go on with it.
        if (!settled && attempt > 0) {
          const now = (await this.deps.store.listItems(campaign.id)).find((i) => i.seq === item.seq);
          if (now?.state === outcome.to) settled = now;
        }
        this.unrecorded.delete(key);
        return settled;
      } catch (error) {
        const wait = delays[attempt];
        const meta = {
          campaignId: campaign.id,
          seq: item.seq,
          state: outcome.to,
          attempt: attempt + 1,
          error: errorMessage(error),
        };
        if (wait === undefined) {
          this.unrecorded.set(key, outcome);
          this.deps.log?.error("could not record a lock-out phone's outcome; the run pauses", meta);
          throw error;
        }
        this.deps.log?.warn("could not record a lock-out phone's outcome; trying again", meta);
        await this.deps.sleep(wait);
      }
    }
  }

  private settle(
    campaign: LockoutCampaign,
    item: LockoutItem,
    outcome: Outcome,
  ): Promise<LockoutItem | undefined> {
    const at = this.deps.now();
    const detail = { campaignId: campaign.id };
    const { store } = this.deps;
    switch (outcome.to) {
      case 'locked_out':
        return store.moveItem(
          campaign.id,
          item.seq,
          ['resetting'],
          'locked_out',
          at,
          { finishedAt: at },
          {
            type: 'locked_out',
            actor: campaign.agentId,
            detail,
          },
        );
      case 'failed':
      case 'unknown':
        return store.moveItem(
          campaign.id,
          item.seq,
          ['resetting'],
          outcome.to,
          at,
          { finishedAt: at, failureCode: outcome.code },
          {
            type: outcome.to === 'failed' ? 'lockout_failed' : 'lockout_unknown',
            actor: campaign.agentId,
            detail: { ...detail, failureCode: outcome.code },
          },
        );
      case 'not_started':
      case 'queued':
        return store.moveItem(campaign.id, item.seq, ['resetting'], outcome.to, at, { startedAt: null });
    }
  }

  /**
   * Phones left resetting: one whose outcome this process holds (the database failed to take it)
   * is recorded so, its owner told; any other was claimed by a process whose lease has gone, so
   * its outcome is unknown: never retried.
   */
  private async settleOrphans(id: string, owner: string, hooks: LockoutRunHooks): Promise<void> {
    const { store } = this.deps;
    const campaign = await store.getCampaign(id);
    if (!campaign) return;
    for (const item of await store.listItems(id)) {
      if (item.state !== 'resetting') continue;
      const held = this.unrecorded.get(`${id}/${item.seq}`);
      if (held) {
        const settled = await this.record(campaign, item, held);
        if (settled && settled.state !== 'queued' && settled.state !== 'not_started') {
          await this.afterItem(campaign, settled, hooks, owner);
        }
        continue;
      }
      const at = this.deps.now();
      await store.moveItem(
        id,
        item.seq,
        ['resetting'],
        'unknown',
        at,
        { finishedAt: at, failureCode: 'interrupted' },
        {
          type: 'lockout_unknown',
          actor: 'system',
          detail: { campaignId: id, failureCode: 'interrupted' },
        },
      );
    }
  }

  /** Phones locked out whose people were not told, nor found untellable: each told now, in order. */
  private async tellUntold(id: string, owner: string, hooks: LockoutRunHooks): Promise<void> {
    const { store } = this.deps;
    const campaign = await store.getCampaign(id);
    if (!campaign) return;
    for (const item of await store.listItems(id)) {
      if (item.state === 'locked_out' && item.toldAt === null)
        await this.afterItem(campaign, item, hooks, owner);
    }
  }

  /**
   * A phone's outcome recorded: its owner's grant, its people told (the Slack side), and that they
   * were recorded, then the Slack side hears of the phone (the progress). These are side jobs: a
   * failure is logged and the run goes on to the next phone. The lease is renewed first, so that
   * they have a whole lease before another instance may take the lock-out over (the next call
   * renews it again); when another instance holds it already, it tells the phone's people itself
   * (its run begins with those not told), so they are not told twice.
   */
  private async afterItem(
    campaign: LockoutCampaign,
    settled: LockoutItem,
    hooks: LockoutRunHooks,
    owner: string,
  ): Promise<void> {
    const meta = { campaignId: campaign.id, seq: settled.seq };
    try {
      if (!(await this.stillOurs(campaign.id, owner))) return;
    } catch (error) {
      this.deps.log?.warn("could not renew a lock-out's lease", { ...meta, error: errorMessage(error) });
    }
    let ownerOutcome: OwnerOutcome | undefined;
    if (settled.state === 'locked_out' && settled.toldAt === null) {
      ownerOutcome = await this.tellPeople(campaign, settled, hooks);
    }
    try {
      await hooks.onItem?.(settled, ownerOutcome);
    } catch (error) {
      this.deps.log?.error("could not tell of a lock-out's phone; the run goes on", {
        ...meta,
        error: errorMessage(error),
      });
    }
  }

  /**
   * A locked-out phone's owner's grant, then its people told, then that recorded once: told, or why
   * its owners were not (the grant could not be made; Slack took not every DM). A failure to record
   * it leaves the phone for a resumed run, which tells them again.
   */
  private async tellPeople(
    campaign: LockoutCampaign,
    item: LockoutItem,
    hooks: LockoutRunHooks,
  ): Promise<OwnerOutcome | undefined> {
    const meta = { campaignId: campaign.id, seq: item.seq };
    let outcome: OwnerOutcome | undefined;
    let notTold: NotToldCode | null = null;
    try {
      outcome = await this.deps.grantOwner(item, campaign);
    } catch (error) {
      this.deps.log?.error("could not give a locked-out phone's owner a new password; the run goes on", {
        ...meta,
        error: errorMessage(error),
      });
      if (item.ownerId !== null) notTold = 'grant_failed';
    }
    if (outcome) {
      if (!hooks.tell) return outcome;
      let everyOwnerTold = false;
      try {
        everyOwnerTold = await hooks.tell(item, outcome);
      } catch (error) {
        this.deps.log?.error("could not tell a locked-out phone's owners; the run goes on", {
          ...meta,
          error: errorMessage(error),
        });
      }
      if (outcome.grantFailed) notTold = 'grant_failed';
      else if (outcome.ownerId !== null && !everyOwnerTold) notTold = 'dm_failed';
    }
    try {
      await this.deps.store.markTold(campaign.id, item.seq, this.deps.now(), notTold);
    } catch (error) {
      this.deps.log?.warn("could not record that a locked-out phone's people were told", {
        ...meta,
        error: errorMessage(error),
      });
    }
    return outcome;
  }

  private async halt(id: string, owner: string): Promise<LockoutRunResult> {
    await this.deps.store.releaseLease(id, owner, this.deps.now());
    return { kind: 'halted' };
  }
}
