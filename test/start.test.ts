import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ItnioStub } from '../sandbox/itnio-stub.js';
import { SlackStub } from '../sandbox/slack-stub.js';
import { startApp } from './helpers/child.js';

describe('npm start', () => {
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

  it('starts with a real environment, migrates its database, serves /healthz and stops on SIGTERM', async () => {
    const slack = new SlackStub({ channels: {} });
    const vendor = new ItnioStub({ apiKey: 'k', apiSecret: 's', accounts: {} });
    await Promise.all([slack.start(), vendor.start()]);
    const database = join(mkdtempSync(join(tmpdir(), 'sip-reset-start-db-')), 'db.sqlite');
    try {
      const child = startApp({
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: 'signing-secret',
        SLACK_API_URL: slack.apiUrl,
        ITNIO_API_KEY: 'key',
        ITNIO_API_SECRET: 'api-secret',
        ITNIO_BASE_URL: vendor.baseUrl,
        ITNIO_APP_IDS: 'app1',
        PORT: '0',
        DATABASE_URL: database,
      });
      const { output, exit } = child;
      const health = await fetch(`http://127.0.0.1:${await child.port}/healthz`);
      expect(health.status).to.equal(200);
      child.process.kill('SIGTERM');
      expect(await exit).to.equal(0);
      expect(output.stdout).to.contain('"message":"shutting down"');
      expect(existsSync(database)).to.equal(true);
      expect(output.stdout + output.stderr).not.to.contain('api-secret');
    } finally {
      await Promise.all([slack.stop(), vendor.stop()]);
    }
  });

  it('runs compiled JavaScript under `npm start`, and a SIGTERM to npm alone stops the app', async () => {
    const slack = new SlackStub({ channels: {} });
    const vendor = new ItnioStub({ apiKey: 'k', apiSecret: 's', accounts: {} });
    await Promise.all([slack.start(), vendor.start()]);
    const database = join(mkdtempSync(join(tmpdir(), 'sip-reset-start-db-')), 'db.sqlite');
    try {
      const child = startApp(
        {
          SLACK_BOT_TOKEN: slack.token,
          SLACK_SIGNING_SECRET: 'signing-secret',
          SLACK_API_URL: slack.apiUrl,
          ITNIO_API_KEY: 'key',
          ITNIO_API_SECRET: 'api-secret',
          ITNIO_BASE_URL: vendor.baseUrl,
          ITNIO_APP_IDS: 'app1',
          PORT: '0',
          DATABASE_URL: database,
        },
        { viaNpm: true },
      );
      const port = await child.port;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
      const processes = execFileSync('ps', ['-o', 'args=', '--ppid', String(child.process.pid)], {
        encoding: 'utf8',
      });
      expect(processes, 'node runs the built output, not tsx').to.match(/node dist\/main\.js/);
      expect(processes).not.to.contain('tsx');
      child.process.kill('SIGTERM');
      expect(await child.exit).to.equal(0);
      const after = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => 'still serving',
        () => 'stopped',
      );
      expect(after, 'no orphan left serving').to.equal('stopped');
    } finally {
      await Promise.all([slack.stop(), vendor.stop()]);
    }
  });

  it('builds only the product into dist/: no stand-ins, demo or tests', () => {
    const files = readdirSync('dist', { recursive: true }).map(String);
    expect(files).to.include('main.js');
    expect(files.filter((file) => /sandbox|demo|stub|test/.test(file))).to.deep.equal([]);
  });
});
