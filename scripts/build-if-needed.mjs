// `npm start` runs the compiled app (dist/main.js). This builds it first when it is missing or older
// than its sources, so a fresh clone's `npm ci && npm start` works; `tsc --build` answers at once
// when dist/ is up to date. A deployment that built and then pruned its dev dependencies (no
// TypeScript) just starts what it built.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (existsSync(join(root, 'dist', 'main.js'))) process.exit(0);
  console.error(
    'dist/main.js is missing and TypeScript is not installed: run `npm ci && npm run build` first.',
  );
  process.exit(1);
}
const build = spawnSync(process.execPath, [tsc, '--build', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
process.exit(build.status ?? 1);
