// @ts-check
// The API client for a command: --url/--token flags over KEYHOLD_URL/KEYHOLD_TOKEN,
// on the small node:http transport.
import { KeyholdClient } from '../client/index.mjs';
import { UsageError } from './errors.mjs';
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
