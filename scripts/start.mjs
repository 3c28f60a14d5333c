// `npm start`: apply migrations, build when the sources changed, then run
// server.ts. `npm run dev` (--dev) skips the build and runs Next in dev mode.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dev = process.argv.includes('--dev');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = '1';

/** Runs a step; `what` names it on failure (null: the step prints its own one line). */
function run(args, what) {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    if (what) console.error(`[keyhold] ${what} failed`);
    process.exit(result.status ?? 1);
  }
}

/** Newest modification time under the given paths (files that shape the build). */
function newestSource(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      if (p.endsWith(`lib${path.sep}generated`)) return;
      for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  paths.forEach(visit);
  return newest;
}

// One clear line (from migrate.mjs) when DATABASE_URL has another scheme or PostgreSQL cannot be reached.
run(['scripts/migrate.mjs', 'apply'], null);

// The master key check before the build: from a fresh clone a refusal must not wait for `next build`.
// (server.ts checks again: the same one line.)
run(['--import', 'tsx', 'scripts/start-check.ts', ...(dev ? ['--dev'] : [])], null);

if (!dev) {
  const buildId = '.next/BUILD_ID';
  const sources = ['app', 'components', 'lib', 'public', 'next.config.ts', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'];
  const stale = !fs.existsSync(buildId) || newestSource(sources) > fs.statSync(buildId).mtimeMs;
  if (stale) run(['node_modules/next/dist/bin/next', 'build'], 'Building the app');
}

// The warnings of the check above were printed once already: server.ts checks again but keeps quiet about them.
const server = spawn(process.execPath, ['--import', 'tsx', 'server.ts', ...(dev ? ['--dev'] : [])], {
  stdio: 'inherit',
  env: { ...process.env, KEYHOLD_KEY_WARNINGS_SHOWN: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
