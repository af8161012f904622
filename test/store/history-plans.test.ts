import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedHistory } from '../../bench/seed-history.js';

// The hot reads of a long history, asked of SQLite's planner on a seeded history (issue 25): none
// may scan a table or sort through a temporary B-tree.
const HOT: Record<string, string> = {
  'prune, a batch from the anchor':
    'select seq, hash, at from audit_events where seq > ? and seq <= ? order by seq limit 5000',
  'export page with --since and --until':
    'select * from audit_events where seq > ? and +at >= ? and +at < ? order by seq limit 1000',
  'sweep: pending due': "select * from reset_requests where status = 'pending' and expires_at <= ?",
  'sweep: approved due': "select * from reset_requests where status = 'approved' and grant_expires_at <= ?",
  'sweep: reminders due':
    "select * from reset_requests where status = 'pending' and reminded_at is null and approval_ts is not null and created_at + expires_at <= ? order by created_at",
};

describe('the hot reads of a long history, on SQLite', function () {
  this.timeout(30000);
  let db: BetterSqlite3.Database;
  before(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plans-')), 'history.db');
    await seedHistory(file, 2000);
    db = new BetterSqlite3(file);
    db.exec('analyze');
  });
  after(() => db.close());
  for (const [name, query] of Object.entries(HOT)) {
    it(`${name}: seeks, without a scan or a sort`, () => {
      const params = (query.match(/\?/g) ?? []).map(() => 0);
      const plan = (db.prepare(`explain query plan ${query}`).all(...params) as { detail: string }[])
        .map((row) => row.detail)
        .join('; ');
      expect(plan).not.to.match(/SCAN|TEMP B-TREE/);
    });
  }
});
