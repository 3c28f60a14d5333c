// @ts-check
// keyhold import <file> [--overwrite] [--dry-run] [--format env|json]
import fs from 'node:fs';
import { connect } from '../connect.mjs';
import { describeError, EXIT, UsageError } from '../errors.mjs';
import { ImportFileError, parseImportFile, planImport, showKey } from '../import-file.mjs';

/** @typedef {import('../args.mjs').ParsedArgs} ParsedArgs */
/** @typedef {import('../import-file.mjs').ImportPlan} ImportPlan */

/** Errors after which no further write can succeed. */
const FATAL = new Set([
  'missing_token', 'invalid_token', 'token_expired', 'token_revoked', 'insufficient_scope',
  'network_error', 'timeout', 'rate_limited', 'internal_error', 'bad_response', 'method_not_allowed', 'not_found',
]);

/** @param {string[]} keys */
const names = (keys) => {
  const shown = keys.slice(0, 20).map(showKey).join(', ');
  return keys.length > 20 ? `${shown}, … and ${keys.length - 20} more` : shown;
};

/** @param {string} label @param {string[]} keys @param {string} [note] */
const row = (label, keys, note = '') => `  ${label.padEnd(13)}${String(keys.length).padStart(4)}${keys.length ? `  ${names(keys)}` : ''}${keys.length && note ? `  ${note}` : ''}`;

/** @param {ParsedArgs} args @returns {Promise<number>} */
export default async function importCommand(args) {
  const file = args.positionals[0];
  const overwrite = args.options.overwrite === true;
  const dryRun = args.options['dry-run'] === true;
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file} (${/** @type {NodeJS.ErrnoException} */ (error).code ?? String(error)}).`);
  }
  let parsed;
  try {
    parsed = parseImportFile(file, text, { format: typeof args.options.format === 'string' ? args.options.format : undefined });
  } catch (error) {
    if (error instanceof ImportFileError) throw new UsageError(error.message);
    throw error;
  }

  const client = connect(args);
  const workingSet = await client.listSecretInfo(); // needs a read-write token: 403 insufficient_scope otherwise
  /** @type {Readonly<Record<string, string>> | null} */
  let deployed = null;
  /** @type {number | null} */
  let deployment = null;
  try {
    const snapshot = await client.fetchSecrets();
    deployed = snapshot.secrets;
    deployment = snapshot.deployment;
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error).code !== 'not_deployed') throw error;
  }
  const plan = planImport(parsed, workingSet, deployed);

  /** @type {string[]} */
  const created = [];
  /** @type {string[]} */
  const updated = [];
  /** @type {Array<{ key: string, line: string }>} */
  const failed = [];
  /** @type {unknown} */
  let fatal = null;
  const updates = overwrite ? [...plan.changed, ...plan.uncompared] : [];
  if (!dryRun) {
    const writes = [
      ...plan.create.map((entry) => ({ entry, write: () => client.createSecret({ name: entry.key, value: entry.value }), done: created })),
      ...updates.map((entry) => ({ entry, write: () => client.updateSecret(entry.id, { value: entry.value }), done: updated })),
    ];
    for (const { entry, write, done } of writes) {
      try {
        await write();
        done.push(entry.key);
      } catch (error) {
        const code = /** @type {{ code?: string }} */ (error).code ?? '';
        if (FATAL.has(code)) {
          fatal = error;
          break;
        }
        failed.push({ key: entry.key, line: describeError(error, { command: 'import' }).line });
      }
    }
  }

  const against = deployed
    ? `compared with the values of deployment ${deployment ?? '(unknown)'}; edits since then are not visible to the API`
    : 'the environment has no successful deployment yet, so existing keys cannot be compared';
  const out = [
    `${dryRun ? 'Dry run: ' : ''}${file}: ${parsed.entries.length + parsed.invalid.length} entries (${parsed.format === 'json' ? 'JSON' : 'dotenv'}), ${against}.`,
    row('new', plan.create.map((e) => e.key)),
    row('changed', plan.changed.map((e) => e.key), overwrite ? '' : '(kept: pass --overwrite to update)'),
    row('unchanged', plan.unchanged),
  ];
  if (plan.uncompared.length) {
    out.push(row('not compared', plan.uncompared.map((e) => e.key), overwrite ? '(exist, not deployed yet)' : '(exist, not deployed yet: kept; --overwrite updates them)'));
  }
  out.push(`  ${'invalid'.padEnd(13)}${String(plan.invalid.length).padStart(4)}`);
  for (const { key, reason } of plan.invalid) out.push(`    ${showKey(key)}: ${reason}`);
  if (dryRun) {
    out.push(`Nothing was written. Without --dry-run: ${plan.create.length} created, ${updates.length} updated.`);
  } else {
    out.push(`Created ${created.length}, updated ${updated.length}${failed.length ? `, failed ${failed.length}` : ''}.`);
    for (const { key, line } of failed) out.push(`    ${showKey(key)}: ${line}`);
    if (created.length + updated.length > 0) {
      out.push('Changes take effect with the next successful deployment (Redeploy in Keyhold).');
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);

  if (fatal) {
    const pending = plan.create.length + updates.length - created.length - updated.length - failed.length;
    const { line, exitCode } = describeError(fatal, { command: 'import' });
    process.stderr.write(`keyhold: ${line}\nkeyhold: stopped with ${pending} write${pending === 1 ? '' : 's'} not done.\n`);
    return exitCode;
  }
  if (failed.length) return EXIT.API;
  if (plan.invalid.length) return EXIT.USAGE;
  return EXIT.OK;
}
