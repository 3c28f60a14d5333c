// @ts-check
// keyhold run [--env-file-fallback[=FILE]] [--keep-token] -- <command> [args…]
import fs from 'node:fs';
import { constants } from 'node:os';
import { deployedSecrets } from '../connect.mjs';
import { describeError, EXIT, isUnreachable, UsageError } from '../errors.mjs';
import { closeConnections } from '../http.mjs';

/** @typedef {import('../args.mjs').ParsedArgs} ParsedArgs */

const FORWARDED = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);
/** Signals keyhold re-raises on itself when the command died of them (others: exit 128+n). */
const RERAISE = new Set(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGKILL', 'SIGALRM', 'SIGUSR2']);

/**
 * @param {ParsedArgs} args
 * @returns {Promise<Readonly<Record<string, string>>>}
 */
async function loadSecrets(args) {
  try {
    return (await deployedSecrets(args)).secrets;
  } catch (error) {
    const fallback = args.options['env-file-fallback'];
    if (!fallback || !isUnreachable(error)) throw error;
    const file = fallback === true ? '.env' : fallback;
    const why = describeError(error)
      .line.replace(/\. Check KEYHOLD_URL.*$/, '')
      .replace(/\.$/, '');
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (readError) {
      const code = /** @type {NodeJS.ErrnoException} */ (readError).code ?? String(readError);
      throw new UsageError(`${why}, and the fallback file ${file} cannot be read (${code}).`, EXIT.NETWORK);
    }
    const { parseDotenv } = await import('../dotenv.mjs');
    const secrets = Object.fromEntries(parseDotenv(text));
    process.stderr.write(`keyhold: warning: ${why}; starting with ${file} instead of the deployed secrets.\n`);
    return secrets;
  }
}

/**
 * Says why the command could not be started; returns the shell's exit code for it.
 * @param {string} command
 * @param {unknown} error
 */
function cannotStart(command, error) {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  if (code === 'ENOENT') {
    process.stderr.write(`keyhold: command not found: ${command}\n`);
    return 127;
  }
  if (code === 'EACCES') {
    process.stderr.write(`keyhold: command not executable: ${command}\n`);
    return 126;
  }
  if (code === 'E2BIG') {
    process.stderr.write(
      `keyhold: cannot start ${command}: the environment is too large for the system (E2BIG); read large values with keyhold pull or keyhold/client instead\n`,
    );
    return 126;
  }
  process.stderr.write(`keyhold: cannot start ${command} (${code ?? (error instanceof Error ? error.message : String(error))})\n`);
  return 126;
}

/** @param {ParsedArgs} args @returns {Promise<number>} */
export default async function run(args) {
  const loading = loadSecrets(args);
  loading.catch(() => {}); // awaited below; not "unhandled" while child_process loads
  // Loaded while the request is on its way: after one turn of the event loop, in
  // which Node starts connecting (it does so on the next tick), and synchronously,
  // since an import() would start Node's ESM loader (about 2 ms of `keyhold run`).
  await new Promise((resolve) => setImmediate(resolve));
  const { spawn } = process.getBuiltinModule('node:child_process');
  const secrets = await loading;
  closeConnections();

  // Null prototype: a secret named __proto__ is an ordinary variable here too.
  /** @type {Record<string, string | undefined>} */
  const env = Object.assign(Object.create(null), process.env);
  if (!args.options['keep-token']) delete env.KEYHOLD_TOKEN;
  for (const [key, value] of Object.entries(secrets)) env[key] = value; // secrets win

  const [command, ...commandArgs] = args.commandArgv;
  /** @type {import('node:child_process').ChildProcess} */
  let child;
  try {
    child = spawn(command, commandArgs, { stdio: 'inherit', env });
  } catch (error) {
    return cannotStart(command, error); // E2BIG and the like are thrown, not emitted
  }

  /** @type {Array<[string, () => void]>} */
  const handlers = FORWARDED.map((signal) => [
    signal,
    () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  ]);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  const stopForwarding = () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };

  return new Promise((resolve) => {
    child.on('error', (error) => {
      stopForwarding();
      resolve(cannotStart(command, error));
    });
    child.on('exit', (code, signal) => {
      stopForwarding();
      if (signal === null) {
        resolve(code ?? 1);
        return;
      }
      const number = constants.signals[signal] ?? 0;
      if (RERAISE.has(signal)) {
        // Die the same way, so a shell or supervisor sees the real cause.
        process.kill(process.pid, signal);
        setTimeout(() => resolve(128 + number), 200); // if the signal is ignored
        return;
      }
      resolve(128 + number);
    });
  });
}
