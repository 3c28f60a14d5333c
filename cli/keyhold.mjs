#!/usr/bin/env node
// @ts-check
// keyhold: the Keyhold CLI (talks to the HTTP API /api/v1 only).
// Plain ESM on purpose: `keyhold run` must start fast, so nothing here is
// compiled and each command's module is loaded only when it runs.
import { parseArgs } from './args.mjs';
import { describeError, EXIT } from './errors.mjs';

/** @typedef {import('./args.mjs').ParsedArgs} ParsedArgs */

/** @param {ParsedArgs} args @returns {Promise<number>} */
async function dispatch(args) {
  switch (args.command) {
    case 'run':
      return (await import('./commands/run.mjs')).default(args);
    case 'pull':
      return (await import('./commands/pull.mjs')).default(args);
    case 'import':
      return (await import('./commands/import.mjs')).default(args);
    case 'export':
      return (await import('./commands/export.mjs')).default(args);
    case 'deploy':
      return (await import('./commands/deploy.mjs')).default(args);
    default:
      throw new Error(`no such command ${args.command}`);
  }
}

/** @param {string[]} argv @returns {Promise<number>} */
async function main(argv) {
  /** @type {ParsedArgs} */
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    const { line, exitCode } = describeError(error);
    process.stderr.write(`keyhold: ${line}\n`);
    return exitCode;
  }
  if (args.version) {
    const { CLI_VERSION } = await import('./version.mjs');
    process.stdout.write(`keyhold ${CLI_VERSION}\n`);
    return EXIT.OK;
  }
  if (args.help || args.command === 'help' || args.command === null) {
    const { HELP } = await import('./help.mjs');
    const topic = args.command === 'help' ? args.positionals[0] : args.command;
    if (topic !== undefined && topic !== null && !(topic in HELP)) {
      process.stderr.write(`keyhold: no help for ${JSON.stringify(topic)}. Commands: run, pull, import, export, deploy.\n`);
      return EXIT.USAGE;
    }
    const text = HELP[/** @type {keyof typeof HELP} */ (topic ?? 'main')];
    // `keyhold` alone is a usage error: help goes to stderr, exit 1.
    const asked = args.help || args.command === 'help';
    (asked ? process.stdout : process.stderr).write(text.endsWith('\n') ? text : `${text}\n`);
    return asked ? EXIT.OK : EXIT.USAGE;
  }
  try {
    return await dispatch(args);
  } catch (error) {
    const { line, exitCode } = describeError(error, { command: args.command });
    process.stderr.write(`keyhold: ${line}\n`);
    return exitCode;
  } finally {
    (await import('./http.mjs')).closeConnections(); // kept-alive sockets must not hold the process open
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`keyhold: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = EXIT.API;
  },
);
