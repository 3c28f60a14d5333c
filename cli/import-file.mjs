// @ts-check
// `keyhold import`: which format a file is, and how keys are shown. Parsing,
// checking and comparing happen on the server (POST /api/v1/imports/preview),
// the same code the Import dialog uses, so both paths agree.

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
 * @returns {'env' | 'json'}
 */
export function detectFormat(file, explicit) {
  if (explicit) return explicit === 'json' ? 'json' : 'env';
  const name = file.split(/[\\/]/).pop() ?? file;
  if (/\.json$/i.test(name)) return 'json';
  if (/\.env$/i.test(name) || /^\.env(\..+)?$/i.test(name)) return 'env';
  throw new ImportFileError(`cannot tell the format of ${JSON.stringify(name)} from its name: pass --format env or --format json.`);
}

/** A key as shown in messages: as is when plain, otherwise quoted and cut. @param {string} key */
export function showKey(key) {
  if (/^[\x21-\x7e]{1,80}$/.test(key)) return key;
  const cut = key.length > 60 ? `${key.slice(0, 60)}…` : key;
  return JSON.stringify(cut);
}
