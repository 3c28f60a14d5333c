// @ts-check
// Reading and writing .env files exactly as the `dotenv` package reads them.
//
// dotenv has no escapes beyond \n and \r inside double quotes, trims unquoted
// values, turns every CR into LF before parsing, and builds its result in a
// plain {} (a `__proto__` line silently disappears). So:
//   - the writer writes each value by the rules of lib/dotenv-format.mjs (the
//     same rules the API's ?format=dotenv uses) and checks the whole file by
//     parsing it back with both of dotenv's parsers; a value no form can carry
//     is refused with its key named, never mangled;
//   - the reader (lib/dotenv-parse.mjs) hides `__proto__` keys from dotenv behind a unique stand-in.
import { createHash } from 'node:crypto';
import { dotenvProblem, dotenvValue } from '../lib/dotenv-format.mjs';
import { dotenvParser, parseDotenv } from '../lib/dotenv-parse.mjs';

export { parseDotenv };

/** What dotenv.parse itself returns, as a Map. @param {string} text @param {{ fast?: boolean }} [options] */
const dotenvParsed = (text, options) => new Map(Object.entries(dotenvParser()(text, options?.fast ? { fast: true } : undefined)));

export class DotenvFormatError extends Error {
  /** @param {{ key: string, reason: string }[]} refused */
  constructor(refused) {
    const shown =
      refused
        .slice(0, 10)
        .map(({ key, reason }) => `${key} (${reason})`)
        .join(', ') + (refused.length > 10 ? `, … (${refused.length} in all)` : '');
    super(
      `cannot write ${refused.length === 1 ? 'this secret' : 'these secrets'} to a .env file that dotenv reads back identically: ${shown}. Use keyhold run, or export --format json.`,
    );
    this.name = 'DotenvFormatError';
    this.keys = refused.map(({ key }) => key);
  }
}

/** @param {Iterable<[string, string]> | Readonly<Record<string, string>>} secrets */
const entriesOf = (secrets) => (Symbol.iterator in secrets ? [.../** @type {Iterable<[string, string]>} */ (secrets)] : Object.entries(secrets));

/**
 * The whole environment as .env text, keys sorted, one `KEY=value` each
 * (multi-line values inside quotes). Checked by parsing it back.
 * @param {Iterable<[string, string]> | Readonly<Record<string, string>>} secrets
 * @returns {string}
 */
export function serializeDotenv(secrets) {
  const entries = entriesOf(secrets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  /** @type {string[]} */
  const lines = [];
  /** @type {{ key: string, reason: string }[]} */
  const refused = [];
  for (const [key, value] of entries) {
    const problem = dotenvProblem(key, value);
    if (problem === null) lines.push(`${key}=${dotenvValue(value)}`);
    else refused.push({ key, reason: problem });
  }
  if (refused.length) throw new DotenvFormatError(refused);
  const text = lines.length ? `${lines.join('\n')}\n` : '';
  // Checked with dotenv itself (not parseDotenv, which keeps __proto__): what the app will read.
  for (const back of [dotenvParsed(text), dotenvParsed(text, { fast: true })]) {
    const wrong = entries.filter(([key, value]) => back.get(key) !== value).map(([key]) => ({ key, reason: 'dotenv reads it back differently' }));
    if (wrong.length || back.size !== entries.length)
      throw new DotenvFormatError(wrong.length ? wrong : [{ key: '(extra keys)', reason: 'dotenv reads keys that were not written' }]);
  }
  return text;
}

// `keyhold pull` files start with a line recording a checksum of the rest, so
// the next pull can tell an untouched file from one with local edits.
const HEADER = /^# Written by keyhold pull[^\n]*\bsha256=([0-9a-f]{64})[^\n]*\n/;

/** @param {string} body */
const sha256 = (body) => createHash('sha256').update(body, 'utf8').digest('hex');

/**
 * @param {string} body  serializeDotenv output
 * @param {{ deployment: number | null }} meta
 */
export function withPullHeader(body, meta) {
  const from = meta.deployment === null ? '' : ` from deployment ${meta.deployment}`;
  return `# Written by keyhold pull${from}; edit it and the next pull stops unless --force. sha256=${sha256(body)}\n${body}`;
}

/** True when `text` is a keyhold pull file nobody edited since. @param {string} text */
export function isUntouchedPull(text) {
  const match = HEADER.exec(text);
  return match !== null && sha256(text.slice(match[0].length)) === match[1];
}
