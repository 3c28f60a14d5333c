#!/usr/bin/env node
// The `keyhold` command (package.json bin). Runs the CLI bundled into one
// file (cli/dist/keyhold.cjs, made by scripts/build-cli.mjs on npm install)
// when it is newer than every CLI source, else the sources (cli/keyhold.mjs):
// an edited or freshly pulled source is never shadowed by an old bundle.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, 'dist', 'keyhold.cjs');

/** Whether any source under `dir` (the bundle's folder aside) changed after `time`. */
function changedSince(dir, time) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory() ? file !== path.dirname(bundle) && changedSince(file, time) : fs.statSync(file).mtimeMs > time) {
      return true;
    }
  }
  return false;
}

let fresh = false;
try {
  const built = fs.statSync(bundle).mtimeMs;
  fresh = !changedSince(__dirname, built) && fs.statSync(path.join(__dirname, '..', 'client', 'index.mjs')).mtimeMs <= built;
} catch {
  // no bundle (not built yet): the sources
}
if (fresh) require(bundle);
else import('./keyhold.mjs');
