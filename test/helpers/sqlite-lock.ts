import SQLite from 'better-sqlite3';

/** Takes SQLite's write lock from a second connection, as a backup or an admin's shell would; returns its release. */
export function lockDatabase(path: string): () => void {
  const other = new SQLite(path);
  other.exec('BEGIN IMMEDIATE');
  return () => {
    other.exec('ROLLBACK');
    other.close();
  };
}
