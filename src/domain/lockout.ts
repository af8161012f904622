/**
 * An incident lock-out: a campaign that resets many phones' passwords once each and throws the new
 * passwords away, so that the leaked or old ones stop working and nobody sees the new ones. Its
 * names are defined here once (the store's rows, the audit trail and the catalogues derive theirs).
 *
 * A campaign: draft (prepared, waiting for its agent's confirmation; expires unstarted) -> running
 * -> finished (every phone tried) | stopped (a helpdesk agent pressed Stop: what was not started is
 * not), or draft -> expired.
 * An item, one phone: queued -> resetting (claimed by the one caller that calls the vendor) ->
 * locked_out | failed | unknown (the vendor's answer never came: never retried), or queued ->
 * not_started (the campaign stopped first).
 */
export const CAMPAIGN_STATES = ['draft', 'running', 'stopped', 'finished', 'expired'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

export const ITEM_STATES = ['queued', 'resetting', 'locked_out', 'failed', 'unknown', 'not_started'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

/** The states that end an item. */
export type SettledItemState = 'locked_out' | 'failed' | 'unknown' | 'not_started';

export interface LockoutCampaign {
  id: string;
  /** The helpdesk agent who prepared it; only they may start it. */
  agentId: string;
  reason: string;
  /** Set when the agent chose every phone of one voice application. */
  wholeAppId: string | null;
  state: CampaignState;
  /** How many phones it locks out. */
  count: number;
  createdAt: number;
  /** When a draft expires unstarted. */
  draftExpiresAt: number;
  startedAt: number | null;
  stoppedAt: number | null;
  stoppedBy: string | null;
  /** When its end (finished, or stopped and nothing left in flight) was recorded, once. */
  endedAt: number | null;
  /** The instance running it, until when: a lease, renewed before each call, taken over once expired. */
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  updatedAt: number;
}

export interface LockoutItem {
  campaignId: string;
  /** Its place in the campaign, from 0: phones are locked out in this order. */
  seq: number;
  account: string;
  appId: string;
  state: ItemState;
  /** The vendor failure's code of a failed or unknown item; `interrupted` for one a dead process left. */
  failureCode: string | null;
  /** The owner the owners file names, told once the phone is locked out; null when it names none. */
  ownerId: string | null;
  /** The owner's approved request ("Get a new password"), once made. */
  ownerRequestId: string | null;
  /** The open request on the phone from before, withdrawn by the lock-out: its requester is told. */
  withdrawnRequestId: string | null;
  /**
   * When the people a locked-out phone concerns were told (its owners, whoever's request it
   * withdrew), or found untellable: set once, by compare-and-set. Null while not yet: a resumed run
   * tells them then.
   */
  toldAt: number | null;
  /** Why its owners were not told, when they were not (NOT_TOLD_CODES); null when told, or none is on file. */
  notTold: NotToldCode | null;
  startedAt: number | null;
  finishedAt: number | null;
}

/**
 * Why a locked-out phone's owners were not told: `grant_failed`, the owner's "Get a new password"
 * could not be made (the database); `dm_failed`, Slack took not every owner's DM.
 */
export const NOT_TOLD_CODES = ['grant_failed', 'dm_failed'] as const;
export type NotToldCode = (typeof NOT_TOLD_CODES)[number];

/** Whether a locked-out phone's owners were told (every one of them, by DM). */
export function ownersWereTold(item: LockoutItem): boolean {
  return item.toldAt !== null && item.notTold === null;
}

/** How far a campaign is, counted from its items. */
export interface LockoutTally {
  total: number;
  lockedOut: number;
  failed: number;
  unknown: number;
  notStarted: number;
  /** Queued or in flight. */
  remaining: number;
  /** Locked-out phones whose owners were told (phones, not people: a phone may have several owners). */
  ownersTold: number;
  /** Locked-out phones with an owner on file who was not told (yet): the summary names them. */
  ownersNotTold: number;
  /** Locked-out phones the owners file names no owner of: nobody is told. */
  withoutOwner: number;
}

/** The tally of a campaign's items. */
export function tallyOf(items: readonly LockoutItem[]): LockoutTally {
  const count = (state: ItemState) => items.filter((item) => item.state === state).length;
  const lockedOut = items.filter((item) => item.state === 'locked_out');
  const owned = lockedOut.filter((item) => item.ownerId !== null);
  return {
    total: items.length,
    lockedOut: lockedOut.length,
    failed: count('failed'),
    unknown: count('unknown'),
    notStarted: count('not_started'),
    remaining: count('queued') + count('resetting'),
    ownersTold: owned.filter(ownersWereTold).length,
    ownersNotTold: owned.filter((item) => !ownersWereTold(item)).length,
    withoutOwner: lockedOut.length - owned.length,
  };
}

/** The tally as the audit trail's detail: bounded numbers only. */
export function tallyDetail(campaignId: string, tally: LockoutTally): Record<string, string | number> {
  return {
    campaignId,
    total: tally.total,
    lockedOut: tally.lockedOut,
    failed: tally.failed,
    unknown: tally.unknown,
    notStarted: tally.notStarted,
    ownersTold: tally.ownersTold,
    ownersNotTold: tally.ownersNotTold,
    withoutOwner: tally.withoutOwner,
  };
}

/** The fields a change of an item may set besides its state. */
export type ItemChanges = Partial<
  Pick<LockoutItem, 'failureCode' | 'startedAt' | 'finishedAt' | 'ownerRequestId' | 'withdrawnRequestId'>
>;
