import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { kysely } from '../../src/store/modules.js';
import type { Cleanup } from './cleanup.js';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  url: string;
  /** How many connections the server has open to this database (always 0 for SQLite). */
  openConnections(): Promise<number>;
  drop(): Promise<void>;
}

/** A connection of the test's own to a database, without the store: to build an older schema. */
export function connectWithoutStore(database: TestDatabase): Kysely<unknown> {
  if (database.kind === 'sqlite') {
    mkdirSync(dirname(database.url), { recursive: true });
    return new kysely.Kysely({ dialect: new kysely.SqliteDialect({ database: new SQLite(database.url) }) });
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  return new kysely.Kysely({ dialect: new kysely.PostgresDialect({ pool }) });
}

/** A new SQLite file in a temporary folder. */
export function sqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'sip-reset-db-'));
  return {
    kind: 'sqlite',
    url: join(dir, 'nested', 'sip-reset.sqlite'),
    openConnections: () => Promise.resolve(0),
    drop: () => Promise.resolve(),
  };
}

/**
 * A new, empty PostgreSQL database on the machine's server, dropped afterwards. An admin connection
 * of its own, open until the drop, answers questions about it at once.
 */
export async function postgresDatabase(): Promise<TestDatabase> {
  const name = `sip_reset_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } catch (error) {
    await admin.end();
    throw error;
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const openConnections = async () => {
    const { rows } = await admin.query<{ open: number }>(
      'select count(*)::int as open from pg_stat_activity where datname = $1',
      [name],
    );
    return rows[0]?.open ?? 0;
  };
  return {
    kind: 'postgres',
    url: url.toString(),
    openConnections,
    async drop() {
      try {
        const open = await openConnections();
        // Forced, so the database goes even so; but a connection still open means a test left its
        // store open, and cutting it under a live pool is what made runs fail at random.
        await admin.query(`drop database if exists ${name} with (force)`);
        if (open > 0) throw new Error(`${open} connection(s) to ${name} were still open at its drop`);
      } finally {
        await admin.end();
      }
    },
  };
}

let reachable: Promise<boolean> | undefined;

/** Whether the PostgreSQL server for tests answers; asked once per run. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  })();
  return reachable;
}

/**
 * Skips PostgreSQL tests on a machine without the server (a user's laptop), but fails them in CI,
 * where the server is part of the machine and a skip would hide a broken store.
 */
export async function requirePostgres(context: Mocha.Context): Promise<void> {
  if (await postgresReachable()) return;
  if (process.env.CI) throw new Error(`PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}`);
  console.error(
    `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} (set TEST_POSTGRES_URL): skipping its tests`,
  );
  context.skip();
}

/** The databases the product runs on, as test titles name them. */
export type DatabaseKind = 'SQLite' | 'PostgreSQL';

export const DATABASE_KINDS: Array<{
  kind: DatabaseKind;
  create: () => Promise<TestDatabase>;
  postgres: boolean;
}> = [
  { kind: 'SQLite', create: () => Promise.resolve(sqliteDatabase()), postgres: false },
  { kind: 'PostgreSQL', create: postgresDatabase, postgres: true },
];

/**
 * A new, empty database of `kind` for the running test, dropped by `cleanup` after it. A PostgreSQL
 * one first asks requirePostgres: the test is skipped where no server answers, failed in CI.
 */
export async function freshDatabase(
  context: Mocha.Context,
  cleanup: Cleanup,
  kind: DatabaseKind = 'PostgreSQL',
): Promise<TestDatabase> {
  if (kind === 'PostgreSQL') await requirePostgres(context);
  const database = kind === 'PostgreSQL' ? await postgresDatabase() : sqliteDatabase();
  cleanup.add(() => database.drop());
  return database;
}
