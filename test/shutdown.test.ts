import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { en } from '../src/i18n/en/index.js';
import { ItnioStub } from '../sandbox/itnio-stub.js';
import { SlackDriver } from '../sandbox/slack-driver.js';
import { SlackStub } from '../sandbox/slack-stub.js';
import { CAST } from '../sandbox/world.js';
import { SqlStore } from '../src/store/sql-store.js';
import { standInEnv, startApp, type Child } from './helpers/child.js';
import { expectNoSecret } from './helpers/leaks.js';
import { HEAD_OFFICE } from './helpers/requests.js';

const SIGNING_SECRET = 'shutdown-signing-secret';

/** Waits for something another process does; fails the test rather than hang. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > 5_000) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('npm start: stopping with a reset in flight', function () {
  // Two real processes each; a loaded machine takes seconds to start one.
  this.timeout(20_000);
  let slack: SlackStub;
  let vendor: ItnioStub;
  let database: string;
  let child: Child | undefined;

  beforeEach(async () => {
    slack = new SlackStub({ channels: { [CAST.general]: [CAST.helpdesk] } });
    vendor = new ItnioStub({ apiKey: 'key', apiSecret: 'api-secret', accounts: { [HEAD_OFFICE]: ['1001'] } });
    await Promise.all([slack.start(), vendor.start()]);
    database = join(mkdtempSync(join(tmpdir(), 'sip-reset-shutdown-')), 'db.sqlite');
  });

  afterEach(async () => {
    child?.process.kill('SIGKILL');
    await Promise.all([slack.stop(), vendor.stop()]);
  });

  /** Starts the app and has the helpdesk agent submit a direct reset of 1001, held at the vendor. */
  async function resetInFlight(env: Record<string, string>) {
    child = startApp({
      ...standInEnv({
        slack,
        vendor,
        signingSecret: SIGNING_SECRET,
        appId: HEAD_OFFICE,
        helpdesk: CAST.helpdesk,
      }),
      PORT: '0',
      DATABASE_URL: database,
      ...env,
    });
    const base = `http://127.0.0.1:${await child.port}`;
    const driver = new SlackDriver({
      eventsUrl: `${base}/slack/events`,
      signingSecret: SIGNING_SECRET,
      stub: slack,
    });
    const held = vendor.hold('sipReset');
    expect((await driver.command(CAST.helpdesk, '1001', CAST.general)).status).to.equal(200);
    await until(() => slack.views.length === 1, 'the modal opened');
    expect((await driver.submitModal(CAST.helpdesk, { account: '1001' })).status).to.equal(200);
    await held.arrived;
    return { child, driver, held, base };
  }

  async function statusOfTheRequest(): Promise<string | undefined> {
    const store = new SqlStore(database);
    try {
      return (await store.listByRequester(CAST.helpdesk, 1))[0]?.status;
    } finally {
      await store.close();
    }
  }

  it('refuses new work, finishes the reset, delivers the password and exits 0, whatever the signals', async () => {
    const { child, driver, held, base } = await resetInFlight({ ITNIO_TIMEOUT_MS: '5000' });
    child.process.kill('SIGTERM');
    // npm, systemd and Docker deliver the signal to the whole process group: it comes twice.
    child.process.kill('SIGTERM');
    child.process.kill('SIGINT');
    await child.logged('"message":"already shutting down"');

    const health = await fetch(`${base}/healthz`);
    expect(health.status).to.equal(503);
    expect(await health.json()).to.deep.equal({ status: 'stopping' });
    const refused = await driver.command(CAST.helpdesk, '1001', CAST.general);
    expect(refused.status).to.equal(200);
    expect(refused.json()).to.deep.equal({ response_type: 'ephemeral', text: en.restarting.command });
    expect(slack.views, 'no second modal').to.have.length(1);

    held.release();
    expect(await child.exit).to.equal(0);
    const [password] = vendor.issued;
    expect(password).to.be.a('string');
    const delivered = slack.ephemerals.filter((e) => e.user === CAST.helpdesk && e.via === 'response_url');
    expect(JSON.stringify(delivered.map((e) => e.blocks)), 'the password reached its requester').to.contain(
      password,
    );
    expect(vendor.calls).to.have.length(1);
    expect(await statusOfTheRequest()).to.equal('completed');
    expectNoSecret(child.output.stdout + child.output.stderr, { 'the password': password as string });
  });

  it('gives up after SIP_RESET_SHUTDOWN_TIMEOUT_MS with one line and exit 1 when the vendor never answers', async () => {
    const { child } = await resetInFlight({
      ITNIO_TIMEOUT_MS: '10000',
      SIP_RESET_SHUTDOWN_TIMEOUT_MS: '300',
    });
    const signalled = Date.now();
    child.process.kill('SIGTERM');
    expect(await child.exit).to.equal(1);
    const waited = Date.now() - signalled;
    expect(waited).to.be.at.least(300).and.below(5_000);
    const errors = (child.output.stdout + child.output.stderr)
      .split('\n')
      .filter((line) => line.includes('"level":"error"'));
    expect(errors).to.have.length(1);
    expect(JSON.parse(errors[0] as string)).to.include({
      message: 'shutdown gave up waiting for work in flight',
      waitedMs: 300,
      inFlight: 1,
    });
    // Left in flight for the sweep at the next start, which never retries it.
    expect(await statusOfTheRequest()).to.equal('resetting');
    expect(vendor.calls).to.have.length(0);
  });
});
