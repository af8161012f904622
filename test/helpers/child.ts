import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ItnioStub } from '../../sandbox/itnio-stub.js';
import type { SlackStub } from '../../sandbox/slack-stub.js';

const ENTRY = resolve('dist/main.js');

/**
 * The settings that point the compiled app at the Slack and ITNIO stand-ins, with one voice
 * application (Head office) and one helpdesk agent: what every child-process test starts from.
 */
export function standInEnv(options: {
  slack: SlackStub;
  vendor: ItnioStub;
  signingSecret: string;
  appId: string;
  helpdesk: string;
}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: options.slack.token,
    SLACK_SIGNING_SECRET: options.signingSecret,
    SLACK_API_URL: options.slack.apiUrl,
    ITNIO_API_KEY: 'key',
    ITNIO_API_SECRET: 'api-secret',
    ITNIO_BASE_URL: options.vendor.baseUrl,
    ITNIO_APP_IDS: `Head office=${options.appId}`,
    SIP_RESET_HELPDESK: options.helpdesk,
  };
}
let built: boolean | undefined;

/** Builds dist/ as `npm start` does before it runs (at once when it is up to date), once per run. */
export function ensureBuilt(): void {
  if (built) return;
  const build = spawnSync(process.execPath, [resolve('scripts/build-if-needed.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the build failed: ${build.stdout}${build.stderr}`);
  built = true;
}

export interface Child {
  process: ChildProcessWithoutNullStreams;
  output: { stdout: string; stderr: string };
  /** The exit code, once the process has ended. */
  exit: Promise<number | null>;
  /** The HTTP port, once the app logs that it is running. */
  port: Promise<number>;
  /** Settles once the output holds this text. */
  logged(text: string): Promise<void>;
}

// The first build takes seconds (more on a busy machine): done once, before every test of the run,
// outside the time limit of the test that happens to start the app first.
before(function () {
  this.timeout(180_000);
  ensureBuilt();
});

/**
 * Runs the compiled app as `npm start` does, in an empty folder (so no .env file is read); or
 * `npm start` itself, in the project (with dotenv pointed at no file).
 */
export function startApp(env: Record<string, string>, options: { viaNpm?: boolean } = {}): Child {
  ensureBuilt();
  const child = options.viaNpm
    ? spawn('npm', ['start', '--silent'], {
        cwd: resolve('.'),
        env: { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env },
      })
    : spawn(process.execPath, [ENTRY], {
        cwd: mkdtempSync(join(tmpdir(), 'sip-reset-start-')),
        env: { PATH: process.env.PATH ?? '', ...env },
      });
  const output = { stdout: '', stderr: '' };
  const waiting: Array<{ text: string; found: () => void }> = [];
  const check = () => {
    for (const wait of [...waiting]) {
      if (!(output.stdout + output.stderr).includes(wait.text)) continue;
      waiting.splice(waiting.indexOf(wait), 1);
      wait.found();
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
    check();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
    check();
  });
  const logged = (text: string) =>
    new Promise<void>((found) => {
      waiting.push({ text, found });
      check();
    });
  const port = logged('"message":"sip-reset is running"').then(() =>
    Number(/"message":"sip-reset is running".*?"port":(\d+)/.exec(output.stdout)?.[1]),
  );
  return {
    process: child,
    output,
    exit: new Promise((done) => child.on('close', done)),
    port,
    logged,
  };
}

/**
 * Runs one of the compiled tools (`dist/cli/doctor.js`…) to its end, as its npm script does,
 * in an empty folder (so no .env file is read). Asynchronous, so stand-ins in this process answer it.
 */
export function runCompiled(
  entry: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  ensureBuilt();
  const child = spawn(process.execPath, [resolve(entry)], {
    cwd: mkdtempSync(join(tmpdir(), 'sip-reset-tool-')),
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}
