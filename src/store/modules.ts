import { createRequire } from 'node:module';
import type * as KyselyModule from 'kysely';
import type SQLite from 'better-sqlite3';
import type pg from 'pg';

const require = createRequire(import.meta.url);

/**
 * Kysely's CommonJS build, the same code as its ES modules and the one copy the app uses: Node 20
 * loads its 280 files for about 120 ms less CPU than the ES module build, a tenth of a start-up.
 */
export const kysely = require('kysely') as typeof KyselyModule;

/** The PostgreSQL driver, loaded only by a store that uses it (about 90 ms and 3 MiB otherwise spent). */
export const loadPg = (): typeof pg => require('pg') as typeof pg;

/** The SQLite driver, loaded only by a store that uses it. */
export const loadSqlite = (): typeof SQLite => require('better-sqlite3') as typeof SQLite;
