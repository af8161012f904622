import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { ItnioStub } from '../../sandbox/itnio-stub.js';
import { SlackDriver } from '../../sandbox/slack-driver.js';
import { SlackStub } from '../../sandbox/slack-stub.js';
import { CAST } from '../../sandbox/world.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { standInEnv } from '../helpers/child.js';
import { HEAD_OFFICE } from '../helpers/requests.js';

const run = promisify(execFile);
// How podman runs on these machines (vfs storage, runc, cgroupfs, lowered ulimits): see
// docs/deployment-containers.md. --network host lets the container reach the stand-ins on 127.0.0.1.
const PODMAN = ['--storage-driver', 'vfs', '--runtime', 'runc'];
const RUN_FLAGS = [
  '--cgroup-manager',
  'cgroupfs',
  '--network',
  'host',
  '--ulimit',
  'nofile=1024:1024',
  '--ulimit',
  'nproc=1024:1024',
];
// Stand-ins for the official images the Dockerfile names (no registry answers here), kept between runs.
const RUNTIME_BASE = 'localhost/sip-reset-standin/node:slim';
const BUILD_BASE = 'localhost/sip-reset-standin/node:build';
const IMAGE = `localhost/sip-reset-test:${process.pid}`;
const NAME = `sip-reset-test-${process.pid}`;
const VOLUME = `sip-reset-test-data-${process.pid}`;
const SIGNING_SECRET = 'container-signing-secret';

function podman(...args: string[]) {
  return run('podman', [...PODMAN, ...args], { maxBuffer: 64 * 1024 * 1024 });
}

/** Why podman cannot build and run an image here, or undefined when it can. */
function whyNoPodman(): string | undefined {
  if (spawnSync('podman', ['--version']).status !== 0) return 'podman is not installed';
  const images = spawnSync('podman', [...PODMAN, 'image', 'exists', RUNTIME_BASE]);
  if (images.error || (images.status !== 0 && images.status !== 1)) {
    return `podman cannot run here: ${images.stderr?.toString().trim()}`;
  }
  const bases =
    images.status === 0 && spawnSync('podman', [...PODMAN, 'image', 'exists', BUILD_BASE]).status === 0;
  if (!bases && spawnSync('mmdebstrap', ['--version']).status !== 0) {
    return 'mmdebstrap, which builds the stand-in base images, is not installed';
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

describe('the container image (Dockerfile), built and run with podman', function () {
  // The first run builds the stand-in bases (about 3 minutes); each run builds the image (about 4).
  this.timeout(900_000);
  let slack: SlackStub;
  let vendor: ItnioStub;
  let container: ChildProcess | undefined;
  let output = '';
  let exit: Promise<number | null>;
  let base = '';
  let driver: SlackDriver;

  before(async function () {
    const reason = whyNoPodman();
    if (reason) {
      console.error(`      skipped: ${reason} (CI installs podman, buildah, runc and mmdebstrap)`);
      this.skip();
    }
    await run('bash', ['test/deploy/standin-base.sh', RUNTIME_BASE, BUILD_BASE]);
    await podman(
      'build',
      // No layer per step: vfs copies each one whole, and the test keeps none of them.
      '--layers=false',
      '--format',
      'docker',
      ...RUN_FLAGS,
      '--build-arg',
      `NODE_IMAGE=${RUNTIME_BASE}`,
      '--build-arg',
      `BUILD_IMAGE=${BUILD_BASE}`,
      '-t',
      IMAGE,
      '.',
    );
    slack = new SlackStub({ channels: { [CAST.general]: [CAST.helpdesk] } });
    vendor = new ItnioStub({
      apiKey: 'key',
      apiSecret: 'api-secret',
      accounts: { [HEAD_OFFICE]: ['1001', '1002'] },
    });
    await Promise.all([slack.start(), vendor.start()]);
    const port = await freePort();
    const env = {
      ...standInEnv({
        slack,
        vendor,
        signingSecret: SIGNING_SECRET,
        appId: HEAD_OFFICE,
        helpdesk: CAST.helpdesk,
      }),
      ITNIO_TIMEOUT_MS: '20000',
      PORT: String(port),
    };
    container = spawn('podman', [
      ...PODMAN,
      'run',
      '--rm',
      '--name',
      NAME,
      ...RUN_FLAGS,
      '--read-only',
      '--volume',
      `${VOLUME}:/data`,
      ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
      IMAGE,
    ]);
    container.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    container.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exit = new Promise((done) => container?.on('close', done));
    for (const started = Date.now(); !output.includes('"message":"sip-reset is running"');) {
      if (Date.now() - started > 60_000 || container.exitCode !== null) {
        throw new Error(`the container did not start: ${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    base = `http://127.0.0.1:${port}`;
    driver = new SlackDriver({
      eventsUrl: `${base}/slack/events`,
      signingSecret: SIGNING_SECRET,
      stub: slack,
    });
  });

  after(async () => {
    if (container && container.exitCode === null) {
      await podman('rm', '--force', NAME).catch(() => undefined);
    }
    await Promise.all([slack?.stop(), vendor?.stop()]);
    await podman('volume', 'rm', '--force', VOLUME).catch(() => undefined);
    // Built without intermediate layers: the stand-in bases alone are kept for the next run.
    await podman('rmi', '--force', IMAGE).catch(() => undefined);
  });

  it('carries OCI labels and runs node dist/main.js as a non-root user', async () => {
    const { stdout } = await podman('image', 'inspect', IMAGE, '--format', '{{json .Config}}');
    const config = JSON.parse(stdout) as { User: string; Cmd: string[]; Labels: Record<string, string> };
    expect(config.Cmd).to.deep.equal(['node', 'dist/main.js']);
    expect(config.Labels).to.include({ 'org.opencontainers.image.title': 'sip-reset' });
    expect(config.Labels).to.have.property('org.opencontainers.image.licenses', 'MIT');
    const pid = (await podman('inspect', NAME, '--format', '{{.State.Pid}}')).stdout.trim();
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    expect(/^Uid:\s+(\d+)/m.exec(status)?.[1], 'the real uid of the process').to.equal('1000');
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 2)).to.deep.equal([
      'node',
      'dist/main.js',
    ]);
  });

  it('serves /healthz, and its HEALTHCHECK passes with what the image has', async () => {
    expect((await fetch(`${base}/healthz`)).status).to.equal(200);
    await podman('healthcheck', 'run', NAME); // throws on an unhealthy answer or a missing tool
  });

  it('keeps the root filesystem read-only and the database on the volume', async () => {
    const write = await podman(
      'exec',
      NAME,
      'node',
      '-e',
      "try { require('fs').writeFileSync('/app/x', '') } catch (e) { console.log(e.code) }",
    );
    expect(write.stdout.trim()).to.equal('EROFS');
    const database = await podman(
      'exec',
      NAME,
      'node',
      '-e',
      "console.log(require('fs').statSync('/data/sip-reset.sqlite').size > 0)",
    );
    expect(database.stdout.trim()).to.equal('true');
  });

  it('delivers a direct reset privately', async () => {
    expect((await driver.command(CAST.helpdesk, '1002', CAST.general)).status).to.equal(200);
    await until(() => slack.views.length === 1, 'the modal opened');
    expect((await driver.submitModal(CAST.helpdesk, { account: '1002', app: HEAD_OFFICE })).status).to.equal(
      200,
    );
    await until(() => vendor.issued.length === 1, 'the vendor issued a password');
    await until(() => privateDeliveries().includes(vendor.issued[0] as string), 'the delivery');
    expect(
      slack.messages.map((m) => JSON.stringify(m)).join(),
      'never in a message others see',
    ).not.to.contain(vendor.issued[0]);
  });

  it('on SIGTERM during a reset, delivers its password and exits 0', async () => {
    const held = vendor.hold('sipReset');
    expect((await driver.command(CAST.helpdesk, '1001', CAST.general)).status).to.equal(200);
    await until(() => slack.views.length === 2, 'the modal opened');
    expect((await driver.submitModal(CAST.helpdesk, { account: '1001', app: HEAD_OFFICE })).status).to.equal(
      200,
    );
    await held.arrived;
    await podman('kill', '--signal', 'TERM', NAME);
    await until(() => output.includes('"message":"shutting down"'), 'the stop began');
    expect((await fetch(`${base}/healthz`)).status).to.equal(503);
    held.release();
    expect(await exit).to.equal(0);
    const password = vendor.issued[1] as string;
    expect(privateDeliveries()).to.contain(password);
    expect(output, 'no password in the logs').not.to.contain(password).and.not.contain(vendor.issued[0]);
    const mountpoint = (
      await podman('volume', 'inspect', VOLUME, '--format', '{{.Mountpoint}}')
    ).stdout.trim();
    const store = new SqlStore(join(mountpoint, 'sip-reset.sqlite'));
    try {
      const statuses = (await store.listByRequester(CAST.helpdesk, 5)).map((r) => r.status);
      expect(statuses).to.deep.equal(['completed', 'completed']);
    } finally {
      await store.close();
    }
  });

  function privateDeliveries(): string {
    return JSON.stringify(slack.ephemerals.filter((e) => e.user === CAST.helpdesk).map((e) => e.blocks));
  }
});

/** Waits for what another process does, checking every 50 ms; fails rather than hang. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > 30_000) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
