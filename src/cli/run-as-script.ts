import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** What a command-line tool is given: the environment and its two outputs. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Runs a tool when its module is the script Node was started with (not when a test imports it),
 * and sets the exit code it returns. A reader that stops early (`npm run audit -- export | head`)
 * closes stdout: the tool then stops quietly, as Unix tools do, instead of dying of EPIPE.
 */
export async function runAsScript(moduleUrl: string, tool: (io: CliIo) => Promise<number>): Promise<void> {
  const script = process.argv[1];
  if (script === undefined || moduleUrl !== pathToFileURL(realpathSync(script)).href) return;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await tool({
    env: process.env,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
