import type { Kysely } from 'kysely';
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
import { read, type Database } from './sql-connection.js';
import type { SqlAuditTrail } from './sql-audit-trail.js';

const NO_SUBJECT = { id: null, account: '', appId: '' };

/** The lock-outs' tables over SQL (SQLite and PostgreSQL): every change a compare-and-set, audited in its transaction. */
export class SqlLockouts {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly trail: SqlAuditTrail,
  ) {}

  async createCampaign(campaign: LockoutCampaign, items: readonly LockoutItem[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('lockoutCampaigns').values(campaign).execute();
      // In slices: a statement's parameters are bounded (SQLite 32,766, PostgreSQL 65,535).
      for (let i = 0; i < items.length; i += 500) {
        await trx
          .insertInto('lockoutItems')
          .values(items.slice(i, i + 500))
          .execute();
      }
    });
  }

  getCampaign(id: string): Promise<LockoutCampaign | undefined> {
    return read(() =>
      this.db.selectFrom('lockoutCampaigns').selectAll().where('id', '=', id).executeTakeFirst(),
    );
  }

  listItems(campaignId: string): Promise<LockoutItem[]> {
    return read(() =>
      this.db
        .selectFrom('lockoutItems')
        .selectAll()
        .where('campaignId', '=', campaignId)
        .orderBy('seq')
        .execute(),
    );
  }

  startCampaign(
    id: string,
    agentId: string,
    at: number,
    lease: Lease,
    audit: AuditNote,
  ): Promise<LockoutCampaign | undefined> {
    return this.trail.audited(async (trx, queue) => {
      const row = await trx
        .updateTable('lockoutCampaigns')
        .set({
          state: 'running',
          startedAt: at,
          leaseOwner: lease.owner,
          leaseExpiresAt: lease.until,
          updatedAt: at,
        })
        .where('id', '=', id)
        .where('state', '=', 'draft')
        .where('agentId', '=', agentId)
        .where('draftExpiresAt', '>', at)
        .returningAll()
        .executeTakeFirst();
      if (row) queue(NO_SUBJECT, audit, at);
      return row;
    });
  }

  stopCampaign(id: string, by: string, at: number, audit: AuditNote): Promise<LockoutCampaign | undefined> {
    return this.trail.audited(async (trx, queue) => {
      const row = await trx
        .updateTable('lockoutCampaigns')
        .set({ state: 'stopped', stoppedAt: at, stoppedBy: by, updatedAt: at })
        .where('id', '=', id)
        .where('state', '=', 'running')
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      await trx
        .updateTable('lockoutItems')
        .set({ state: 'not_started' })
        .where('campaignId', '=', id)
        .where('state', '=', 'queued')
        .execute();
      queue(NO_SUBJECT, audit, at);
      return row;
    });
  }

  async takeLease(id: string, at: number, lease: Lease): Promise<boolean> {
    const { numUpdatedRows } = await this.db
      .updateTable('lockoutCampaigns')
      .set({ leaseOwner: lease.owner, leaseExpiresAt: lease.until })
      .where('id', '=', id)
      .where((eb) =>
        eb.and([
          eb.or([
            eb('state', '=', 'running'),
            eb.and([eb('state', '=', 'stopped'), eb('endedAt', 'is', null)]),
          ]),
          eb.or([
            eb('leaseOwner', '=', lease.owner),
            eb('leaseExpiresAt', 'is', null),
            eb('leaseExpiresAt', '<=', at),
          ]),
        ]),
      )
      .executeTakeFirst();
    return Number(numUpdatedRows) === 1;
  }

  async releaseLease(id: string, owner: string, at: number): Promise<void> {
    await this.db
      .updateTable('lockoutCampaigns')
      .set({ leaseExpiresAt: at })
      .where('id', '=', id)
      .where('leaseOwner', '=', owner)
      .execute();
  }

  listUnattended(at: number): Promise<LockoutCampaign[]> {
    return read(() =>
      this.db
        .selectFrom('lockoutCampaigns')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('state', '=', 'running'),
            eb.and([eb('state', '=', 'stopped'), eb('endedAt', 'is', null)]),
          ]),
        )
        .where((eb) => eb.or([eb('leaseExpiresAt', 'is', null), eb('leaseExpiresAt', '<=', at)]))
        .orderBy('startedAt')
        .orderBy('id')
        .execute(),
    );
  }

  nextQueued(campaignId: string): Promise<LockoutItem | undefined> {
    return read(() =>
      this.db
        .selectFrom('lockoutItems')
        .selectAll()
        .where('campaignId', '=', campaignId)
        .where('state', '=', 'queued')
        .orderBy('seq')
        .limit(1)
        .executeTakeFirst(),
    );
  }

  moveItem(
    campaignId: string,
    seq: number,
    from: readonly ItemState[],
    to: ItemState,
    at: number,
    changes: ItemChanges = {},
    audit?: AuditNote,
  ): Promise<LockoutItem | undefined> {
    return this.trail.audited(async (trx, queue) => {
      const row = await trx
        .updateTable('lockoutItems')
        .set({ ...changes, state: to })
        .where('campaignId', '=', campaignId)
        .where('seq', '=', seq)
        .where('state', 'in', [...from])
        .returningAll()
        .executeTakeFirst();
      if (row && audit) queue({ id: null, account: row.account, appId: row.appId }, audit, at);
      return row;
    });
  }

  async markTold(campaignId: string, seq: number, at: number, notTold: NotToldCode | null): Promise<boolean> {
    const { numUpdatedRows } = await this.db
      .updateTable('lockoutItems')
      .set({ toldAt: at, notTold })
      .where('campaignId', '=', campaignId)
      .where('seq', '=', seq)
      .where('state', '=', 'locked_out')
      .where('toldAt', 'is', null)
      .executeTakeFirst();
    return Number(numUpdatedRows) === 1;
  }

  endCampaign(id: string, at: number): Promise<LockoutCampaign | undefined> {
    return this.trail.audited(async (trx, queue) => {
      // Touching the row first takes its lock (PostgreSQL): two instances ending it take turns.
      const row = await trx
        .updateTable('lockoutCampaigns')
        .set((eb) => ({ updatedAt: eb.ref('updatedAt') }))
        .where('id', '=', id)
        .where('endedAt', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      const items = await trx.selectFrom('lockoutItems').selectAll().where('campaignId', '=', id).execute();
      const busy = (states: readonly ItemState[]) => items.some((item) => states.includes(item.state));
      let state: LockoutCampaign['state'];
      if (row.state === 'running' && !busy(['queued', 'resetting'])) state = 'finished';
      else if (row.state === 'stopped' && !busy(['resetting'])) state = 'stopped';
      else return undefined;
      const ended = await trx
        .updateTable('lockoutCampaigns')
        .set({ state, endedAt: at, updatedAt: at })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      queue(
        NO_SUBJECT,
        {
          type: 'lockout_ended',
          actor: 'system',
          detail: { ...tallyDetail(id, tallyOf(items)), outcome: state },
        },
        at,
      );
      return ended;
    });
  }

  async expireDrafts(at: number): Promise<number> {
    const { numUpdatedRows } = await this.db
      .updateTable('lockoutCampaigns')
      .set({ state: 'expired', updatedAt: at })
      .where('state', '=', 'draft')
      .where('draftExpiresAt', '<=', at)
      .executeTakeFirst();
    return Number(numUpdatedRows);
  }
}
