import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { ItnioStub, type StubPhone } from '../sandbox/itnio-stub.js';
import { SlackStub } from '../sandbox/slack-stub.js';
import { startApp } from './helpers/child.js';
import { writtenForms } from './helpers/leaks.js';
import { secretFinder } from './helpers/secrets.js';

const PHONES = 5000;
const API_SECRET = 'api-secret-directory-leak-test';

/**
 * The compiled app refreshes a directory of 5,000 phones from the ITNIO stand-in, whose every
 * password holds characters that change form when written (" \ + % /), then its process is searched
 * for any of them: every log line (debug level), every row and the database's own files, /metrics,
 * and a V8 heap snapshot of the live process.
 *
 * The app runs in a child process, not in the test's own: the test and the stand-in hold every
 * password, so a snapshot of this process would find them all. The child is started with
 * --heapsnapshot-signal and writes its snapshot on SIGUSR2; V8 collects all garbage (a full GC,
 * twice over weak references) before it takes a snapshot, so what the snapshot holds is what the
 * app keeps, with no --expose-gc hook added to the app for the test.
 */
/** Settles once a heap snapshot's file is whole: its JSON closed, its size the same twice 200 ms apart. */
async function snapshotWritten(path: string): Promise<void> {
  let size = -1;
  for (let i = 0; i < 600; i += 1) {
    const now = statSync(path).size;
    if (now === size && now > 0 && lastCharacter(path, now) === '}') return;
    size = now;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the heap snapshot ${path} was not written whole in 2 minutes`);
}

function lastCharacter(path: string, size: number): string {
  const byte = Buffer.alloc(1);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, byte, 0, 1, size - 1);
  } finally {
    closeSync(fd);
  }
  return byte.toString('latin1');
}

describe('the phone directory keeps no password', function () {
  this.timeout(90_000);
  let slack: SlackStub;
  let vendor: ItnioStub;
  let phones: StubPhone[];

  beforeEach(async () => {
    phones = Array.from({ length: PHONES }, (_, i) => ({
      account: String(100_000 + i),
      phoneName: `Desk ${i}`,
      groupName: i % 3 ? 'Head office' : 'Warehouse',
      // The same length each, so that the scan's rolling hash makes few passes over the snapshot.
      password: `pw"\\+%/${randomBytes(6).toString('hex')}`,
    }));
    slack = new SlackStub({ channels: {} });
    vendor = new ItnioStub({ apiKey: 'key', apiSecret: API_SECRET, accounts: {}, phones: { app1: phones } });
    await Promise.all([slack.start(), vendor.start()]);
  });

  afterEach(() => Promise.all([slack.stop(), vendor.stop()]));

  it('in no log line, row, database file, metric or heap snapshot, in any written form', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sip-reset-directory-leak-'));
    const database = join(folder, 'db.sqlite');
    const snapshots = join(folder, 'snapshots');
    mkdirSync(snapshots);
    const child = startApp({
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: slack.apiUrl,
      ITNIO_API_KEY: 'key',
      ITNIO_API_SECRET: API_SECRET,
      ITNIO_BASE_URL: vendor.baseUrl,
      ITNIO_APP_IDS: 'Head office=app1',
      SIP_RESET_HELPDESK: 'UHANA',
      PORT: '0',
      DATABASE_URL: database,
      LOG_LEVEL: 'debug',
      NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshots}`,
    });
    try {
      const port = await child.port;
      await child.logged('"message":"directory refreshed"');
      expect(vendor.disclosed, 'the stand-in sent every password').to.have.length(PHONES);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).to.match(/sip_reset_directory_phones\{app="app1"\} 5000/);

      child.process.kill('SIGUSR2');
      for (let i = 0; i < 600 && !(existsSync(snapshots) && readdirSync(snapshots).length > 0); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const [file] = readdirSync(snapshots);
      // The snapshot is written on the app's main thread, which answers nobody meanwhile: a request
      // sent then waits as long (seconds on a busy machine), and node's headersTimeout may cut it
      // the moment the thread is back. So wait for the file to be whole, then ask.
      await snapshotWritten(join(snapshots, file ?? ''));
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
      const snapshot = readFileSync(join(snapshots, file ?? ''), 'utf8');

      const db = new Database(database, { readonly: true });
      const rows = db
        .prepare<[], { name: string }>("select name from sqlite_master where type = 'table'")
        .all()
        .map(({ name }) => JSON.stringify(db.prepare(`select * from "${name}"`).all()))
        .join('\n');
      const phoneRows = db.prepare('select count(*) as n from directory_phones').get() as { n: number };
      db.close();
      expect(phoneRows.n).to.equal(PHONES);
      const files = readdirSync(folder)
        .filter((name) => name.startsWith('db.sqlite'))
        .map((name) => readFileSync(join(folder, name)).toString('latin1'))
        .join('\n');

      const find = secretFinder(phones.flatMap(({ password }) => writtenForms(password)));
      const places = {
        'log lines': child.output.stdout + child.output.stderr,
        rows,
        'database files': files,
        metrics,
        'heap snapshot': snapshot,
      };
      for (const [where, text] of Object.entries(places)) {
        expect([...find(text)].slice(0, 3), `a password in the ${where}`).to.deep.equal([]);
      }
      // The scan finds what is there: the app holds its API secret, and the log has debug lines.
      expect(secretFinder(writtenForms(API_SECRET))(snapshot).size, 'the scan sees the snapshot').to.be.above(
        0,
      );
      expect(child.output.stdout)
        .to.contain('"level":"debug"')
        .and.contain('"message":"directory page read"');
    } catch (error) {
      console.error((child.output.stdout + child.output.stderr).split('\n').slice(-15).join('\n'));
      throw error;
    } finally {
      child.process.kill('SIGTERM');
      await child.exit;
    }
  });
});
