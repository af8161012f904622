import type { Kysely } from 'kysely';
import type { DirectoryAppState, DirectoryStore, Phone } from '../domain/directory.js';
import { kysely } from './modules.js';

const { sql } = kysely;

/** The directory's tables, as Kysely sees them through CamelCasePlugin. */
export interface DirectoryTables {
  directoryPhones: Phone & { appId: string; seenAt: number };
  directoryApps: {
    appId: string;
    phoneCount: number;
    refreshedAt: number | null;
    failedAt: number | null;
    failureCode: string | null;
  };
  directoryLease: { id: number; holder: string; expiresAt: number };
}

/** Rows per insert: six parameters each, well under SQLite's and PostgreSQL's limits. */
const INSERT_CHUNK = 500;

/** The phone directory over SQL, on the store's own connection (SQLite or PostgreSQL). */
export class SqlDirectoryStore implements DirectoryStore {
  constructor(private readonly db: Kysely<DirectoryTables>) {}

  async replacePhones(appId: string, phones: readonly Phone[], at: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('directoryPhones').where('appId', '=', appId).execute();
      for (let i = 0; i < phones.length; i += INSERT_CHUNK) {
        await trx
          .insertInto('directoryPhones')
          .values(
            phones.slice(i, i + INSERT_CHUNK).map(({ account, phoneName, groupName, displayNum }) => ({
              appId,
              account,
              phoneName,
              groupName,
              displayNum,
              seenAt: at,
            })),
          )
          .execute();
      }
      const state = { phoneCount: phones.length, refreshedAt: at, failedAt: null, failureCode: null };
      await trx
        .insertInto('directoryApps')
        .values({ appId, ...state })
        .onConflict((oc) => oc.column('appId').doUpdateSet(state))
        .execute();
    });
  }

  async recordRefreshFailure(appId: string, code: string, at: number): Promise<void> {
    const failure = { failedAt: at, failureCode: code };
    await this.db
      .insertInto('directoryApps')
      .values({ appId, phoneCount: 0, refreshedAt: null, ...failure })
      .onConflict((oc) => oc.column('appId').doUpdateSet(failure))
      .execute();
  }

  async states(): Promise<DirectoryAppState[]> {
    const rows = await this.db.selectFrom('directoryApps').selectAll().execute();
    return rows.map((row) => ({
      appId: row.appId,
      phoneCount: Number(row.phoneCount),
      ...(row.refreshedAt === null ? {} : { refreshedAt: Number(row.refreshedAt) }),
      ...(row.failedAt === null ? {} : { failedAt: Number(row.failedAt) }),
      ...(row.failureCode === null ? {} : { failureCode: row.failureCode }),
    }));
  }

  async findPhone(appId: string, account: string): Promise<Phone | undefined> {
    return this.db
      .selectFrom('directoryPhones')
      .select(['account', 'phoneName', 'groupName', 'displayNum'])
      .where('appId', '=', appId)
      .where('account', '=', account)
      .executeTakeFirst();
  }

  async findPhones(appId: string, accounts: readonly string[]): Promise<Phone[]> {
    if (accounts.length === 0) return [];
    return this.db
      .selectFrom('directoryPhones')
      .select(['account', 'phoneName', 'groupName', 'displayNum'])
      .where('appId', '=', appId)
      .where('account', 'in', [...accounts])
      .execute();
  }

  async searchPhones(
    appId: string,
    query: string,
    preferred: readonly string[],
    limit: number,
  ): Promise<Phone[]> {
    // LIKE's own wildcards in what a person typed are matched as themselves.
    const pattern = `%${query.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
    let search = this.db
      .selectFrom('directoryPhones')
      .select(['account', 'phoneName', 'groupName', 'displayNum'])
      .where('appId', '=', appId)
      .where(
        sql<boolean>`(lower(account) like ${pattern} escape '!' or lower(phone_name) like ${pattern} escape '!' or lower(group_name) like ${pattern} escape '!')`,
      );
    if (preferred.length > 0) {
      search = search.orderBy(sql`case when account in (${sql.join([...preferred])}) then 0 else 1 end`);
    }
    return search.orderBy('account').limit(limit).execute();
  }

  async claimRefreshLease(holder: string, at: number, leaseMs: number): Promise<boolean> {
    await this.db
      .insertInto('directoryLease')
      .values({ id: 1, holder: '', expiresAt: 0 })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const { numUpdatedRows } = await this.db
      .updateTable('directoryLease')
      .set({ holder, expiresAt: at + leaseMs })
      .where('id', '=', 1)
      .where((eb) => eb.or([eb('expiresAt', '<=', at), eb('holder', '=', holder)]))
      .executeTakeFirst();
    return numUpdatedRows > 0n;
  }

  async releaseRefreshLease(holder: string): Promise<void> {
    await this.db
      .updateTable('directoryLease')
      .set({ expiresAt: 0 })
      .where('id', '=', 1)
      .where('holder', '=', holder)
      .execute();
  }
}
