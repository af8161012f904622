import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary file of a test run (SQLite databases, owners files, the folders child processes
 * start in) goes under one folder that the run removes at its end, so `npm test` leaves nothing in
 * the system's temp folder. os.tmpdir() reads TMPDIR on each call.
 */
const outer = process.env.TMPDIR;
let root: string | undefined;

export const mochaHooks = {
  beforeAll(): void {
    root = mkdtempSync(join(tmpdir(), 'sip-reset-test-run-'));
    process.env.TMPDIR = root;
  },
  afterAll(): void {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    if (root) rmSync(root, { recursive: true, force: true });
  },
};
