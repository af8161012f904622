import { randomUUID } from 'node:crypto';
import { checkAccount } from '../account.js';
import type { AuditNote } from '../audit.js';
import { DomainError, errorMessage, OpenRequestExists } from '../errors.js';
import type { Logger } from '../logger.js';
import type {
  ItemState,
  LockoutCampaign,
  ItemChanges,
  LockoutItem,
  LockoutTally,
  NotToldCode,
} from '../lockout.js';
import { tallyOf } from '../lockout.js';
import { isListed, isProtected, ownersOf, type PolicyConfig } from '../policy.js';
import type { PrincipalResolver, StateChanges, Store, VendorClient } from '../ports.js';
import type { ResetRequest } from '../request.js';
import type { IntakeStore } from './intake.js';
import { LockoutRunner, type LockoutRunHooks, type LockoutRunResult } from './lockout-runner.js';
import { emit, MINUTE, type UseCaseContext } from './shared.js';

/** The lease an instance holds on a running lock-out: who, until when. */
export interface Lease {
  owner: string;
  until: number;
}

/** What a lock-out needs of the store. Each change is a compare-and-set naming the states it leaves. */
export interface LockoutStore
  extends Pick<IntakeStore, 'createRequest'>, Pick<Store, 'getRequest'>, StateChanges {
  /** Keeps a draft and its items, in one transaction. */
  createCampaign(campaign: LockoutCampaign, items: readonly LockoutItem[]): Promise<void>;
  getCampaign(id: string): Promise<LockoutCampaign | undefined>;
  /** A campaign's items, in their order. */
  listItems(campaignId: string): Promise<LockoutItem[]>;
  /**
   * draft -> running, only by its agent and before the draft expires, the lease given to `lease`'s
   * owner; writes `audit`. Undefined when the campaign is not such a draft.
   */
  startCampaign(
    id: string,
    agentId: string,
    at: number,
    lease: Lease,
    audit: AuditNote,
  ): Promise<LockoutCampaign | undefined>;
  /** running -> stopped, by `by`, its queued items not_started; writes `audit`. Undefined when not running. */
  stopCampaign(id: string, by: string, at: number, audit: AuditNote): Promise<LockoutCampaign | undefined>;
  /** Takes (or renews) the lease of a running campaign: when it is `lease`'s owner's, or has expired by `at`. */
  takeLease(id: string, at: number, lease: Lease): Promise<boolean>;
  /** Gives the lease back (it expires at `at`), when `owner` holds it. */
  releaseLease(id: string, owner: string, at: number): Promise<void>;
  /** Running campaigns whose lease has expired by `at`, and stopped ones not yet ended: nobody runs them. */
  listUnattended(at: number): Promise<LockoutCampaign[]>;
  /** The first queued item of a campaign, in its order. */
  nextQueued(campaignId: string): Promise<LockoutItem | undefined>;
  /** Moves an item from one of `from` to `to` (compare-and-set) with `changes`, writing `audit`. */
  moveItem(
    campaignId: string,
    seq: number,
    from: readonly ItemState[],
    to: ItemState,
    at: number,
    changes?: ItemChanges,
    audit?: AuditNote,
  ): Promise<LockoutItem | undefined>;
  /**
   * Records once (compare-and-set on a locked-out phone not yet told) that its people were told,
   * or why its owners were not (`notTold`). False when it was recorded already, or is not locked out.
   */
  markTold(campaignId: string, seq: number, at: number, notTold: NotToldCode | null): Promise<boolean>;
  /**
   * Records the end of a campaign once: running with nothing queued or in flight -> finished, or
   * stopped with nothing in flight; writes lockout_ended with its tally. Undefined when it has
   * already ended or cannot yet.
   */
  endCampaign(id: string, at: number): Promise<LockoutCampaign | undefined>;
  /** Drafts past their time -> expired; how many. */
  expireDrafts(at: number): Promise<number>;
  findOpenRequest(account: string, appId: string): Promise<ResetRequest | undefined>;
}

/** One phone to lock out. */
export interface LockoutTargetInput {
  account: string;
  appId: string;
}

/** What the agent asked for (the Slack side's LockoutPlan). */
export interface LockoutPlanInput {
  agentId: string;
  targets: readonly LockoutTargetInput[];
  reason: string;
  wholeAppId?: string;
}

export interface LockoutSettings {
  appIds: readonly string[];
  /** SIP_RESET_LOCKOUT_RATE_PER_SECOND: vendor calls a second at most. */
  lockoutRatePerSecond: number;
  /** SIP_RESET_LOCKOUT_GRANT_DAYS: how long an owner's "Get a new password" lasts. */
  lockoutGrantDays: number;
  /** How long a running lock-out's lease lasts unrenewed: longer than one vendor call can take. */
  lockoutLeaseMs: number;
}

export interface LockoutDeps extends UseCaseContext {
  store: LockoutStore;
  vendor: VendorClient;
  policy: PolicyConfig;
  directory: PrincipalResolver;
  settings: LockoutSettings;
  sleep: (ms: number) => Promise<void>;
  newId?: () => string;
  log?: Pick<Logger, 'warn' | 'error'>;
  /** Waits between attempts to record a phone's outcome (the OutcomeRecorder's by default). */
  recordRetryDelaysMs?: readonly number[];
}

/** Who a locked-out phone's lock-out concerns, and what its owner now holds: for the Slack side to tell them. */
export interface OwnerOutcome {
  /** The owner the owners file names first (by user ID), who gets the button; null when it names none. */
  ownerId: string | null;
  /** The phone's other owners, as the owners file names them now (by user ID): told who has the button. */
  coOwners: string[];
  /** Their approved request ("Get a new password"); none for a protected account, or one held by a reset in flight. */
  grant?: ResetRequest;
  /** The open request on the phone from before, withdrawn so its requester gets no password. */
  withdrawn?: ResetRequest;
  protectedAccount: boolean;
  /** The owner's grant could not be made (the database): its owners are not told, the summary names it. */
  grantFailed?: true;
}

/** How long a prepared lock-out waits for its agent's confirmation. */
export const DRAFT_TTL_MS = 15 * MINUTE;
const DAY = 24 * 60 * MINUTE;

/**
 * Incident lock-outs: a helpdesk agent prepares one (its phones checked), starts it once, and it
 * runs (LockoutRunner) one phone at a time, each reset once, its new password thrown away; each
 * owner gets an approved request to get a new password at the phone. Any helpdesk agent may stop it.
 */
export class LockoutCampaigns {
  private readonly newId: () => string;
  private readonly runner: LockoutRunner;

  constructor(private readonly deps: LockoutDeps) {
    this.newId = deps.newId ?? randomUUID;
    this.runner = new LockoutRunner({
      store: deps.store,
      vendor: deps.vendor,
      now: deps.now,
      sleep: deps.sleep,
      settings: deps.settings,
      log: deps.log,
      retryDelaysMs: deps.recordRetryDelaysMs,
      grantOwner: (item, campaign) => this.grantOwner(item, campaign),
    });
  }

  private async assertHelpdesk(userId: string): Promise<void> {
    const principal = await this.deps.directory.resolve(userId);
    if (!isListed(principal, this.deps.policy.helpdesk)) throw new DomainError('not_helpdesk');
  }

  /** Checks the plan and keeps it as a draft until its agent starts it (or it expires). */
  async prepare(plan: LockoutPlanInput): Promise<LockoutCampaign> {
    await this.assertHelpdesk(plan.agentId);
    const reason = plan.reason.trim();
    if (plan.targets.length === 0) throw new DomainError('lockout_empty');
    if (reason.length === 0) throw new DomainError('lockout_reason_required');
    const seen = new Set<string>();
    for (const { account, appId } of plan.targets) {
      if (checkAccount(account)) throw new DomainError('lockout_invalid_account');
      if (!this.deps.settings.appIds.includes(appId)) throw new DomainError('lockout_unknown_app');
      const key = `${appId}\n${account}`;
      if (seen.has(key)) throw new DomainError('lockout_duplicate_phone');
      seen.add(key);
    }
    const now = this.deps.now();
    const campaign: LockoutCampaign = {
      id: this.newId(),
      agentId: plan.agentId,
      reason,
      wholeAppId: plan.wholeAppId ?? null,
      state: 'draft',
      count: plan.targets.length,
      createdAt: now,
      draftExpiresAt: now + DRAFT_TTL_MS,
      startedAt: null,
      stoppedAt: null,
      stoppedBy: null,
      endedAt: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      updatedAt: now,
    };
    const items: LockoutItem[] = plan.targets.map(({ account, appId }, seq) => ({
      campaignId: campaign.id,
      seq,
      account,
      appId,
      state: 'queued',
      failureCode: null,
      // The first the owners file names, sorted: one request may hold a phone, so one owner gets
      // its button; the others are told who has it.
      ownerId: ownersOf(account, this.deps.policy).sort()[0] ?? null,
      ownerRequestId: null,
      withdrawnRequestId: null,
      toldAt: null,
      notTold: null,
      startedAt: null,
      finishedAt: null,
    }));
    await this.deps.store.createCampaign(campaign, items);
    return campaign;
  }

  /**
   * Starts a draft once, by its agent, with `owner`'s lease: a second click, anyone else, or a
   * draft past its time is refused (lockout_not_startable).
   */
  async start(campaignId: string, agentId: string, owner: string): Promise<LockoutCampaign> {
    await this.assertHelpdesk(agentId);
    const now = this.deps.now();
    const lease = { owner, until: now + this.deps.settings.lockoutLeaseMs };
    const started = await this.deps.store.startCampaign(campaignId, agentId, now, lease, {
      type: 'lockout_started',
      actor: agentId,
      detail: { campaignId },
    });
    if (!started) {
      const campaign = await this.deps.store.getCampaign(campaignId);
      throw new DomainError(campaign ? 'lockout_not_startable' : 'lockout_not_found');
    }
    return started;
  }

  /** Any helpdesk agent stops a running lock-out: it ends before its next call. */
  async stop(campaignId: string, userId: string): Promise<LockoutCampaign> {
    await this.assertHelpdesk(userId);
    const stopped = await this.deps.store.stopCampaign(campaignId, userId, this.deps.now(), {
      type: 'lockout_stopped',
      actor: userId,
      detail: { campaignId },
    });
    if (!stopped) {
      const campaign = await this.deps.store.getCampaign(campaignId);
      if (!campaign) throw new DomainError('lockout_not_found');
      // Stopped, and the phone in progress not yet finished: it is stopping, not ended.
      throw new DomainError(
        campaign.state === 'stopped' && campaign.endedAt === null
          ? 'lockout_stopping'
          : 'lockout_not_running',
      );
    }
    return stopped;
  }

  /** Runs (or resumes) a lock-out under `owner`'s lease, to its end, a stop, or `hooks.halted()`. */
  run(campaignId: string, owner: string, hooks: LockoutRunHooks = {}): Promise<LockoutRunResult> {
    return this.runner.run(campaignId, owner, hooks);
  }

  get(campaignId: string): Promise<LockoutCampaign | undefined> {
    return this.deps.store.getCampaign(campaignId);
  }

  items(campaignId: string): Promise<LockoutItem[]> {
    return this.deps.store.listItems(campaignId);
  }

  async tally(campaignId: string): Promise<LockoutTally> {
    return tallyOf(await this.deps.store.listItems(campaignId));
  }

  /** Lock-outs nobody runs now (their instance died or stopped): for the sweep to resume or end. */
  unattended(): Promise<LockoutCampaign[]> {
    return this.deps.store.listUnattended(this.deps.now());
  }

  /** Expires drafts never started. */
  expireDrafts(): Promise<number> {
    return this.deps.store.expireDrafts(this.deps.now());
  }

  /**
   * After a phone is locked out: the open request on it from before is withdrawn (its requester
   * must not get a password the lock-out meant to kill), and its owner, when the owners file names
   * one, gets an approved request to get a new password at the phone, decided by the agent. A
   * protected account gets none: its owner asks as usual, and its approvers decide. Done again for
   * a phone whose people a dead process had not told, it withdraws nothing more and makes no second
   * grant: what the phone's item records (or this lock-out's own grant, found open) is used.
   */
  private async grantOwner(item: LockoutItem, campaign: LockoutCampaign): Promise<OwnerOutcome> {
    const { policy } = this.deps;
    const withdrawn = await this.withdrawOpen(item, campaign);
    const outcome: OwnerOutcome = {
      ownerId: item.ownerId,
      coOwners: item.ownerId
        ? ownersOf(item.account, policy)
            .filter((id) => id !== item.ownerId)
            .sort()
        : [],
      protectedAccount: isProtected(item.account, policy),
      ...(withdrawn ? { withdrawn } : {}),
    };
    if (!item.ownerId || outcome.protectedAccount) return outcome;
    try {
      return { ...outcome, grant: await this.grantOf(item, item.ownerId, campaign) };
    } catch (error) {
      if (error instanceof OpenRequestExists) {
        // A reset started on the phone meanwhile holds it: its owner is told, without a button.
        this.deps.log?.warn('a lock-out found a reset in flight on a phone it locked out', {
          campaignId: campaign.id,
          requestId: error.existing.id,
        });
        return outcome;
      }
      this.deps.log?.error("could not give a locked-out phone's owner a new password; the run goes on", {
        campaignId: campaign.id,
        seq: item.seq,
        error: errorMessage(error),
      });
      return { ...outcome, grantFailed: true };
    }
  }

  /** Withdraws the open request on a locked-out phone, if any (this lock-out's own grant aside). */
  private async withdrawOpen(
    item: LockoutItem,
    campaign: LockoutCampaign,
  ): Promise<ResetRequest | undefined> {
    const { store } = this.deps;
    if (item.withdrawnRequestId) return store.getRequest(item.withdrawnRequestId);
    const open = await store.findOpenRequest(item.account, item.appId);
    if (!open || open.lockoutId === campaign.id) return undefined;
    if (open.status !== 'pending' && open.status !== 'approved') return undefined;
    const now = this.deps.now();
    const withdrawn = await store.transition(
      open.id,
      ['pending', 'approved'],
      'cancelled',
      now,
      { failureCode: 'locked_out' },
      { type: 'cancelled', actor: 'system', detail: { reason: 'locked_out', campaignId: campaign.id } },
    );
    if (!withdrawn) return undefined;
    emit(this.deps, 'cancelled', withdrawn, 'system');
    await this.note(item, campaign, { withdrawnRequestId: withdrawn.id });
    return withdrawn;
  }

  /**
   * The owner's approved request: the one the item records, or made now. One this lock-out made
   * for the phone before its ID was recorded is found open (OpenRequestExists) and taken up.
   */
  private async grantOf(
    item: LockoutItem,
    ownerId: string,
    campaign: LockoutCampaign,
  ): Promise<ResetRequest> {
    const { store } = this.deps;
    const recorded = item.ownerRequestId ? await store.getRequest(item.ownerRequestId) : undefined;
    if (recorded) return recorded;
    const now = this.deps.now();
    let grant: ResetRequest;
    try {
      grant = await store.createRequest(
        {
          id: this.newId(),
          requesterId: ownerId,
          account: item.account,
          appId: item.appId,
          reason: campaign.reason,
          status: 'approved',
          requiredApprovals: 1,
          createdAt: now,
          expiresAt: now,
          decidedAt: now,
          decidedBy: campaign.agentId,
          grantExpiresAt: now + this.deps.settings.lockoutGrantDays * DAY,
          lockoutId: campaign.id,
        },
        { type: 'requested', actor: campaign.agentId, detail: { path: 'lockout', campaignId: campaign.id } },
      );
      emit(this.deps, 'created', grant, campaign.agentId);
    } catch (error) {
      const ours = error instanceof OpenRequestExists && error.existing.lockoutId === campaign.id;
      if (!ours) throw error;
      grant = error.existing;
    }
    await this.note(item, campaign, { ownerRequestId: grant.id });
    return grant;
  }

  /**
   * Records on the phone's item what its lock-out did to requests, for a run resumed before its
   * people were told. A failure is logged: what was done stands, and the Slack side is told of it.
   */
  private async note(item: LockoutItem, campaign: LockoutCampaign, changes: ItemChanges): Promise<void> {
    try {
      await this.deps.store.moveItem(
        campaign.id,
        item.seq,
        ['locked_out'],
        'locked_out',
        this.deps.now(),
        changes,
      );
    } catch (error) {
      this.deps.log?.warn("could not record a locked-out phone's requests on it", {
        campaignId: campaign.id,
        seq: item.seq,
        error: errorMessage(error),
      });
    }
  }
}
