// @ts-check
// Writes secrets as a `.env` file that the `dotenv` package (v16–v18, both
// its default parser and `{ fast: true }`) reads back to exactly the same
// values. Plain JavaScript with no imports, so the API (lib/deploys/live.ts) and
// the CLI (cli/dotenv.mjs) share one rule set; tests/dotenv-format.test.ts is the proof.
//
// What dotenv can read back, and so the rules (first that fits wins):
//  1. bare       KEY=value      value is non-empty and only [A-Za-z0-9_./:@+=,%~^\-] — nothing dotenv trims,
//                               cuts at (#), unquotes or expands (backslashes are literal outside quotes).
//  2. single     KEY='value'    no ' and no CR in the value; newlines stay literal. No escapes are processed.
//  3. double     KEY="value"    no " and no backslash followed by n or r in the value (dotenv turns \n and \r
//                               into LF and CR in double quotes and nothing else); LF and CR are written as
//                               \n and \r, so CR survives (dotenv turns raw CR LF into LF before parsing).
//  4. backtick   KEY=`value`    no ` and no CR.
//  5. one line with every quote kind: dotenv strips one pair of matching outer quotes from a line it could not
//     read as quoted, so 'value' (no CR) or "value" (CR as \r, no backslash-n/r) works when the value has no
//     #, LF, U+2028 or U+2029.
// Under every quoted rule the value must not end with a backslash: dotenv would take \' (\", \`) as an
// escaped quote and read on into the following lines.
// A value no rule fits (e.g. one ending in a backslash that needs quotes, or one with ', " and ` and a
// newline) cannot be written: it is left out, named in `skipped`, with a comment line saying so.
// Empty values are written as KEY=''. Keys are written as they are; Keyhold keys ([A-Za-z_][A-Za-z0-9_]*)
// are valid dotenv keys, except `__proto__`: dotenv.parse builds a plain {} and silently drops it, so it is
// left out and named like an unwritable value (nothing may vanish without a word).

const BARE = /^[A-Za-z0-9_./:@+=,%~^\\-]+$/;
const BACKSLASH_N_OR_R = /\\[nr]/;
const LINE_BREAKS = /[#\n\u2028\u2029]/;

const SKIP_REASONS = Object.freeze({
  key: 'dotenv drops a key with this name',
  value: 'its value cannot be written in .env format',
});

/**
 * Why dotenv cannot read `key` back (one of SKIP_REASONS), or null when it can.
 * @param {string} key
 * @returns {string | null}
 */
function dotenvKeyProblem(key) {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && key !== '__proto__' ? null : SKIP_REASONS.key;
}

/**
 * Why `key=value` cannot be written so that dotenv reads it back exactly, or null.
 * @param {string} key
 * @param {string} value
 * @returns {string | null}
 */
export function dotenvProblem(key, value) {
  return dotenvKeyProblem(key) ?? (dotenvValue(value) === null ? SKIP_REASONS.value : null);
}

/** The right-hand side of `KEY=` for `value`, or null when dotenv cannot read it back exactly. */
/**
 * @param {string} value
 * @returns {string | null}
 */
export function dotenvValue(value) {
  if (BARE.test(value)) return value;
  if (value.endsWith('\\')) return null;
  const cr = value.includes('\r');
  if (!cr && !value.includes("'")) return `'${value}'`;
  const doubleSafe = !BACKSLASH_N_OR_R.test(value);
  const doubled = () => `"${value.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`;
  if (doubleSafe && !value.includes('"')) return doubled();
  if (!cr && !value.includes('`')) return `\`${value}\``;
  if (!LINE_BREAKS.test(value)) {
    if (!cr) return `'${value}'`;
    if (doubleSafe) return doubled();
  }
  return null;
}

/**
 * @typedef {object} DotenvResult
 * @property {string} text  The file: one `KEY=value` line per secret, LF line endings, ending with a newline (empty for no secrets).
 * @property {string[]} skipped  Keys dotenv cannot read back exactly (by name or value); they are left out of `text` (a comment names each, with why).
 */

/** Serializes key/value pairs in the given order (pass them sorted for a stable file). */
/**
 * @param {Iterable<readonly [string, string]>} entries
 * @returns {DotenvResult}
 */
export function toDotenv(entries) {
  /** @type {string[]} */
  const lines = [];
  /** @type {string[]} */
  const skipped = [];
  for (const [key, value] of entries) {
    const problem = dotenvProblem(key, value);
    if (problem === null) {
      lines.push(`${key}=${dotenvValue(value)}`);
    } else {
      skipped.push(key);
      lines.push(`# ${key} is left out: ${problem} (read it as JSON)`);
    }
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', skipped };
}
