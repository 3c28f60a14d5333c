// @ts-check
// `keyhold import`: reading the file, checking entries with the server's
// rules (lib/secrets/rules.mjs, the same module the server uses), and planning the writes.
import { keyProblem, valueProblem } from '../lib/secrets/rules.mjs';
import { parseDotenv } from './dotenv.mjs';

/** @typedef {'env' | 'json'} ImportFormat */
/** @typedef {{ key: string, value: string }} ImportEntry */
/** @typedef {{ key: string, reason: string }} InvalidEntry */
/** @typedef {{ format: ImportFormat, entries: ImportEntry[], invalid: InvalidEntry[] }} ImportFile */

export class ImportFileError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/**
 * By name: *.json → json; .env, *.env (vtex.env), .env.* (.env.local) → env.
 * @param {string} file
 * @param {string | undefined} explicit  --format
 * @returns {ImportFormat}
 */
export function detectFormat(file, explicit) {
  if (explicit) return explicit === 'json' ? 'json' : 'env';
  const name = file.split(/[\\/]/).pop() ?? file;
  if (/\.json$/i.test(name)) return 'json';
  if (/\.env$/i.test(name) || /^\.env(\..+)?$/i.test(name)) return 'env';
  throw new ImportFileError(`cannot tell the format of ${JSON.stringify(name)} from its name: pass --format env or --format json.`);
}

/** @param {unknown} value */
function jsonKind(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'a nested object';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

/** A key as shown in messages: as is when plain, otherwise quoted and cut. @param {string} key */
export function showKey(key) {
  if (/^[\x21-\x7e]{1,80}$/.test(key)) return key;
  const cut = key.length > 60 ? `${key.slice(0, 60)}…` : key;
  return JSON.stringify(cut);
}

/**
 * @param {string} file  the file's name (for the format)
 * @param {string} text  its contents
 * @param {{ format?: string }} [options]
 * @returns {ImportFile}
 */
export function parseImportFile(file, text, options = {}) {
  const format = detectFormat(file, options.format);
  /** @type {Array<[string, unknown]>} */
  let pairs;
  if (format === 'json') {
    const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    /** @type {unknown} */
    let data;
    try {
      data = JSON.parse(source);
    } catch (error) {
      throw new ImportFileError(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new ImportFileError(`${file} must hold one JSON object of "KEY": "value" pairs (it holds ${jsonKind(data)}).`);
    }
    // JSON.parse keeps "__proto__" as an ordinary own key; Object.entries sees it.
    pairs = Object.entries(data);
  } else {
    pairs = [...parseDotenv(text)];
  }

  /** @type {ImportEntry[]} */
  const entries = [];
  /** @type {InvalidEntry[]} */
  const invalid = [];
  /** @type {Map<string, string>} folded key → key as first seen */
  const seen = new Map();
  for (const [key, raw] of pairs) {
    if (typeof raw !== 'string') {
      invalid.push({ key, reason: `value is ${jsonKind(raw)}; only string values can be imported (write it as a JSON string to import it)` });
      continue;
    }
    const reason = keyProblem(key) ?? valueProblem(raw);
    if (reason) {
      invalid.push({ key, reason });
      continue;
    }
    const folded = key.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined) {
      invalid.push({ key, reason: `differs only by case from ${showKey(earlier)} earlier in the file (keys are unique regardless of case)` });
      continue;
    }
    seen.set(folded, key);
    entries.push({ key, value: raw });
  }
  return { format, entries, invalid };
}

/**
 * @typedef {object} ImportPlan
 * @property {ImportEntry[]} create    not in the environment
 * @property {Array<ImportEntry & { id: string }>} changed    deployed with another value
 * @property {string[]} unchanged      deployed with the same value
 * @property {Array<ImportEntry & { id: string }>} uncompared  in the working set but not deployed: value unknown
 * @property {InvalidEntry[]} invalid
 */

/**
 * Compares the file with the working set (ids, names) and the deployed values.
 * @param {ImportFile} file
 * @param {ReadonlyArray<{ id: string, name: string }>} workingSet  GET /secrets/info
 * @param {Readonly<Record<string, string>> | null} deployed  GET /secrets (null before the first deployment)
 * @returns {ImportPlan}
 */
export function planImport(file, workingSet, deployed) {
  /** @type {Map<string, { id: string, name: string }>} */
  const byFolded = new Map(workingSet.map((s) => [s.name.toLowerCase(), s]));
  /** @type {ImportPlan} */
  const plan = { create: [], changed: [], unchanged: [], uncompared: [], invalid: [...file.invalid] };
  for (const entry of file.entries) {
    const existing = byFolded.get(entry.key.toLowerCase());
    if (!existing) {
      plan.create.push(entry);
    } else if (existing.name !== entry.key) {
      plan.invalid.push({ key: entry.key, reason: `differs only by case from the existing secret ${showKey(existing.name)}` });
    } else if (deployed && Object.prototype.hasOwnProperty.call(deployed, entry.key)) {
      if (deployed[entry.key] === entry.value) plan.unchanged.push(entry.key);
      else plan.changed.push({ ...entry, id: existing.id });
    } else {
      plan.uncompared.push({ ...entry, id: existing.id });
    }
  }
  return plan;
}
