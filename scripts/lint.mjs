// `npm run lint`: ESLint (Next's rules with typescript-eslint), Prettier's
// check and knip (unused files, exports and dependencies), each with zero
// findings. ESLint and Prettier keep caches in node_modules/.cache, so a
// second run reads only the files that changed. scripts/test.mjs runs the same list.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LINTERS = [
  {
    name: 'ESLint',
    args: ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', '--cache', '--cache-location', 'node_modules/.cache/eslint/', '.'],
  },
  { name: 'Prettier', args: ['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', '--cache', '.'], fix: 'npm run format' },
  { name: 'knip', args: ['node_modules/knip/bin/knip.js', '--no-progress'] },
];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs one linter in the repository root; resolves to its exit status. */
export function runLinter(linter) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, linter.args, { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`${linter.name}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** The line that says a linter failed, and how to see or fix what it found. */
export const failureLine = (linter) => `lint: ${linter.name} found problems (above)${linter.fix ? `; \`${linter.fix}\` fixes them` : ''}.`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let failed = 0;
  for (const linter of LINTERS) {
    if ((await runLinter(linter)) !== 0) {
      console.error(failureLine(linter));
      failed++;
    }
  }
  console.log(failed ? `lint: ${failed} of ${LINTERS.length} checks failed` : `lint: ${LINTERS.map((l) => l.name).join(', ')} clean`);
  process.exit(failed ? 1 : 0);
}
