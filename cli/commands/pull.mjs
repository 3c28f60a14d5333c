// @ts-check
// keyhold pull [--out .env] [--force]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { deployedSecrets } from '../connect.mjs';
import { DotenvFormatError, isUntouchedPull, parseDotenv, serializeDotenv, withPullHeader } from '../dotenv.mjs';
import { UsageError } from '../errors.mjs';

/** @typedef {import('../args.mjs').ParsedArgs} ParsedArgs */

/** @param {unknown} error */
const errno = (error) => /** @type {NodeJS.ErrnoException} */ (error).code ?? String(error);

/** @param {string[]} keys */
const list = (keys) => (keys.length > 8 ? `${keys.slice(0, 8).join(', ')}, … (${keys.length})` : keys.join(', '));

/**
 * What differs between a file and the deployed values, by key name only.
 * @param {string} text
 * @param {Readonly<Record<string, string>>} secrets
 */
function describeDifference(text, secrets) {
  let local;
  try {
    local = parseDotenv(text);
  } catch {
    return 'it cannot be read as a .env file';
  }
  const deployed = new Map(Object.entries(secrets));
  const onlyLocal = [...local.keys()].filter((k) => !deployed.has(k));
  const missing = [...deployed.keys()].filter((k) => !local.has(k));
  const changed = [...local.keys()].filter((k) => deployed.has(k) && deployed.get(k) !== local.get(k));
  const parts = [];
  if (changed.length) parts.push(`different values: ${list(changed)}`);
  if (onlyLocal.length) parts.push(`only in the file: ${list(onlyLocal)}`);
  if (missing.length) parts.push(`not in the file: ${list(missing)}`);
  return parts.length ? parts.join('; ') : 'same values, but comments or formatting differ';
}

/** Writes next to the target and renames over it: never a half-written or world-readable file. @param {string} target @param {string} text */
function writeAtomically(target, text) {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.keyhold-${randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(tmp, 0o600); // whatever the umask
    fs.renameSync(tmp, target);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${target} (${errno(error)}).`);
  }
}

/** Warns when git would commit the file; silent outside a repository or without git. @param {string} target @param {string} shown */
function warnIfNotIgnored(target, shown) {
  const result = spawnSync('git', ['check-ignore', '-q', '--', path.basename(target)], {
    cwd: path.dirname(target),
    stdio: 'ignore',
    timeout: 5000,
  });
  if (result.status === 1) {
    process.stderr.write(`keyhold: warning: ${shown} is not ignored by git; add it to .gitignore so these secrets are never committed.\n`);
  }
}

/** @param {ParsedArgs} args @returns {Promise<number>} */
export default async function pull(args) {
  const out = typeof args.options.out === 'string' ? args.options.out : '.env';
  const target = path.resolve(out);
  const snapshot = await deployedSecrets(args);
  let body;
  try {
    body = serializeDotenv(snapshot.secrets);
  } catch (error) {
    if (error instanceof DotenvFormatError) throw new UsageError(error.message);
    throw error;
  }
  const text = withPullHeader(body, snapshot);
  const count = Object.keys(snapshot.secrets).length;
  const from = snapshot.deployment === null ? '' : ` from deployment ${snapshot.deployment}`;

  /** @type {string | null} */
  let existing = null;
  try {
    existing = fs.readFileSync(target, 'utf8');
  } catch (error) {
    if (errno(error) !== 'ENOENT') throw new UsageError(`cannot read ${out} (${errno(error)}).`);
  }

  if (existing === text) {
    const mode = fs.statSync(target).mode & 0o777;
    if (mode !== 0o600) fs.chmodSync(target, 0o600);
    process.stdout.write(`${out} is up to date (${count} secrets${from})${mode !== 0o600 ? '; permissions set to 0600' : ''}.\n`);
  } else {
    if (existing !== null && !args.options.force && !isUntouchedPull(existing)) {
      throw new UsageError(
        `${out} exists and has local changes (${describeDifference(existing, snapshot.secrets)}); not overwritten. Pass --force to replace it.`,
      );
    }
    writeAtomically(target, text);
    process.stdout.write(`Wrote ${count} secret${count === 1 ? '' : 's'}${from} to ${out} (mode 0600).\n`);
  }
  warnIfNotIgnored(target, out);
  return 0;
}
