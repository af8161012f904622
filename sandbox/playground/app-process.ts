import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';

/** The compiled app, as `npm start` runs it. */
export const APP_ENTRY = resolve('dist/main.js');

export interface AppProcess {
  child: ChildProcess;
  /** The port the app's HTTP receiver listens on. */
  port: number;
  /** Sends SIGTERM and waits for the process to end (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node dist/main.js` in `dir` (an empty folder, so no .env file is read), its log in
 * `dir/app.log`, and resolves once it logs that it is running, with its port. Warnings and errors
 * of its log are also passed to `onProblem`, so a person running the playground sees them.
 */
export function startAppProcess(options: {
  dir: string;
  env: Record<string, string>;
  onProblem?: (line: string) => void;
  startTimeoutMs?: number;
}): Promise<AppProcess> {
  const child = spawn(process.execPath, [APP_ENTRY], {
    cwd: options.dir,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(options.dir, 'app.log'));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (graceMs = 5_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((done) => log.end(() => done()));
  };
  return new Promise((resolvePort, reject) => {
    let pending = '';
    let output = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the app did not start within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    const read = (chunk: Buffer) => {
      log.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (output.length < 20_000) output += `${line}\n`;
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          options.onProblem?.(line);
          continue;
        }
        if (entry.level === 'warn' || entry.level === 'error') options.onProblem?.(line);
        if (entry.message === 'sip-reset is running' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolvePort({ child, port: entry.port, stop });
        }
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app ended (exit code ${String(code)}) before it was running:\n${output}`));
    });
  });
}
