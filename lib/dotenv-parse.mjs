// @ts-check
// Reading .env text exactly as the `dotenv` package reads it (the CLI's
// `run`/`pull` and the import preview share this). dotenv is the authority on
// keys and values; beside it, a light scan finds the line each key was
// written on, for the import preview's `Duplicate in file` (dotenv keeps the
// last of two equal keys and says nothing).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

/** @typedef {(src: string, options?: { fast?: boolean }) => Record<string, string>} DotenvParse */

/** @type {DotenvParse | undefined} */
let dotenvParse;
/** dotenv itself, loaded on first use (`keyhold run` without a fallback never needs it). */
export function dotenvParser() {
  if (!dotenvParse) {
    const dotenv = /** @type {{ parse: DotenvParse }} */ (createRequire(import.meta.url)('dotenv'));
    dotenvParse = (src, options) => dotenv.parse(src, options);
  }
  return dotenvParse;
}

/** A byte-order mark is not part of the first key. @param {string} text */
const withoutBom = (text) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * Parses .env text like dotenv, but into a Map, keeping `__proto__`
 * (dotenv.parse builds a plain {} and silently drops it).
 * `fast`: dotenv's second parser (`parse(src, { fast: true })`, DOTENV_FAST).
 * @param {string} text
 * @param {{ fast?: boolean }} [options]
 * @returns {Map<string, string>}
 */
export function parseDotenv(text, options = {}) {
  const source = withoutBom(text);
  let standIn;
  do standIn = `__keyhold_proto_${randomBytes(6).toString('hex')}__`;
  while (source.includes(standIn));
  // Same characters class as `__proto__` ([\w]), so dotenv sees the same structure;
  // every occurrence is turned back below, in keys and values alike.
  const hidden = source.replace(/^(\s*(?:export\s+)?)__proto__(?=\s*[=:])/gm, `$1${standIn}`);
  const parsed = dotenvParser()(hidden, options.fast ? { fast: true } : undefined);
  /** @type {Map<string, string>} */
  const out = new Map();
  for (const [key, value] of Object.entries(parsed)) {
    out.set(key.replaceAll(standIn, '__proto__'), value.replaceAll(standIn, '__proto__'));
  }
  return out;
}

// dotenv's own LINE expression (dotenv 16–18, default parser), with `d` for the key's position.
const LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

/**
 * Every key dotenv's default parser reads from `text`, in order, with the
 * 1-based line it starts on (a key written twice appears twice). Only where
 * keys are: the values come from parseDotenv.
 * @param {string} text
 * @returns {Array<{ key: string, line: number }>}
 */
export function dotenvKeyLines(text) {
  // dotenv turns CR LF and lone CR into LF before it parses: so do line numbers.
  const source = withoutBom(text).replace(/\r\n?/g, '\n');
  /** @type {Array<{ key: string, line: number }>} */
  const found = [];
  let line = 1;
  let at = 0;
  for (const match of source.matchAll(LINE)) {
    const start = /** @type {[number, number][]} */ (/** @type {any} */ (match).indices)[1][0];
    for (let i = source.indexOf('\n', at); i !== -1 && i < start; i = source.indexOf('\n', i + 1)) line++;
    at = start;
    found.push({ key: match[1], line });
  }
  return found;
}
