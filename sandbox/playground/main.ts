import { Playground } from './playground.js';

/**
 * `npm run playground`: builds the app if needed (the npm script does), starts it with the
 * stand-ins, and serves the page on 127.0.0.1 until Ctrl-C. `--port N` (or PLAYGROUND_PORT) picks
 * the page's port; the default is 3300, or any free port when that one is taken.
 */
const DEFAULT_PORT = 3300;

function wantedPort(): number | undefined {
  const flag = process.argv.indexOf('--port');
  const raw = flag >= 0 ? process.argv[flag + 1] : process.env.PLAYGROUND_PORT;
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`The port must be a number from 0 to 65535, not ${raw}.`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const wanted = wantedPort();
  const onProblem = (line: string) => console.error(`app: ${line}`);
  let playground: Playground;
  try {
    playground = await Playground.start({ port: wanted ?? DEFAULT_PORT, onProblem });
  } catch (error) {
    if (wanted !== undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    playground = await Playground.start({ port: 0, onProblem });
  }
  console.error(
    [
      'sip-reset playground: the compiled app (dist/main.js, HTTP mode, SQLite in a temporary folder)',
      'with stand-ins for Slack and ITNIO. No workspace or vendor account is used.',
      '',
      `  Open ${playground.url}/ (one tab per person: pick who you are at the top).`,
      `  The app's log: ${playground.appLog}`,
      '',
      'Ctrl-C stops it and removes the temporary folder.',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    playground.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`the playground did not stop cleanly: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`the playground failed to start: ${(error as Error).message}`);
  process.exit(1);
});
