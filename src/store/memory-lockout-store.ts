import type { AuditNote } from '../domain/audit.js';
import {
  tallyDetail,
  tallyOf,
  type ItemChanges,
  type ItemState,
  type LockoutCampaign,
  type LockoutItem,
  type NotToldCode,
} from '../domain/lockout.js';
import type { Lease } from '../domain/use-cases/lockouts.js';
import type { QueuedAudit } from './audit-chain.js';

/** The lock-outs' tables in memory: campaigns, and each one's items in their order. */
export class MemoryLockoutTables {
  readonly campaigns = new Map<string, LockoutCampaign>();
  readonly items = new Map<string, LockoutItem[]>();
}

const NO_SUBJECT = { id: null, account: '', appId: '' };

/**
 * The lock-outs' part of the memory store, with the SQL store's behaviour: each change a
 * compare-and-set made whole in one turn of the event loop, its audit note appended with it.
 */
export class MemoryLockouts {
  constructor(
    private readonly tables: MemoryLockoutTables,
    private readonly append: (notes: readonly QueuedAudit[]) => void,
  ) {}

  async createCampaign(campaign: LockoutCampaign, items: readonly LockoutItem[]): Promise<void> {
    if (this.tables.campaigns.has(campaign.id)) throw new Error(`a lock-out ${campaign.id} exists already`);
    this.tables.campaigns.set(campaign.id, { ...campaign });
    this.tables.items.set(
      campaign.id,
      items.map((item) => ({ ...item })),
    );
  }

  async getCampaign(id: string): Promise<LockoutCampaign | undefined> {
    const campaign = this.tables.campaigns.get(id);
    return campaign && { ...campaign };
  }

  async listItems(campaignId: string): Promise<LockoutItem[]> {
    return (this.tables.items.get(campaignId) ?? []).map((item) => ({ ...item }));
  }

  async startCampaign(
    id: string,
    agentId: string,
    at: number,
    lease: Lease,
    audit: AuditNote,
  ): Promise<LockoutCampaign | undefined> {
    const row = this.tables.campaigns.get(id);
    if (!row || row.state !== 'draft' || row.agentId !== agentId || row.draftExpiresAt <= at)
      return undefined;
    Object.assign(row, {
      state: 'running',
      startedAt: at,
      leaseOwner: lease.owner,
      leaseExpiresAt: lease.until,
      updatedAt: at,
    });
    this.append([{ subject: NO_SUBJECT, note: audit, at }]);
    return { ...row };
  }

  async stopCampaign(
    id: string,
    by: string,
    at: number,
    audit: AuditNote,
  ): Promise<LockoutCampaign | undefined> {
    const row = this.tables.campaigns.get(id);
    if (!row || row.state !== 'running') return undefined;
    Object.assign(row, { state: 'stopped', stoppedAt: at, stoppedBy: by, updatedAt: at });
    for (const item of this.tables.items.get(id) ?? []) {
      if (item.state === 'queued') item.state = 'not_started';
    }
    this.append([{ subject: NO_SUBJECT, note: audit, at }]);
    return { ...row };
  }

  async takeLease(id: string, at: number, lease: Lease): Promise<boolean> {
    const row = this.tables.campaigns.get(id);
    if (!row || !leasable(row)) return false;
    if (row.leaseOwner !== lease.owner && (row.leaseExpiresAt ?? 0) > at) return false;
    Object.assign(row, { leaseOwner: lease.owner, leaseExpiresAt: lease.until });
    return true;
  }

  async releaseLease(id: string, owner: string, at: number): Promise<void> {
    const row = this.tables.campaigns.get(id);
    if (row?.leaseOwner === owner) row.leaseExpiresAt = at;
  }

  async listUnattended(at: number): Promise<LockoutCampaign[]> {
    return [...this.tables.campaigns.values()]
      .filter((row) => leasable(row) && (row.leaseExpiresAt ?? 0) <= at)
      .sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0) || (a.id < b.id ? -1 : 1))
      .map((row) => ({ ...row }));
  }

  async nextQueued(campaignId: string): Promise<LockoutItem | undefined> {
    const item = (this.tables.items.get(campaignId) ?? []).find((i) => i.state === 'queued');
    return item && { ...item };
  }

  async moveItem(
    campaignId: string,
    seq: number,
    from: readonly ItemState[],
    to: ItemState,
    at: number,
    changes: ItemChanges = {},
    audit?: AuditNote,
  ): Promise<LockoutItem | undefined> {
    const row = this.tables.items.get(campaignId)?.find((item) => item.seq === seq);
    if (!row || !from.includes(row.state)) return undefined;
    Object.assign(row, changes, { state: to });
    if (audit)
      this.append([{ subject: { id: null, account: row.account, appId: row.appId }, note: audit, at }]);
    return { ...row };
  }

  async markTold(campaignId: string, seq: number, at: number, notTold: NotToldCode | null): Promise<boolean> {
    const row = this.tables.items.get(campaignId)?.find((item) => item.seq === seq);
    if (row?.state !== 'locked_out' || row.toldAt !== null) return false;
    Object.assign(row, { toldAt: at, notTold });
    return true;
  }

  async endCampaign(id: string, at: number): Promise<LockoutCampaign | undefined> {
    const row = this.tables.campaigns.get(id);
    if (!row || row.endedAt !== null) return undefined;
    const items = this.tables.items.get(id) ?? [];
    const busy = (states: readonly ItemState[]) => items.some((item) => states.includes(item.state));
    if (row.state === 'running' && !busy(['queued', 'resetting'])) row.state = 'finished';
    else if (!(row.state === 'stopped' && !busy(['resetting']))) return undefined;
    Object.assign(row, { endedAt: at, updatedAt: at });
    this.append([
      {
        subject: NO_SUBJECT,
        note: {
          type: 'lockout_ended',
          actor: 'system',
          detail: { ...tallyDetail(id, tallyOf(items)), outcome: row.state },
        },
        at,
      },
    ]);
    return { ...row };
  }

  async expireDrafts(at: number): Promise<number> {
    let expired = 0;
    for (const row of this.tables.campaigns.values()) {
      if (row.state === 'draft' && row.draftExpiresAt <= at) {
        Object.assign(row, { state: 'expired', updatedAt: at });
        expired += 1;
      }
    }
    return expired;
  }
}

/** A campaign someone has to run: running, or stopped with its end not yet recorded. */
function leasable(row: LockoutCampaign): boolean {
  return row.state === 'running' || (row.state === 'stopped' && row.endedAt === null);
}
