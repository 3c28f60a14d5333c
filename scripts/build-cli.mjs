// Bundles the CLI (cli/keyhold.mjs and what it imports) into one CommonJS
// file, cli/dist/keyhold.cjs, which cli/bin.cjs runs while it is newer than
// every CLI source: one file read and no ESM loader is most of what keeps
// `keyhold run` close to Node's own start-up (bench/cli.mjs). Runs on
// `npm install` (postinstall) and `npm run build:cli`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const outfile = path.join(root, 'cli/dist/keyhold.cjs');
const { outputFiles } = await build({
  entryPoints: [path.join(root, 'cli/keyhold.mjs')],
  outfile,
  write: false,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Packages (dotenv) stay in node_modules; only the CLI's own files are bundled.
  packages: 'external',
  // cli/dotenv.mjs loads dotenv with createRequire(import.meta.url).
  define: { 'import.meta.url': '__keyholdBundleUrl' },
  banner: { js: "'use strict';\nconst __keyholdBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  logLevel: 'warning',
});

// Written aside, then renamed: a `keyhold` starting meanwhile reads the old bundle or the new one, never half of one.
fs.mkdirSync(path.dirname(outfile), { recursive: true });
fs.writeFileSync(`${outfile}.${process.pid}.tmp`, outputFiles[0].contents);
fs.renameSync(`${outfile}.${process.pid}.tmp`, outfile);
