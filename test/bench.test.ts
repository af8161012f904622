import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { readEnvFile, RUNTIME_ENV_FILE } from '../bench/processes.js';
import { requirePostgres } from './helpers/databases.js';

/** Runs `npm run bench -- --smoke` with these arguments; answers its exit code, output and results folder. */
function smokeRun(...args: string[]): Promise<{ code: number | null; output: string; out: string }> {
  const out = mkdtempSync(join(tmpdir(), 'sip-reset-bench-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/run.ts', '--smoke', ...args, '--out', out],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output, out })));
}

/** Every leaf of the results that is not a finite number or a boolean, by its path. */
function missingFigures(value: unknown, path = 'results'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (typeof value === 'boolean') return [];
  if (typeof value !== 'object' || value === null) return [path];
  return Object.entries(value).flatMap(([key, inner]) => missingFigures(inner, `${path}.${key}`));
}

const FIGURES = ['ackP50', 'ackP95', 'ackP99', 'requestsPerSecond', 'viewsOpenP99', 'cpuMsPerCommand'];
const FLOW = ['endToEndP50', 'endToEndP99', 'ownP50', 'ownP99'];

// Only that the bench runs and reports every figure: its times are the bench's business, not a test's.
describe('bench (smoke run)', function () {
  this.timeout(120_000);

  // Each store's run also judges the product's peak RSS against a limit: SQLite's a generous one it
  // meets, PostgreSQL's one no process can meet, which must fail the run and name every stage.
  const limits = { sqlite: { limit: '1024', met: true }, postgres: { limit: '1', met: false } };
  for (const db of ['sqlite', 'postgres'] as const) {
    it(`runs on ${db} with production's Node.js settings and reports every figure, for both apps, with exactly-once holding and the peak RSS judged at each stage against ${limits[db].limit} MiB`, async function () {
      if (db === 'postgres') await requirePostgres(this);
      const run = await smokeRun('--db', db, '--memory-limit', limits[db].limit);
      expect(run.code, run.output).to.equal(limits[db].met ? 0 : 1);
      const json = JSON.parse(readFileSync(join(run.out, 'bench.json'), 'utf8')) as {
        runtimeEnv: Record<string, string>;
        results: Record<
          string,
          Record<string, unknown> & { levels: Array<Record<string, Record<string, unknown>>> }
        >;
        targets: Record<string, { memoryLimit: { limitMiB: number; met: boolean; over: string[] } }>;
      };
      expect(json.runtimeEnv).to.deep.equal(readEnvFile(RUNTIME_ENV_FILE));
      const figures = json.results[db];
      expect(figures, 'the results of the store').to.be.an('object');
      expect(missingFigures(figures)).to.deep.equal([]);
      expect(figures?.levels.map((level) => level.concurrency)).to.deep.equal([1, 2]);
      for (const level of figures?.levels ?? []) {
        expect(level.product).to.include.keys(FIGURES);
        expect(level.bare).to.include.keys(FIGURES);
        expect(level.direct).to.include.keys(FLOW);
        expect(level.approval).to.include.keys(FLOW);
      }
      expect(figures).to.have.nested.property('readyMs.product');
      expect(figures).to.have.nested.property('peakRssMiB.bare');
      expect(figures).to.have.nested.property('race.exactlyOnce', true);
      expect(figures?.peakRssByLevel).to.have.length(2);
      const stages = [
        'start and warm-up',
        'commands at 1 in flight',
        'commands at 2 in flight',
        'settling flows after the commands',
        'flows at 1 in flight',
        'flows at 2 in flight',
        'the exactly-once races',
      ];
      const verdict = json.targets[db]?.memoryLimit;
      expect(verdict).to.deep.include({ limitMiB: Number(limits[db].limit), met: limits[db].met });
      expect(verdict?.over).to.deep.equal(limits[db].met ? [] : stages);
      const peaks = readFileSync(join(run.out, 'bench.md'), 'utf8')
        .split('\n')
        .filter((line) => stages.some((stage) => line.startsWith(`| ${stage} |`)));
      expect(peaks).to.have.length(stages.length);
      // | stage | its peak | under or OVER | bare Bolt's peak in the same command rounds, or – |
      for (const line of peaks) {
        expect(line).to.match(
          limits[db].met ? /\| [\d.]+ \| under \| [\d.–]+ \|$/ : /\| [\d.]+ \| \*\*OVER\*\* \| [\d.–]+ \|$/,
        );
      }
      if (!limits[db].met)
        expect(run.output).to.contain(`the product's peak RSS was over 1 MiB: ${db}, start and warm-up`);
      expect(readFileSync(join(run.out, 'bench.md'), 'utf8')).to.contain('**ratio**');
      expect(run.output).to.contain('**ratio**');
    });
  }

  it('measures the noise floor, bare Bolt against bare Bolt, at each level', async () => {
    const run = await smokeRun('--noise');
    expect(run.code, run.output).to.equal(0);
    const rows = readFileSync(join(run.out, 'noise.md'), 'utf8')
      .split('\n')
      .filter((line) => /^\| (\d+|peak RSS) \|/.test(line));
    expect(rows.map((row) => row.split('|')[1]?.trim())).to.deep.equal(['1', '2', 'peak RSS']);
    // Each level's two p99s, their ratio and the CPU ratio are numbers.
    for (const row of rows.slice(0, 2)) {
      expect(
        row
          .split('|')
          .slice(2, 6)
          .map((cell) => Number.isFinite(Number(cell.trim()))),
      ).to.deep.equal([true, true, true, true]);
    }
  });
});

// The history bench (issue 25) at a tiny size: it seeds, runs and reports every operation on both
// stores, and the chain still verifies after its prune. Its times are the bench's business.
describe('history bench (smoke run)', function () {
  this.timeout(120_000);

  it('seeds a small history on each store and reports every operation with its stall', async function () {
    await requirePostgres(this);
    const out = mkdtempSync(join(tmpdir(), 'sip-reset-history-bench-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/history.ts', '--smoke', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code, output).to.equal(0);
    const { results } = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as {
      results: Record<
        string,
        Array<{
          operations: Record<string, unknown>;
          verifiedAfterPrune: boolean;
          idle: { stallMs: number; loadAverage: number };
        }>
      >;
    };
    expect(Object.keys(results)).to.deep.equal(['sqlite', 'postgres']);
    for (const [kind, [run]] of Object.entries(results)) {
      expect(missingFigures(run), kind).to.deep.equal([]);
      expect(Object.keys(run?.operations ?? {}), kind).to.include.members([
        'Home tab (all four lists, first pages)',
        'status (open requests of a person)',
        'history (an account, 20 events)',
        'sweep, no retention',
        'sweep, retention set',
        'audit verify (whole chain)',
        'audit export, a one-year window',
      ]);
      expect(run?.verifiedAfterPrune, kind).to.equal(true);
      // The machine's own stall, watched beside the app's, so a stall can be told from the load.
      expect(run?.idle.stallMs, kind).to.be.a('number').and.at.least(0);
      expect(run?.idle.loadAverage, kind).to.be.a('number').and.at.least(0);
    }
    expect(readFileSync(join(out, 'history.md'), 'utf8'))
      .to.contain('### SQLite')
      .and.contain('### PostgreSQL')
      .and.contain("the machine's own stall");
  });
});
