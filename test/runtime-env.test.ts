import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { readEnvFile, RUNTIME_ENV_FILE } from '../bench/processes.js';

/** The variables of the Dockerfile's ENV instructions (KEY="value" or KEY=value pairs, lines joined at `\`). */
function dockerfileEnv(dockerfile: string): Record<string, string> {
  const env: Record<string, string> = {};
  const instructions = dockerfile.replace(/\\\n/g, ' ').split('\n');
  for (const instruction of instructions.filter((line) => line.startsWith('ENV '))) {
    for (const [, name, quoted, bare] of instruction
      .slice(4)
      .matchAll(/([A-Z_][A-Z0-9_]*)=(?:"([^"]*)"|(\S*))/g)) {
      env[name as string] = quoted ?? bare ?? '';
    }
  }
  return env;
}

// deploy/node.env is the one place production's settings for Node.js itself live (the heap sizes
// that hold the peak RSS under 200 MiB, docs/performance.md#memory); the image cannot read a file
// into its environment, so its ENV is a copy this keeps equal.
describe('Node.js runtime settings (deploy/node.env)', () => {
  const runtime = readEnvFile(RUNTIME_ENV_FILE);

  it('sets the old space’s size in NODE_OPTIONS and the malloc arenas', () => {
    expect(runtime.NODE_OPTIONS).to.match(/--max-old-space-size=\d+/);
    expect(Number(runtime.MALLOC_ARENA_MAX)).to.be.greaterThan(0);
  });

  it('are accepted in NODE_OPTIONS by this Node.js, which then sizes its heap by them', () => {
    const run = spawnSync(
      process.execPath,
      ['-p', 'require("node:v8").getHeapStatistics().heap_size_limit / 2 ** 20'],
      { env: { PATH: process.env.PATH ?? '', ...runtime }, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).to.equal(0);
    const old = Number(/--max-old-space-size=(\d+)/.exec(runtime.NODE_OPTIONS ?? '')?.[1]);
    // V8's limit is the old space plus the young generation (at most 3 × 16 MiB on 64 bits); by
    // default, on this machine, it is several GiB.
    expect(Number(run.stdout.trim())).to.be.within(old, old + 48);
  });

  it('are the image’s, which keeps node dist/main.js as the process that receives signals', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const env = dockerfileEnv(dockerfile);
    for (const [name, value] of Object.entries(runtime)) expect(env[name], name).to.equal(value);
    expect(dockerfile).to.match(/^CMD \["node", "dist\/main\.js"\]$/m);
  });

  it('are read by npm start before it runs node dist/main.js', () => {
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts
      .start;
    expect(start).to.equal(`set -a && . ./${RUNTIME_ENV_FILE} && exec node dist/main.js`);
  });

  it('are read by the systemd unit from the installed app, before the operator’s settings', () => {
    const unit = readFileSync('deploy/sip-reset.service', 'utf8');
    const files = [...unit.matchAll(/^EnvironmentFile=(.*)$/gm)].map((match) => match[1]);
    expect(files).to.deep.equal([`/opt/sip-reset/${RUNTIME_ENV_FILE}`, '/etc/sip-reset/env']);
  });
});
