import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';

/** Builds dist/ as `npm start` does before it runs (at once when it is up to date). */
export function buildProduct(): void {
  const build = spawnSync(process.execPath, [resolve('scripts/build-if-needed.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the build failed: ${build.stdout}${build.stderr}`);
}

/** Where production's settings for Node.js itself live: its heap sizes and glibc's malloc arenas. */
export const RUNTIME_ENV_FILE = 'deploy/node.env';

/**
 * The variables of an environment file as systemd's EnvironmentFile= and a POSIX shell both read
 * it: KEY="value" lines (quotes optional), `#` comments and blank lines.
 */
export function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const match = /^([A-Z_][A-Z0-9_]*)=(?:"([^"]*)"|(\S*))$/.exec(line.trim());
    if (!match) throw new Error(`${path}: cannot read "${line}" (KEY="value" expected)`);
    env[match[1] as string] = match[2] ?? match[3] ?? '';
  }
  return env;
}

/** A port nobody listens on now, for a child to take. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

export interface AppProcess {
  name: string;
  port: number;
  eventsUrl: string;
  /** From the spawn to the first `/healthz` answering 200. */
  readyMs: number;
  /** The process's peak resident set (VmHWM) since it started or since `resetPeakRss`, in MiB. */
  peakRssMiB(): number;
  /** Starts the peak resident set afresh from the current one, so that one stage's peak can be read alone. */
  resetPeakRss(): void;
  /** The CPU time the process has used so far (user and system), in ms: load-independent, unlike its wall-clock times. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * Starts `node <entry>` as production does, its JSON log lines going to a file (a full pipe would
 * stall it), and waits until `/healthz` answers 200.
 */
export async function launch(
  name: string,
  entry: string,
  env: Record<string, string>,
  logDir: string,
  nodeArgs: string[] = [],
): Promise<AppProcess> {
  const port = await freePort();
  const log = openSync(join(logDir, `${name}.log`), 'a');
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, resolve(entry)], {
    cwd: logDir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  const exited = once(child, 'exit');
  let readyMs: number | undefined;
  while (readyMs === undefined) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode}: see ${join(logDir, `${name}.log`)}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.status === 200) readyMs = performance.now() - started;
      await response.arrayBuffer();
    } catch {
      // Not listening yet.
    }
    if (readyMs === undefined) await new Promise((done) => setTimeout(done, 2));
  }
  return {
    name,
    port,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    readyMs,
    peakRssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      return kib / 1024;
    },
    resetPeakRss() {
      // "5" resets VmHWM to VmRSS (proc(5), Linux 4.0 and later); the bench owns the process.
      writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
    },
    cpuMs() {
      // Each thread's time on a CPU in ns (/proc/<pid>/task/<tid>/schedstat, first field): /proc/<pid>/stat
      // counts in clock ticks of 10 ms, too coarse for a short round, whose CPU time could read 0.
      const tasks = `/proc/${child.pid}/task`;
      let ns = 0;
      for (const tid of readdirSync(tasks)) {
        try {
          ns += Number(readFileSync(join(tasks, tid, 'schedstat'), 'utf8').split(' ')[0]);
        } catch {
          // The thread ended between the listing and the read: its time is no longer counted anywhere.
        }
      }
      return ns / 1e6;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export const POSTGRES_ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for one run, and how to drop it. */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sip_reset_bench_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
