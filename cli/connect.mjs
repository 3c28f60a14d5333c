// @ts-check
// The API client for a command: --url/--token flags over KEYHOLD_URL/KEYHOLD_TOKEN,
// on the small node:http transport.
import { KeyholdClient } from '../client/index.mjs';
import { EXIT, UsageError } from './errors.mjs';
import { nodeFetch } from './http.mjs';
import { CLI_VERSION } from './version.mjs';

/**
 * @param {{ url?: string, token?: string }} args
 * @param {NodeJS.ProcessEnv} [env]
 */
export function connect(args, env = process.env) {
  const url = (args.url ?? env.KEYHOLD_URL ?? '').trim();
  const token = (args.token ?? env.KEYHOLD_TOKEN ?? '').trim();
  if (!url) throw new UsageError('KEYHOLD_URL is not set: export KEYHOLD_URL=https://your-keyhold.example (or pass --url).');
  if (!token) {
    throw new UsageError('KEYHOLD_TOKEN is not set: create a service token in Settings → Tokens and export KEYHOLD_TOKEN=kh_… (or pass --token).');
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError('KEYHOLD_TOKEN contains spaces or characters a token never has; tokens look like kh_ followed by 43 letters, digits, - and _.');
  }
  return new KeyholdClient({ url, token, fetch: nodeFetch, userAgent: `keyhold-cli/${CLI_VERSION}` });
}

/**
 * The deployed secrets, checked against `--env` when given: a token reads one
 * environment, and `--env` makes a mix-up (a staging token in a production
 * script) an error instead of a silent wrong set.
 * @param {{ url?: string, token?: string, options: Record<string, string | true> }} args
 */
export async function deployedSecrets(args) {
  const snapshot = await connect(args).fetchSecrets();
  const wanted = args.options.env;
  if (typeof wanted === 'string' && snapshot.environment !== null && snapshot.environment !== wanted) {
    throw new UsageError(`this token reads ${snapshot.environment}, not ${wanted}: use a ${wanted} token (Settings → Tokens).`, EXIT.API);
  }
  return snapshot;
}
