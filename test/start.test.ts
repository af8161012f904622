import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { readEnvFile, RUNTIME_ENV_FILE } from '../bench/processes.js';
import { ItnioStub } from '../sandbox/itnio-stub.js';
import { SlackStub } from '../sandbox/slack-stub.js';
import { ensureBuilt, startApp } from './helpers/child.js';

describe('npm start', function () {
  // Each test starts the compiled app (some twice): a Node process that loads Bolt and migrates a
  // database takes a second alone, and several times that on a busy machine (CI failed once at 10 s).
  this.timeout(30_000);
  it('stops with one clear line, and no secret, when the configuration is wrong', async () => {
    const { output, exit } = startApp({
      SLACK_BOT_TOKEN: 'xoxp-a-user-token-secret',
      ITNIO_API_SECRET: 'the-api-secret',
    });
    expect(await exit).to.equal(1);
    const lines = output.stderr.trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(
      /^Configuration error: SLACK_BOT_TOKEN must be a bot token.*ITNIO_API_KEY is required/,
    );
    expect(output.stderr + output.stdout)
      .not.to.contain('xoxp-a-user-token-secret')
      .and.not.contain('the-api-secret');
  });

  describe('with stand-ins for Slack and ITNIO', () => {
    let slack: SlackStub;
    let vendor: ItnioStub;
    beforeEach(async () => {
      slack = new SlackStub({ channels: { CAPPROVALS: ['UBOB'] } });
      vendor = new ItnioStub({ apiKey: 'k', apiSecret: 's', accounts: {} });
      await Promise.all([slack.start(), vendor.start()]);
    });
    afterEach(() => Promise.all([slack.stop(), vendor.stop()]));

    const env = (extra: Record<string, string> = {}) => ({
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: slack.apiUrl,
      ITNIO_API_KEY: 'key',
      ITNIO_API_SECRET: 'api-secret',
      ITNIO_BASE_URL: vendor.baseUrl,
      ITNIO_APP_IDS: 'Head office=app1',
      SIP_RESET_HELPDESK: 'UHANA,SHELP',
      PORT: '0',
      DATABASE_URL: join(mkdtempSync(join(tmpdir(), 'sip-reset-start-db-')), 'db.sqlite'),
      ...extra,
    });
    it('starts with a real environment, migrates its database, serves /healthz and stops on SIGTERM', async () => {
      const database = join(mkdtempSync(join(tmpdir(), 'sip-reset-start-db-')), 'db.sqlite');
      const child = startApp(env({ DATABASE_URL: database }));
      const { output, exit } = child;
      const health = await fetch(`http://127.0.0.1:${await child.port}/healthz`);
      expect(health.status).to.equal(200);
      child.process.kill('SIGTERM');
      expect(await exit).to.equal(0);
      expect(output.stdout).to.contain('"message":"shutting down"');
      const last = JSON.parse(output.stdout.trimEnd().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      expect(last, 'the last line says it stopped').to.deep.include({
        level: 'info',
        message: 'sip-reset stopped',
        reason: 'SIGTERM',
      });
      expect(existsSync(database)).to.equal(true);
      expect(output.stdout + output.stderr).not.to.contain('api-secret');
    });

    it('runs compiled JavaScript under `npm start`, and a SIGTERM to npm alone stops the app', async function () {
      // npm, its prestart check and the app are three Node start-ups: seconds on a busy machine.
      this.timeout(30_000);
      const child = startApp(env(), { viaNpm: true });
      const port = await child.port;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
      const processes = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(child.process.pid)], {
        encoding: 'utf8',
      });
      expect(processes, 'node runs the built output, not tsx').to.match(/node dist\/main\.js/);
      expect(processes).not.to.contain('tsx');
      // It runs with production's settings for Node.js (heap sizes, malloc arenas) from deploy/node.env.
      const app = /^\s*(\d+) node dist\/main\.js/m.exec(processes)?.[1];
      const environment = readFileSync(`/proc/${app}/environ`, 'utf8').split('\0');
      for (const [name, value] of Object.entries(readEnvFile(RUNTIME_ENV_FILE))) {
        expect(environment, name).to.include(`${name}=${value}`);
      }
      child.process.kill('SIGTERM');
      expect(await child.exit).to.equal(0);
      const after = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => 'still serving',
        () => 'stopped',
      );
      expect(after, 'no orphan left serving').to.equal('stopped');
    });

    const lines = (child: { output: { stdout: string; stderr: string } }) =>
      (child.output.stdout + child.output.stderr)
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);

    it('says in one line that Slack rejected the token, and exits 1 without serving', async () => {
      const child = startApp(env({ SLACK_BOT_TOKEN: 'xoxb-revoked-token-value' }));
      expect(await child.exit).to.equal(1);
      const errors = lines(child).filter((line) => line.level === 'error');
      expect(errors.map((line) => line.message)).to.deep.equal([
        'Slack rejected SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token from the app\'s "OAuth & Permissions" page, reinstalling the app if it was removed.',
      ]);
      expect(child.output.stdout + child.output.stderr).not.to.contain('xoxb-revoked-token-value');
      expect(child.output.stdout).not.to.contain('sip-reset is running');
    });

    it('keeps asking an unreachable Slack, naming its URL, and is not running meanwhile', async () => {
      const child = startApp(env({ SLACK_API_URL: 'http://127.0.0.1:9/api/' }));
      await child.logged('Slack could not be reached at http://127.0.0.1:9/api/; trying again');
      expect(child.output.stdout).not.to.contain('sip-reset is running');
      child.process.kill('SIGKILL');
      await child.exit;
    });

    it('warns in one line when the approval channel is missing, or the bot is not in it', async () => {
      const missing = startApp(env({ SIP_RESET_APPROVAL_CHANNEL: 'CNOSUCH' }));
      await missing.port;
      missing.process.kill('SIGTERM');
      await missing.exit;
      expect(lines(missing).map((line) => line.message)).to.include(
        'SIP_RESET_APPROVAL_CHANNEL CNOSUCH was not found, or it is private and the bot is not in it: check the ID and invite @sip-reset',
      );
      slack.botAbsent.add('CAPPROVALS');
      const absent = startApp(env({ SIP_RESET_APPROVAL_CHANNEL: 'CAPPROVALS' }));
      await absent.port;
      absent.process.kill('SIGTERM');
      await absent.exit;
      expect(lines(absent).map((line) => line.message)).to.include(
        'the bot is not in SIP_RESET_APPROVAL_CHANNEL CAPPROVALS: type /invite @sip-reset in that channel, or approval requests cannot be posted',
      );
    });

    it('sums up what runs in its one start-up line, without credentials', async () => {
      const child = startApp(env({ SIP_RESET_APPROVAL_CHANNEL: 'CAPPROVALS', SIP_RESET_APPROVERS: 'UBOB' }));
      await child.port;
      child.process.kill('SIGTERM');
      await child.exit;
      const running = lines(child).find((line) => line.message === 'sip-reset is running');
      expect(running).to.deep.include({
        version: JSON.parse(readFileSync('package.json', 'utf8')).version,
        mode: 'http',
        store: 'sqlite',
        apps: ['Head office'],
        approvals: 'on',
        helpdeskEntries: 2,
        approverEntries: 1,
      });
      expect(JSON.stringify(running)).not.to.contain('db.sqlite').and.not.contain('api-secret');
    });

    it('listens only on HOST when it is set', async () => {
      const child = startApp(env({ HOST: '127.0.0.2' }));
      const port = await child.port;
      const on = (host: string) =>
        fetch(`http://${host}:${port}/healthz`).then(
          (response) => response.status,
          () => 'refused',
        );
      expect(await on('127.0.0.2')).to.equal(200);
      expect(await on('127.0.0.1')).to.equal('refused');
      child.process.kill('SIGTERM');
      await child.exit;
    });

    it('stops at a .env value lost to a #, in one line naming the variable and the fix', async () => {
      const dotenv = join(mkdtempSync(join(tmpdir(), 'sip-reset-dotenv-')), '.env');
      writeFileSync(dotenv, 'SIP_RESET_APPROVAL_CHANNEL=#phone-approvals\nSIP_RESET_APPROVERS=UBOB\n');
      const child = startApp(env({ DOTENV_CONFIG_PATH: dotenv }));
      expect(await child.exit).to.equal(1);
      expect(child.output.stderr.trimEnd().split('\n')).to.deep.equal([
        "Configuration error: SIP_RESET_APPROVAL_CHANNEL in .env starts with #, which .env reads as a comment, so it is empty: use the channel's ID (C…, at the bottom of the channel's details), not its #name",
      ]);
      expect(child.output.stdout).to.equal('');
    });

    it(".env.example's placeholders stop it, in one line naming each", async () => {
      const child = startApp(
        env({ ITNIO_API_SECRET: 'your-api-secret', SIP_RESET_HELPDESK: 'S0123HELPDESK' }),
      );
      expect(await child.exit).to.equal(1);
      expect(child.output.stderr.trimEnd().split('\n')).to.deep.equal([
        'Configuration error: ITNIO_API_SECRET is still the example value from .env.example: replace it with your own; SIP_RESET_HELPDESK is still the example value from .env.example: replace it with your own',
      ]);
    });

    it('exits by itself, naming DATABASE_URL, when the database folder cannot be created', async function () {
      this.timeout(60_000);
      const folder = mkdtempSync(join(tmpdir(), 'sip-reset-start-blocked-'));
      writeFileSync(join(folder, 'data'), 'a file where the folder should be');
      for (const [database, code] of [
        [join(folder, 'data', 'sip-reset.sqlite'), 'ENOTDIR'],
        [join(folder, 'data', 'deeper', 'sip-reset.sqlite'), 'ENOTDIR'],
        ['/proc/sip-reset/db.sqlite', 'ENOENT'],
      ]) {
        const child = startApp(env({ DATABASE_URL: database as string }));
        // A start that waits or retries instead is killed, and its exit is then no code but a
        // signal. (No bound on the time it takes: on a loaded machine starting Node.js alone can
        // take two seconds.)
        const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
        const exit = await child.exit;
        clearTimeout(timer);
        expect(exit, database).to.equal(1);
        const output = (child.output.stdout + child.output.stderr).trimEnd().split('\n');
        expect(output, 'one line, no stack').to.have.length(1);
        expect((JSON.parse(output[0] ?? '{}') as { message: string }).message).to.equal(
          `DATABASE_URL: cannot open or create the SQLite file ${database} (${code}): use a path in a folder this user can write`,
        );
      }
    });

    it('names DATABASE_URL and what to do when the database cannot be used', async () => {
      const sqlite = startApp(env({ DATABASE_URL: '/etc/passwd/sip-reset/db.sqlite' }));
      expect(await sqlite.exit).to.equal(1);
      expect(
        lines(sqlite)
          .filter((line) => line.level === 'error')
          .map((line) => line.message),
      ).to.deep.equal([
        'DATABASE_URL: cannot open or create the SQLite file /etc/passwd/sip-reset/db.sqlite (ENOTDIR): use a path in a folder this user can write',
      ]);
      const postgres = startApp(
        env({ DATABASE_URL: 'postgres://postgres:pw-secret@127.0.0.1:5432/sip_reset_no_such_db' }),
      );
      expect(await postgres.exit).to.equal(1);
      const errors = lines(postgres)
        .filter((line) => line.level === 'error')
        .map((line) => line.message);
      expect(errors).to.deep.equal([
        'DATABASE_URL: the PostgreSQL database "sip_reset_no_such_db" does not exist on 127.0.0.1:5432: create it (createdb sip_reset_no_such_db) or correct the URL',
      ]);
      expect(postgres.output.stdout + postgres.output.stderr).not.to.contain('pw-secret');
    });
  });
  it('builds only the product into dist/: no stand-ins, demo or tests', () => {
    ensureBuilt();
    const files = readdirSync('dist', { recursive: true }).map(String);
    expect(files).to.include('main.js');
    expect(files.filter((file) => /sandbox|demo|stub|test/.test(file))).to.deep.equal([]);
  });
});
