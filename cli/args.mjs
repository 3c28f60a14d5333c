// @ts-check
// Argument parsing for `keyhold`: small and dependency-free (startup time).
// Global options may come before or after the command name; `--` ends options.
import { UsageError } from './errors.mjs';

/**
 * @typedef {{ kind: 'flag' } | { kind: 'value', values?: readonly string[] } | { kind: 'optional-value' }} OptionSpec
 * @typedef {{ options: Record<string, OptionSpec>, aliases?: Record<string, string>, positionals: 'none' | 'one' | 'optional-one' | 'command' }} CommandSpec
 */

/** @type {Record<string, OptionSpec>} */
const GLOBAL_OPTIONS = {
  '--url': { kind: 'value' },
  '--token': { kind: 'value' },
  '--env': { kind: 'value' },
  '--help': { kind: 'flag' },
  '--version': { kind: 'flag' },
};
const GLOBAL_ALIASES = { '-h': '--help', '-V': '--version' };

/** @type {Record<string, CommandSpec>} */
const COMMANDS = {
  run: {
    options: { '--env-file-fallback': { kind: 'optional-value' }, '--keep-token': { kind: 'flag' } },
    positionals: 'command',
  },
  pull: {
    options: { '--out': { kind: 'value' }, '--force': { kind: 'flag' } },
    aliases: { '-o': '--out', '-f': '--force' },
    positionals: 'none',
  },
  import: {
    options: {
      '--overwrite': { kind: 'flag' },
      '--plan': { kind: 'flag' },
      '--format': { kind: 'value', values: ['env', 'dotenv', 'json'] },
    },
    positionals: 'one',
  },
  export: {
    options: { '--format': { kind: 'value', values: ['dotenv', 'json'] } },
    positionals: 'none',
  },
  deploy: { options: {}, positionals: 'none' },
  help: { options: {}, positionals: 'optional-one' },
};

/**
 * @typedef {object} ParsedArgs
 * @property {string | null} command
 * @property {boolean} help
 * @property {boolean} version
 * @property {string | undefined} url
 * @property {string | undefined} token
 * @property {Record<string, string | true>} options  command options by long name without dashes (`out`, `force`, `env-file-fallback`)
 * @property {string[]} positionals
 * @property {string[]} commandArgv  for `run`: the command to start and its arguments
 */

/** @param {string} name @param {string | null} command */
function lookup(name, command) {
  const spec = command ? COMMANDS[command] : undefined;
  const long = (spec?.aliases && spec.aliases[name]) || /** @type {Record<string, string>} */ (GLOBAL_ALIASES)[name] || name;
  const option = spec?.options[long] ?? GLOBAL_OPTIONS[long];
  return option ? { long, option, global: long in GLOBAL_OPTIONS } : null;
}

/** @param {string} command */
const helpHint = (command) => (command ? `keyhold ${command} --help` : 'keyhold --help');

/**
 * @param {readonly string[]} argv  process.argv.slice(2)
 * @returns {ParsedArgs}
 */
export function parseArgs(argv) {
  /** @type {ParsedArgs} */
  const out = { command: null, help: false, version: false, url: undefined, token: undefined, options: {}, positionals: [], commandArgv: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    const cmd = out.command;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.length > 1 && arg.startsWith('-')) {
      const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
      const name = eq === -1 ? arg : arg.slice(0, eq);
      const found = lookup(name, cmd);
      if (!found) {
        const where = cmd ? `keyhold ${cmd}` : 'keyhold';
        const known = cmd
          ? ''
          : COMMANDS.run.options[name] || COMMANDS.pull.options[name] || COMMANDS.import.options[name] || COMMANDS.export.options[name]
            ? ' (it belongs after the command name)'
            : '';
        throw new UsageError(`unknown option ${name} for ${where}${known}. See ${helpHint(cmd ?? '')}.`);
      }
      const { long, option } = found;
      /** @type {string | true} */
      let value = true;
      if (option.kind === 'flag') {
        if (eq !== -1) throw new UsageError(`${long} does not take a value. See ${helpHint(cmd ?? '')}.`);
      } else if (option.kind === 'optional-value') {
        if (eq !== -1) {
          value = arg.slice(eq + 1);
          if (!value) throw new UsageError(`${long}= needs a file name (or leave out "=" for .env).`);
        }
      } else {
        if (eq !== -1) value = arg.slice(eq + 1);
        else {
          const next = argv[i + 1];
          if (next === undefined || next === '--' || (next.startsWith('--') && next.length > 2)) {
            throw new UsageError(`${long} needs a value. See ${helpHint(cmd ?? '')}.`);
          }
          value = next;
          i++;
        }
        if (value === '') throw new UsageError(`${long} needs a value. See ${helpHint(cmd ?? '')}.`);
        if (option.values && !option.values.includes(value)) {
          throw new UsageError(`${long} must be one of ${option.values.join(', ')} (got ${JSON.stringify(value)}).`);
        }
      }
      if (long === '--help') out.help = true;
      else if (long === '--version') out.version = true;
      else if (long === '--url') out.url = /** @type {string} */ (value);
      else if (long === '--token') out.token = /** @type {string} */ (value);
      else out.options[long.slice(2)] = value;
      continue;
    }
    if (cmd === null) {
      if (!(arg in COMMANDS)) {
        throw new UsageError(`unknown command ${JSON.stringify(arg)}. Commands: run, pull, import, export, deploy. See keyhold --help.`);
      }
      out.command = arg;
      continue;
    }
    if (COMMANDS[cmd].positionals === 'command') {
      break; // `keyhold run node server.js`: the command starts here, its options are its own
    }
    out.positionals.push(arg);
  }
  const rest = argv.slice(i);
  const cmd = out.command;
  if (cmd && COMMANDS[cmd].positionals === 'command') out.commandArgv = [...rest];
  else out.positionals.push(...rest);

  if (out.help || out.version || !cmd) return out;
  const kind = COMMANDS[cmd].positionals;
  if (kind === 'command' && out.commandArgv.length === 0) {
    throw new UsageError(`keyhold run needs a command to start, e.g. keyhold run -- node server.js. See keyhold run --help.`);
  }
  if (kind === 'one' && out.positionals.length !== 1) {
    throw new UsageError(
      out.positionals.length === 0
        ? `keyhold ${cmd} needs a file, e.g. keyhold ${cmd} .env. See keyhold ${cmd} --help.`
        : `keyhold ${cmd} takes one file (got ${out.positionals.length}). See keyhold ${cmd} --help.`,
    );
  }
  if (kind === 'none' && out.positionals.length > 0) {
    throw new UsageError(`keyhold ${cmd} takes no arguments (got ${JSON.stringify(out.positionals[0])}). See keyhold ${cmd} --help.`);
  }
  if (kind === 'optional-one' && out.positionals.length > 1) {
    throw new UsageError('keyhold help takes at most one command name.');
  }
  return out;
}
