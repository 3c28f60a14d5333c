// @ts-check
// keyhold export [--format dotenv|json]
import { deployedSecrets } from '../connect.mjs';
import { DotenvFormatError, serializeDotenv } from '../dotenv.mjs';
import { UsageError } from '../errors.mjs';

/** @typedef {import('../args.mjs').ParsedArgs} ParsedArgs */

/** @param {ParsedArgs} args @returns {Promise<number>} */
export default async function exportCommand(args) {
  const format = args.options.format === 'json' ? 'json' : 'dotenv';
  const { secrets } = await deployedSecrets(args);
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(secrets, null, 2)}\n`);
    return 0;
  }
  try {
    process.stdout.write(serializeDotenv(secrets));
  } catch (error) {
    if (error instanceof DotenvFormatError) throw new UsageError(error.message);
    throw error;
  }
  return 0;
}
