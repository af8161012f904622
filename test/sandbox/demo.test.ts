import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from 'chai';

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run demo` as the README says (tsx sandbox/demo.ts), with its arguments. */
function runDemo(...args: string[]): Promise<DemoRun> {
  return new Promise((done, failed) => {
    const child = spawn(
      process.execPath,
      [resolve('node_modules/tsx/dist/cli.mjs'), 'sandbox/demo.ts', ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', failed);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The scenes the README's Quick start promises the demo shows. */
const SCENES = [
  '1. A helpdesk agent resets a phone directly',
  '2. An employee asks, an approver approves, the employee resets when ready',
  '3. An approver denies, with a reason',
  '4. The owner is told when someone else resets their phone',
  '5. A protected account needs two different approvers',
  '6. Everyone reads their own language',
  '7. The App Home',
  '8. An incident: the helpdesk locks three phones out at once, and an owner gets a new password',
  '9. A Workflow Builder step asks for a reset',
];

// The README's promise: on a fresh machine, `npm run demo` shows the whole flow working. Each run
// starts the real app against the stand-ins, so a change that breaks a scene fails here.
describe('npm run demo', function () {
  this.timeout(120_000);

  for (const mode of ['http', 'socket'] as const) {
    it(`runs every scene to its end over ${mode === 'http' ? 'HTTP' : 'Socket Mode'}, leaking no password`, async () => {
      const run = await runDemo(...(mode === 'socket' ? ['--socket'] : []));
      expect(run.stderr).not.to.contain('demo failed');
      expect(run.code).to.equal(0);
      for (const title of SCENES) expect(run.stdout).to.contain(`━━━ ${title}`);
      expect(run.stdout).to.contain(
        mode === 'socket' ? 'The app runs in Socket Mode' : 'signed as Slack signs it',
      );
      expect(run.stdout).to.match(/ITNIO reset [1-9]\d* passwords/);
      expect(run.stdout).to.contain('appeared only in a private message to the person who asked: yes.');
      expect(run.stdout).to.contain('Passwords in any log line, public message or DM: 0.');
      expect(run.stdout).to.contain(
        "The lock-out's 3 passwords reached nobody, not even privately, nor any log line: yes.",
      );
      expect(run.stdout).to.contain('Lock-out finished: 3 of 3 phones locked out.');
      expect(run.stdout).to.contain('status: pending_approval');
    });
  }
});
