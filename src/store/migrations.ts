import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { kysely } from './modules.js';

const { sql } = kysely;

/** Written once for both SQLite and PostgreSQL: plain types, no dialect-only features. */
const migrations: Record<string, Migration> = {
  '001_requests': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('reset_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('requester_id', 'text', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('required_approvals', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('grant_expires_at', 'bigint')
        .addColumn('decided_at', 'bigint')
        .addColumn('decided_by', 'text')
        .addColumn('deny_reason', 'text')
        .addColumn('reset_started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .addColumn('failure_code', 'text')
        .addColumn('approval_channel', 'text')
        .addColumn('approval_ts', 'text')
        .addColumn('grant_channel', 'text')
        .addColumn('grant_ts', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('reset_requests_requester')
        .on('reset_requests')
        .columns(['requester_id', 'created_at'])
        .execute();
      await db.schema.createIndex('reset_requests_status').on('reset_requests').columns(['status']).execute();
      // One open request per account and app, enforced by the database itself so two instances agree.
      await sql`create unique index reset_requests_one_open on reset_requests (account, app_id)
        where status in ('pending', 'approved', 'resetting')`.execute(db);
      await db.schema
        .createTable('request_approvals')
        .addColumn('request_id', 'text', (c) => c.notNull().references('reset_requests.id'))
        .addColumn('approver_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('request_approvals_pk', ['request_id', 'approver_id'])
        .execute();
    },
  },
  '002_submission_once': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('reset_requests').addColumn('submission_id', 'text').execute();
      // A form submission acts once: a replay of the same signed request (or a retry) finds its row.
      await db.schema
        .createIndex('reset_requests_submission')
        .unique()
        .on('reset_requests')
        .column('submission_id')
        .execute();
    },
  },
  '003_audit': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_events')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text')
        .addColumn('account', 'text')
        .addColumn('app_id', 'text')
        .addColumn('detail', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
      await db.schema
        .createIndex('audit_events_account')
        .on('audit_events')
        .columns(['account', 'seq'])
        .execute();
      // One row: the chain's last link, which every append updates first, so appends from any number
      // of instances take turns; and its anchor, the last pruned row, where verification starts.
      await db.schema
        .createTable('audit_chain_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('anchor_seq', 'bigint', (c) => c.notNull())
        .addColumn('anchor_hash', 'text', (c) => c.notNull())
        .execute();
      const genesis = '0'.repeat(64);
      await sql`insert into audit_chain_head (id, seq, hash, anchor_seq, anchor_hash)
        values (1, 0, ${genesis}, 0, ${genesis})`.execute(db);
    },
  },
  '004_reminders': {
    async up(db: Kysely<unknown>) {
      // When the approval channel was reminded of a pending request: set once, by one instance.
      await db.schema.alterTable('reset_requests').addColumn('reminded_at', 'bigint').execute();
    },
  },
  '005_home': {
    async up(db: Kysely<unknown>) {
      // The App Home's lists, each read a page at a time in its own order (the ID breaks ties)
      // straight from an index, without sorting the rows it does not show.
      await db.schema
        .createIndex('reset_requests_status_created')
        .on('reset_requests')
        .columns(['status', 'created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('reset_requests_decided')
        .on('reset_requests')
        .columns(['decided_at', 'id'])
        .where(sql.ref('decided_by'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('reset_requests_finished')
        .on('reset_requests')
        .columns(['finished_at', 'id'])
        .where(sql.ref('finished_at'), 'is not', null)
        .execute();
      // Who opened the Home tab lately, in the database so that every instance republishes theirs.
      await db.schema
        .createTable('home_viewers')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('opened_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('home_viewers_opened').on('home_viewers').column('opened_at').execute();
    },
  },
  '006_audit_checkpoints': {
    async up(db: Kysely<unknown>) {
      // One row a day: which instance posts the audit channel's daily checkpoint (a lease, taken
      // by compare-and-set), and that it was posted, so several instances post it once.
      await db.schema
        .createTable('audit_checkpoints')
        .addColumn('day', 'text', (c) => c.primaryKey())
        .addColumn('claimed_at', 'bigint', (c) => c.notNull())
        .addColumn('posted_at', 'bigint')
        .execute();
    },
  },
  '007_delivering': {
    async up(db: Kysely<unknown>) {
      // A password issued but not yet shown still holds its account, as a reset in flight does.
      await sql`drop index reset_requests_one_open`.execute(db);
      await sql`create unique index reset_requests_one_open on reset_requests (account, app_id)
        where status in ('pending', 'approved', 'resetting', 'delivering')`.execute(db);
    },
  },
  '008_history_indexes': {
    async up(db: Kysely<unknown>) {
      // The sweep's reads seek to the requests that are due instead of filtering every pending or
      // approved one: each kind of deadline in its own index, the reminders' few in a partial one.
      await db.schema
        .createIndex('reset_requests_pending_due')
        .on('reset_requests')
        .columns(['status', 'expires_at'])
        .execute();
      await db.schema
        .createIndex('reset_requests_grant_due')
        .on('reset_requests')
        .columns(['status', 'grant_expires_at'])
        .execute();
      await db.schema
        .createIndex('reset_requests_reminder_due')
        .on('reset_requests')
        .columns(['created_at'])
        .where(sql<boolean>`status = 'pending' and reminded_at is null and approval_ts is not null`)
        .execute();
    },
  },
  '009_phone_directory': {
    async up(db: Kysely<unknown>) {
      // The phones ITNIO's sipQuery lists, per voice application: names and groups, never a password
      // (there is no column for one).
      await db.schema
        .createTable('directory_phones')
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('phone_name', 'text', (c) => c.notNull())
        .addColumn('group_name', 'text', (c) => c.notNull())
        .addColumn('display_num', 'text', (c) => c.notNull())
        .addColumn('seen_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('directory_phones_pk', ['app_id', 'account'])
        .execute();
      // Per application: the last refresh that succeeded, and the last that failed after it.
      await db.schema
        .createTable('directory_apps')
        .addColumn('app_id', 'text', (c) => c.primaryKey())
        .addColumn('phone_count', 'integer', (c) => c.notNull())
        .addColumn('refreshed_at', 'bigint')
        .addColumn('failed_at', 'bigint')
        .addColumn('failure_code', 'text')
        .execute();
      // One row: which instance refreshes the directory, until when (a lease, taken by compare-and-set).
      await db.schema
        .createTable('directory_lease')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '010_requester_pages': {
    async up(db: Kysely<unknown>) {
      // A person's requests, a page at a time in their order (newest first, the ID breaking ties),
      // seek from the last one shown: the ID in the index too, so no page sorts what it reads.
      await db.schema
        .createIndex('reset_requests_requester_pages')
        .on('reset_requests')
        .columns(['requester_id', 'created_at', 'id'])
        .execute();
      await db.schema.dropIndex('reset_requests_requester').execute();
    },
  },
  '011_slack_request_messages': {
    async up(db: Kysely<unknown>) {
      // Where a request's messages are in Slack is the Slack side's to keep, in a table of its own;
      // the request keeps, in its own words, when its approvers were told of it (the reminders'
      // condition). A request posted before this version was posted as it was made.
      await db.schema
        .createTable('slack_request_messages')
        .addColumn('request_id', 'text', (c) => c.primaryKey().references('reset_requests.id'))
        .addColumn('approval_channel', 'text')
        .addColumn('approval_ts', 'text')
        .addColumn('grant_channel', 'text')
        .addColumn('grant_ts', 'text')
        .execute();
      await sql`insert into slack_request_messages (request_id, approval_channel, approval_ts, grant_channel, grant_ts)
        select id, approval_channel, approval_ts, grant_channel, grant_ts from reset_requests
        where approval_ts is not null or grant_ts is not null`.execute(db);
      await db.schema.alterTable('reset_requests').addColumn('announced_at', 'bigint').execute();
      await sql`update reset_requests set announced_at = created_at where approval_ts is not null`.execute(
        db,
      );
      // The reminders' partial index, on the new condition; the old one names a column no longer read.
      await db.schema.dropIndex('reset_requests_reminder_due').execute();
      await db.schema
        .createIndex('reset_requests_reminder_due')
        .on('reset_requests')
        .columns(['created_at'])
        .where(sql<boolean>`status = 'pending' and reminded_at is null and announced_at is not null`)
        .execute();
      // The old columns stay, unread: an instance of 1.1.0 still running during a rolling restart
      // writes them, and would fail on every new request were they gone. 2.0 removes them.
    },
  },
  '012_lockouts': {
    async up(db: Kysely<unknown>) {
      // Incident lock-outs (domain/lockout.ts): a campaign, run by one instance at a time under a
      // lease, and its phones, each claimed by compare-and-set before its one vendor call.
      await db.schema
        .createTable('lockout_campaigns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('whole_app_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('draft_expires_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('stopped_at', 'bigint')
        .addColumn('stopped_by', 'text')
        .addColumn('ended_at', 'bigint')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('lockout_campaigns_state')
        .on('lockout_campaigns')
        .columns(['state', 'lease_expires_at'])
        .execute();
      await db.schema
        .createTable('lockout_items')
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('lockout_campaigns.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('failure_code', 'text')
        .addColumn('owner_id', 'text')
        .addColumn('owner_request_id', 'text')
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .addPrimaryKeyConstraint('lockout_items_pk', ['campaign_id', 'seq'])
        .execute();
      await db.schema
        .createIndex('lockout_items_next')
        .on('lockout_items')
        .columns(['campaign_id', 'state', 'seq'])
        .execute();
      // The owner's "Get a new password" request says which lock-out made it, so its DM and Home say so.
      await db.schema.alterTable('reset_requests').addColumn('lockout_id', 'text').execute();
      // Where a lock-out's progress message is in Slack: the Slack side's, as a request's messages are.
      await db.schema
        .createTable('slack_lockout_messages')
        .addColumn('campaign_id', 'text', (c) => c.primaryKey().references('lockout_campaigns.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('ts', 'text', (c) => c.notNull())
        // Set once its summary is drawn (or Slack refused it for good): until then, the sweep redraws
        // the summary of an ended lock-out, so a refused last chat.update leaves no stale Stop button.
        .addColumn('summary_settled_at', 'bigint')
        .execute();
    },
  },
  '013_lockout_told': {
    async up(db: Kysely<unknown>) {
      // Whether each locked-out phone's people were told (domain/lockout.ts), so that a run resumed
      // after its process died tells those it had not, once; and why its owners were not, for the
      // summary. One column a statement: SQLite adds no more.
      await db.schema.alterTable('lockout_items').addColumn('withdrawn_request_id', 'text').execute();
      await db.schema.alterTable('lockout_items').addColumn('told_at', 'bigint').execute();
      await db.schema.alterTable('lockout_items').addColumn('not_told', 'text').execute();
      // Phones locked out before this version were told then, as far as 1.3.0 could: never again.
      await sql`update lockout_items set told_at = coalesce(finished_at, started_at, 0)
        where state = 'locked_out'`.execute(db);
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

/** Brings a database to this version's schema; at once, in one query, when it is there already. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<void> {
  if (await upToDate(db)) return;
  const migrator = new kysely.Migrator({ db, provider: migrationProvider });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

/**
 * Whether this database has had exactly the migrations this version knows, found in one query:
 * the usual start, where the migrator would spend about ten round trips (its tables, its lock)
 * to do nothing. Anything else (no table yet, a migration missing or unknown) is the migrator's.
 */
async function upToDate<DB>(db: Kysely<DB>): Promise<boolean> {
  const known = Object.keys(migrations);
  let applied: Set<string>;
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    applied = new Set(rows.map(({ name }) => name));
  } catch {
    return false;
  }
  return applied.size === known.length && known.every((name) => applied.has(name));
}

/** The migrations a database has not had yet, by name, found without applying any. */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const migrator = new kysely.Migrator({ db, provider: migrationProvider });
  const all = await migrator.getMigrations();
  return all.filter((migration) => migration.executedAt === undefined).map(({ name }) => name);
}
