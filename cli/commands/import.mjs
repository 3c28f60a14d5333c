// @ts-check
// keyhold import <file> [--plan] [--overwrite] [--format env|json]
//
// The preview and the apply of the Import dialog, through the API: the server
// parses the file (with dotenv), compares it with the working set and answers
// a preview; applying sends the preview's id with the same text, and the
// server refuses (with a fresh preview) when anything it looked at changed.
import fs from 'node:fs';
import { connect } from '../connect.mjs';
import { EXIT, UsageError } from '../errors.mjs';
import { detectFormat, ImportFileError, showKey } from '../import-file.mjs';

/** @typedef {import('../args.mjs').ParsedArgs} ParsedArgs */
/** @typedef {import('../../client/index.d.mts').ImportPreview} ImportPreview */
/** @typedef {import('../../client/index.d.mts').ImportRow} ImportRow */

const LABELS = /** @type {const} */ ({ new: 'New', changed: 'Changed', unchanged: 'Unchanged', invalid: 'Invalid', duplicate: 'Duplicate in file' });

/** @param {string[]} keys */
const names = (keys) => {
  const shown = keys.slice(0, 20).map(showKey).join(', ');
  return keys.length > 20 ? `${shown}, … and ${keys.length - 20} more` : shown;
};

/** "line 3", "lines 3 and 7", "lines 3, 5 and 7". @param {number[]} lines */
const linesText = (lines) =>
  lines.length === 0 ? '' : lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;

/**
 * The preview as lines: a count per status, the keys of new/changed/unchanged,
 * every invalid key with its rule and every duplicate with its lines. Never a value.
 * @param {ImportPreview} preview @param {boolean} overwrite
 */
function previewLines(preview, overwrite) {
  const several = preview.environments.length > 1;
  /** @param {ImportRow} row */
  const label = (row) => (several && row.environment ? `${showKey(row.key)} (${row.environment})` : showKey(row.key));
  /** @param {keyof typeof LABELS} status */
  const rows = (status) => preview.rows.filter((r) => r.status === status);
  /** @param {keyof typeof LABELS} status @param {string} [note] */
  const line = (status, note = '') => {
    const keys = status === 'invalid' || status === 'duplicate' ? [] : rows(status).map(label);
    return `  ${LABELS[status].padEnd(18)}${String(preview.counts[status]).padStart(4)}${keys.length ? `  ${names(keys)}` : ''}${keys.length && note ? `  ${note}` : ''}`;
  };
  const out = [line('new'), line('changed', overwrite ? '(overwritten)' : '(skipped: pass --overwrite to update them)'), line('unchanged'), line('invalid')];
  for (const row of rows('invalid')) {
    const where = [linesText(row.lines), several && row.environment ? row.environment : ''].filter(Boolean).join(', ');
    out.push(`    ${showKey(row.key)}${where ? ` (${where})` : ''}: ${row.reason ?? ''}`);
  }
  out.push(line('duplicate'));
  for (const row of rows('duplicate')) out.push(`    ${showKey(row.key)}: ${linesText(row.lines)}`);
  return out;
}

/** @param {ParsedArgs} args @returns {Promise<number>} */
export default async function importCommand(args) {
  const file = args.positionals[0];
  const overwrite = args.options.overwrite === true;
  const planOnly = args.options.plan === true;
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file} (${/** @type {NodeJS.ErrnoException} */ (error).code ?? String(error)}).`);
  }
  let format;
  try {
    format = detectFormat(file, typeof args.options.format === 'string' ? args.options.format : undefined);
  } catch (error) {
    if (error instanceof ImportFileError) throw new UsageError(error.message);
    throw error;
  }

  const client = connect(args);
  const preview = await client.previewImport({ format, text }); // a read-only token: 403 insufficient_scope
  const skipped = preview.counts.invalid + preview.counts.duplicate;
  const out = [
    `${file} (${format === 'json' ? 'JSON' : 'dotenv'}) into ${preview.environments.join(', ')}: preview ${preview.id}`,
    ...previewLines(preview, overwrite),
  ];

  if (planOnly) {
    const updates = overwrite ? preview.counts.changed : 0;
    out.push(`Nothing was written (--plan). Without --plan: ${preview.counts.new} created, ${updates} updated.`);
    process.stdout.write(`${out.join('\n')}\n`);
    return skipped ? EXIT.USAGE : EXIT.OK;
  }

  const changedKeys = overwrite ? preview.rows.filter((r) => r.status === 'changed').map((r) => r.key) : [];
  const outcome = await client.applyImport({ format, text, previewId: preview.id, overwrite: changedKeys });
  if ('stale' in outcome) {
    out.push(`keyhold: ${outcome.message} Nothing was written. The new preview:`, ...previewLines(outcome.stale, overwrite));
    out.push('Run keyhold import again to apply it.');
    process.stdout.write(`${out.join('\n')}\n`);
    return EXIT.API;
  }
  const { created, updated } = outcome.applied;
  out.push(`Created ${created}, updated ${updated}.`);
  if (created + updated > 0) out.push('Changes take effect with the next successful deployment (Redeploy in Keyhold).');
  process.stdout.write(`${out.join('\n')}\n`);
  return skipped ? EXIT.USAGE : EXIT.OK;
}
