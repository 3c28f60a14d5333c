// @ts-check
// The one place that knows Keyhold's two database providers. prisma/schema.prisma
// (SQLite) is the source; the PostgreSQL schema is derived from it (provider and
// client output swapped), so both always describe the same model. Each provider
// keeps its own migrations folder and generated client.

/** @typedef {'sqlite' | 'postgresql'} Provider */

export const PROVIDERS = /** @type {const} */ ({
  // migrations: the folder inside prisma/ (or the prismaDir given to `migrate.mjs new`).
  sqlite: { migrations: 'migrations', clientDir: 'lib/generated/prisma' },
  postgresql: { migrations: 'migrations-postgresql', clientDir: 'lib/generated/prisma-pg' },
});

/**
 * PostgreSQL only: the table of the shared rate limits (lib/rate-limits.ts),
 * made at run time by rate-limiter-flexible. Transient state, not Keyhold's
 * data: backups leave it out and a restore ignores it.
 */
export const RATE_LIMIT_TABLE = 'keyhold_rate_limits';

/**
 * The provider a DATABASE_URL names, or null for any other scheme.
 * @param {string} url
 * @returns {Provider | null}
 */
export function providerOf(url) {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgresql';
  return null;
}

/**
 * One line for a DATABASE_URL of another scheme; never the URL itself (it may hold a password).
 * @param {string} url
 */
export function unsupportedUrlMessage(url) {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  return `DATABASE_URL must be a file: URL (SQLite) or a postgresql:// URL (PostgreSQL)${scheme ? `; got "${scheme}:"` : ''}`;
}

/**
 * The source schema rewritten for a provider (the SQLite source as it is).
 * @param {string} source the text of prisma/schema.prisma
 * @param {Provider} provider
 * @param {string} [output] the generator output to set (PostgreSQL client generation)
 * @returns {string}
 */
export function schemaFor(source, provider, output) {
  if (provider === 'sqlite') return source;
  let schema = source.replace(/(datasource\s+\w+\s*\{[^}]*provider\s*=\s*)"sqlite"/, `$1"${provider}"`);
  if (output) schema = schema.replace(/(generator\s+client\s*\{[^}]*output\s*=\s*)"[^"]*"/, `$1${JSON.stringify(output)}`);
  if (!schema.includes(`"${provider}"`)) throw new Error('prisma/schema.prisma: no sqlite datasource to derive from');
  return schema;
}
