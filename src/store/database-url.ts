import { mkdirSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { storeKind } from './kind.js';
import { errorMessage } from '../domain/errors.js';

/** The file an SQLite DATABASE_URL names, its folder made first when `create` is set. */
export function sqlitePath(databaseUrl: string, create = true): string {
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
  if (create && path !== ':memory:') makeFolder(dirname(resolve(path)));
  return path;
}

/** The folders from `folder` up to its nearest existing ancestor: [that ancestor, the missing ones…]. */
function missingFolders(folder: string): { existing: string; missing: string[] } {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    try {
      statSync(current);
      return { existing: current, missing };
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      missing.unshift(current);
      current = parent;
    }
  }
}

/**
 * Makes a folder and its missing parents, one level at a time: Node's own recursive mkdirSync
 * never returns for a path under /proc (its mkdir answers ENOENT, which it takes for a missing
 * parent and retries), and a DATABASE_URL there must fail start-up at once, naming itself.
 */
function makeFolder(folder: string): void {
  const { existing, missing } = missingFolders(folder);
  if (!statSync(existing).isDirectory()) {
    throw Object.assign(new Error(`${existing} is not a folder`), { code: 'ENOTDIR' });
  }
  for (const level of missing) mkdirSync(level);
}

/**
 * Why the SQLite file a DATABASE_URL names could not be created where it is missing (an error
 * code), or undefined when it exists or `npm start` can create it: the doctor's question. What
 * decides is whether a folder can be made in the nearest existing one (root may write where its
 * permissions say not, and /proc refuses whatever they say), so one is made there and removed.
 */
export function sqliteCreationProblem(databaseUrl: string): string | undefined {
  const file = sqliteFileOf(databaseUrl);
  if (!file) return undefined;
  try {
    statSync(file);
    return undefined;
  } catch {
    // Missing (or unreadable, which opening it will say): can it be created?
  }
  try {
    const { existing } = missingFolders(dirname(file));
    if (!statSync(existing).isDirectory()) return 'ENOTDIR';
    rmdirSync(mkdtempSync(join(existing, '.sip-reset-doctor-')));
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException | null)?.code ?? errorMessage(error);
  }
}

/** The SQLite file a DATABASE_URL names, as an absolute path; undefined for PostgreSQL and `:memory:`. */
export function sqliteFileOf(databaseUrl: string): string | undefined {
  if (storeKind(databaseUrl) === 'postgres') return undefined;
  const path = sqlitePath(databaseUrl, false);
  return path === ':memory:' ? undefined : resolve(path);
}

/** Where a PostgreSQL DATABASE_URL points, without its user or password. */
function postgresPlace(databaseUrl: string): { database: string; where: string } {
  const url = new URL(databaseUrl);
  return {
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || '(none)',
    where: `${url.hostname || 'localhost'}:${url.port || '5432'}`,
  };
}

/** The database a DATABASE_URL names, for a person: never its user or password. */
export function describeDatabase(databaseUrl: string): string {
  if (storeKind(databaseUrl) === 'sqlite') return `SQLite ${sqliteFileOf(databaseUrl) ?? ':memory:'}`;
  const { database, where } = postgresPlace(databaseUrl);
  return `PostgreSQL "${database}" on ${where}`;
}

/**
 * The admin's one line for a database the app cannot use at start-up, naming DATABASE_URL and what
 * to do (never its password); undefined for any other error.
 */
export function describeStoreError(error: unknown, databaseUrl: string): string | undefined {
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  if (storeKind(databaseUrl) === 'postgres') {
    const { database, where } = postgresPlace(databaseUrl);
    if (code === '3D000') {
      return `DATABASE_URL: the PostgreSQL database "${database}" does not exist on ${where}: create it (createdb ${database}) or correct the URL`;
    }
    if (code === '28P01' || code === '28000') {
      return `DATABASE_URL: PostgreSQL on ${where} refused the user or password in the URL`;
    }
    if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)) {
      return `DATABASE_URL: no PostgreSQL server answers at ${where} (${code}): start it or correct the URL`;
    }
    return undefined;
  }
  if (
    ['ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOENT', 'SQLITE_CANTOPEN', 'SQLITE_READONLY'].includes(code)
  ) {
    return `DATABASE_URL: cannot open or create the SQLite file ${sqliteFileOf(databaseUrl) ?? ':memory:'} (${code}): use a path in a folder this user can write`;
  }
  if (code === 'SQLITE_NOTADB') {
    return `DATABASE_URL: ${sqliteFileOf(databaseUrl) ?? ':memory:'} is not an SQLite database (${code}): correct the path, or move that file away`;
  }
  return undefined;
}
