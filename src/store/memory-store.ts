import type { AuditCheckpoint, AuditNote, AuditRecord } from '../domain/audit.js';
import { DuplicateSubmission, OpenRequestExists } from '../domain/errors.js';
import { isOpen, type RequestStatus } from '../domain/lifecycle.js';
import type { PageKey, PruneLimits, Store } from '../domain/ports.js';
import {
  newRecord,
  type Approval,
  type ApprovalResult,
  type NewRequest,
  type RequestChanges,
  type ResetRequest,
} from '../domain/request.js';
import { MemorySlackStore, MemorySlackTables } from './memory-slack-store.js';
import { chained, GENESIS_HASH, type ChainHead, type QueuedAudit } from './audit-chain.js';
import type { ItemState, LockoutCampaign, ItemChanges, LockoutItem, NotToldCode } from '../domain/lockout.js';
import type { Lease } from '../domain/use-cases/lockouts.js';
import { MemoryLockouts, MemoryLockoutTables } from './memory-lockout-store.js';

/** What one in-memory database holds: the tables of the SQL store, as maps and arrays. */
export class MemoryDatabase {
  readonly requests = new Map<string, ResetRequest>();
  readonly approvals = new Map<string, Approval[]>();
  /** The Slack side's tables. */
  readonly slack = new MemorySlackTables();
  /** The lock-outs' tables. */
  readonly lockouts = new MemoryLockoutTables();
  readonly checkpoints = new Map<string, { claimedAt: number; postedAt: number | null }>();
  /** The audit chain: its rows in order of seq, after its anchor, up to its head. */
  readonly audit: AuditRecord[] = [];
  head: ChainHead = { seq: 0, hash: GENESIS_HASH, anchorSeq: 0, anchorHash: GENESIS_HASH };
}

const copy = (request: ResetRequest): ResetRequest => ({ ...request });

/** Newest first by `key`, then by ID: the order of the SQL store's lists that look back. */
function newestFirst(key: (request: ResetRequest) => number | null) {
  return (a: ResetRequest, b: ResetRequest) => (key(b) ?? 0) - (key(a) ?? 0) || (a.id < b.id ? 1 : -1);
}

/** Oldest first by `key`, then by ID. */
function oldestFirst(key: (request: ResetRequest) => number | null) {
  return (a: ResetRequest, b: ResetRequest) => (key(a) ?? 0) - (key(b) ?? 0) || (a.id < b.id ? -1 : 1);
}

/** Whether (at, id) lies after `after` in a list going `direction` ('<': back in time). */
function beyond(at: number | null, id: string, after: PageKey | undefined, direction: '<' | '>'): boolean {
  if (!after) return true;
  const time = at ?? 0;
  if (direction === '<') return time < after.at || (time === after.at && id < after.id);
  return time > after.at || (time === after.at && id > after.id);
}

/**
 * The store in memory, with the SQL store's behaviour (the same contract tests pass on both): every
 * change a compare-and-set, made whole within one turn of the event loop, so concurrent callers
 * take turns as on a database; the audit trail a hash chain like the SQL one. For the domain's
 * tests and the sandbox: nothing survives the process.
 */
export class MemoryStore implements Store {
  /** `database` shared by two stores acts as two instances on one database. */
  constructor(private readonly database = new MemoryDatabase()) {}

  /** Another store on the same data: a second instance. */
  another(): MemoryStore {
    return new MemoryStore(this.database);
  }

  /** The Slack side's tables (its messages, its Home viewers), in the same database. */
  slackStore(): MemorySlackStore {
    return new MemorySlackStore(this.database.slack);
  }

  async migrate(): Promise<void> {}

  /** The lock-outs' part, over the same database and audit chain. */
  private get lockouts(): MemoryLockouts {
    return new MemoryLockouts(this.database.lockouts, (notes) => this.append(notes));
  }

  createCampaign(campaign: LockoutCampaign, items: readonly LockoutItem[]): Promise<void> {
    return this.lockouts.createCampaign(campaign, items);
  }

  getCampaign(id: string): Promise<LockoutCampaign | undefined> {
    return this.lockouts.getCampaign(id);
  }

  listItems(campaignId: string): Promise<LockoutItem[]> {
    return this.lockouts.listItems(campaignId);
  }

  startCampaign(
    id: string,
    agentId: string,
    at: number,
    lease: Lease,
    audit: AuditNote,
  ): Promise<LockoutCampaign | undefined> {
    return this.lockouts.startCampaign(id, agentId, at, lease, audit);
  }

  stopCampaign(id: string, by: string, at: number, audit: AuditNote): Promise<LockoutCampaign | undefined> {
    return this.lockouts.stopCampaign(id, by, at, audit);
  }

  takeLease(id: string, at: number, lease: Lease): Promise<boolean> {
    return this.lockouts.takeLease(id, at, lease);
  }

  releaseLease(id: string, owner: string, at: number): Promise<void> {
    return this.lockouts.releaseLease(id, owner, at);
  }

  listUnattended(at: number): Promise<LockoutCampaign[]> {
    return this.lockouts.listUnattended(at);
  }

  nextQueued(campaignId: string): Promise<LockoutItem | undefined> {
    return this.lockouts.nextQueued(campaignId);
  }

  moveItem(
    campaignId: string,
    seq: number,
    from: readonly ItemState[],
    to: ItemState,
    at: number,
    changes?: ItemChanges,
    audit?: AuditNote,
  ): Promise<LockoutItem | undefined> {
    return this.lockouts.moveItem(campaignId, seq, from, to, at, changes, audit);
  }

  markTold(campaignId: string, seq: number, at: number, notTold: NotToldCode | null): Promise<boolean> {
    return this.lockouts.markTold(campaignId, seq, at, notTold);
  }

  endCampaign(id: string, at: number): Promise<LockoutCampaign | undefined> {
    return this.lockouts.endCampaign(id, at);
  }

  expireDrafts(at: number): Promise<number> {
    return this.lockouts.expireDrafts(at);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  async createRequest(request: NewRequest, audit?: AuditNote): Promise<ResetRequest> {
    const { requests } = this.database;
    const row = newRecord(request);
    const replayed = row.submissionId
      ? [...requests.values()].find((r) => r.submissionId === row.submissionId)
      : undefined;
    if (replayed) throw new DuplicateSubmission(copy(replayed));
    const open = this.openOf(row.account, row.appId);
    if (open && isOpen(row.status)) throw new OpenRequestExists(copy(open));
    if (requests.has(row.id)) throw new Error(`a request ${row.id} exists already`);
    requests.set(row.id, row);
    if (audit) this.append([{ subject: row, note: audit, at: row.createdAt }]);
    return copy(row);
  }

  async getRequest(id: string): Promise<ResetRequest | undefined> {
    const request = this.database.requests.get(id);
    return request && copy(request);
  }

  async findOpenRequest(account: string, appId: string): Promise<ResetRequest | undefined> {
    const open = this.openOf(account, appId);
    return open && copy(open);
  }

  private openOf(account: string, appId: string, except?: string): ResetRequest | undefined {
    return [...this.database.requests.values()].find(
      (r) => r.account === account && r.appId === appId && isOpen(r.status) && r.id !== except,
    );
  }

  async countRequestsSince(requesterId: string, since: number): Promise<number> {
    return this.where((r) => r.requesterId === requesterId && r.createdAt >= since).length;
  }

  async transition(
    id: string,
    from: readonly RequestStatus[],
    to: RequestStatus,
    at: number,
    changes: RequestChanges = {},
    audit?: AuditNote,
  ): Promise<ResetRequest | undefined> {
    const row = this.database.requests.get(id);
    if (!row || !from.includes(row.status)) return undefined;
    // The SQL store's unique index: one open request per account and app.
    if (isOpen(to) && !isOpen(row.status) && this.openOf(row.account, row.appId, id)) {
      throw new Error('another request of this account and app is open');
    }
    Object.assign(row, changes, { status: to, updatedAt: at });
    if (audit) this.append([{ subject: row, note: audit, at }]);
    return copy(row);
  }

  async markAnnounced(id: string, at: number): Promise<ResetRequest | undefined> {
    const row = this.database.requests.get(id);
    if (!row) return undefined;
    Object.assign(row, { announcedAt: at, updatedAt: at });
    return copy(row);
  }

  async addApproval(
    id: string,
    approverId: string,
    at: number,
    grantExpiresAt: number,
  ): Promise<ApprovalResult | undefined> {
    const row = this.database.requests.get(id);
    if (!row || row.status !== 'pending') return undefined;
    row.updatedAt = at;
    const approvals = this.database.approvals.get(id) ?? [];
    this.database.approvals.set(id, approvals);
    const counted = !approvals.some((approval) => approval.approverId === approverId);
    const notes: QueuedAudit[] = [];
    if (counted) {
      approvals.push({ requestId: id, approverId, at });
      notes.push({ subject: row, note: { type: 'approval_counted', actor: approverId }, at });
    }
    if (approvals.length >= row.requiredApprovals) {
      Object.assign(row, { status: 'approved', decidedAt: at, decidedBy: approverId, grantExpiresAt });
      notes.push({ subject: row, note: { type: 'approved', actor: approverId }, at });
    }
    this.append(notes);
    return { request: copy(row), counted, approvals: inApprovalOrder(approvals) };
  }

  async listApprovals(id: string): Promise<Approval[]> {
    return inApprovalOrder(this.database.approvals.get(id) ?? []);
  }

  async listReminderDue(now: number): Promise<ResetRequest[]> {
    return this.where(
      (r) =>
        r.status === 'pending' &&
        r.remindedAt === null &&
        r.announcedAt !== null &&
        r.createdAt + r.expiresAt <= 2 * now,
    ).sort(oldestFirst((r) => r.createdAt));
  }

  async markReminded(id: string, at: number): Promise<ResetRequest | undefined> {
    const row = this.database.requests.get(id);
    if (!row || row.status !== 'pending' || row.remindedAt !== null) return undefined;
    row.remindedAt = at;
    return copy(row);
  }

  async listDue(now: number): Promise<ResetRequest[]> {
    return this.where(
      (r) =>
        (r.status === 'pending' && r.expiresAt <= now) ||
        (r.status === 'approved' && r.grantExpiresAt !== null && r.grantExpiresAt <= now),
    ).sort(oldestFirst((r) => r.createdAt));
  }

  async listByStatus(status: RequestStatus): Promise<ResetRequest[]> {
    return this.where((r) => r.status === status).sort(oldestFirst((r) => r.createdAt));
  }

  async listByRequester(requesterId: string, limit: number, after?: PageKey): Promise<ResetRequest[]> {
    return this.where((r) => r.requesterId === requesterId && beyond(r.createdAt, r.id, after, '<'))
      .sort(newestFirst((r) => r.createdAt))
      .slice(0, limit);
  }

  async listPending(limit: number, after?: PageKey): Promise<ResetRequest[]> {
    return this.where((r) => r.status === 'pending' && beyond(r.createdAt, r.id, after, '>'))
      .sort(oldestFirst((r) => r.createdAt))
      .slice(0, limit);
  }

  async listDecided(limit: number, after?: PageKey): Promise<ResetRequest[]> {
    return this.where(
      (r) => r.decidedBy !== null && r.decidedAt !== null && beyond(r.decidedAt, r.id, after, '<'),
    )
      .sort(newestFirst((r) => r.decidedAt))
      .slice(0, limit);
  }

  async listFinished(limit: number, after?: PageKey): Promise<ResetRequest[]> {
    return this.where((r) => r.finishedAt !== null && beyond(r.finishedAt, r.id, after, '<'))
      .sort(newestFirst((r) => r.finishedAt))
      .slice(0, limit);
  }

  /** Copies of the requests that match, in no order. */
  private where(matches: (request: ResetRequest) => boolean): ResetRequest[] {
    return [...this.database.requests.values()].filter(matches).map(copy);
  }

  async appendAudit(requestId: string, note: AuditNote, at: number): Promise<void> {
    const request = this.database.requests.get(requestId);
    this.append([{ subject: request ?? { id: requestId, account: '', appId: '' }, note, at }]);
  }

  async auditOf(account: string, limit: number): Promise<AuditRecord[]> {
    return this.database.audit
      .filter((row) => row.account === account)
      .reverse()
      .slice(0, limit)
      .map((row) => ({ ...row }));
  }

  async auditHead(): Promise<AuditCheckpoint> {
    const { seq, hash } = this.database.head;
    return { seq, hash };
  }

  /** Removes the rows older than `before`, oldest first, and anchors the chain at the last one removed. */
  async pruneAudit(before: number, _limits?: PruneLimits): Promise<number> {
    const { audit } = this.database;
    const older = audit.findIndex((row) => row.at >= before);
    const removed = audit.splice(0, older === -1 ? audit.length : older);
    const last = removed.at(-1);
    if (last) this.database.head = { ...this.database.head, anchorSeq: last.seq, anchorHash: last.hash };
    return removed.length;
  }

  async claimAuditCheckpoint(day: string, at: number, leaseMs: number): Promise<boolean> {
    const claim = this.database.checkpoints.get(day);
    if (claim && (claim.postedAt !== null || claim.claimedAt > at - leaseMs)) return false;
    this.database.checkpoints.set(day, { claimedAt: at, postedAt: null });
    return true;
  }

  async settleAuditCheckpoint(day: string, at: number, posted: boolean): Promise<void> {
    const claim = this.database.checkpoints.get(day);
    if (!claim || claim.postedAt !== null) return;
    if (posted) claim.postedAt = at;
    else claim.claimedAt = 0;
  }

  async countByStatus(statuses: readonly RequestStatus[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = Object.fromEntries(statuses.map((status) => [status, 0]));
    for (const { status } of this.database.requests.values()) {
      if (status in counts) counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  }

  /** Appends audit events to the chain, each linked to the one before, as the SQL store does. */
  private append(notes: readonly QueuedAudit[]): void {
    const { database } = this;
    const records = chained(database.head, notes);
    database.audit.push(...records);
    const last = records.at(-1);
    if (last) database.head = { ...database.head, seq: last.seq, hash: last.hash };
  }
}

/** A request's approvals in the order they were given (the approver's ID breaking ties). */
function inApprovalOrder(approvals: readonly Approval[]): Approval[] {
  return [...approvals].sort((a, b) => a.at - b.at || (a.approverId < b.approverId ? -1 : 1));
}
