// @ts-check
// `keyhold --help` and `keyhold <command> --help` (loaded only when asked for).

const CONNECTION = `Connection (every command):
  --url <url>      Keyhold server, e.g. https://keyhold.example.com   [env KEYHOLD_URL]
  --token <token>  service token kh_…; prefer the variable: flags show
                   up in the process list and shell history            [env KEYHOLD_TOKEN]
  --env <name>     the environment you expect, e.g. production: refused (exit 2)
                   when the token reads another one
  The token decides the project and environment that are read.`;

const EXIT_CODES = `Exit codes:
  0  success
  1  usage: bad arguments, missing KEYHOLD_URL/KEYHOLD_TOKEN, unreadable or
     invalid input file, a .env that pull refuses to overwrite
  2  the Keyhold API answered with an error (token, scope, not deployed,
     validation, rate limit, server error); one line on stderr names its code;
     keyhold deploy: the deployment failed
  3  the Keyhold API could not be reached (connection, DNS, TLS, timeout)
  keyhold run: once the command has started, its own exit code (128+n, or the
  same signal, when it was killed by signal n)`;

export const HELP = {
  main: `keyhold: read Keyhold secrets from scripts, services and CI

Usage:
  keyhold run [--env <name>] [--env-file-fallback[=FILE]] [--keep-token] -- <command> [args…]
  keyhold pull [--out .env] [--force]
  keyhold import <file> [--plan] [--overwrite] [--format env|json]
  keyhold export [--format dotenv|json]
  keyhold deploy
  keyhold <command> --help
  keyhold --version

Reads come from the environment's latest successful deployment. Writes
(import) go to the working set and take effect with the next deployment
(deploy).

${CONNECTION}

${EXIT_CODES}
`,

  run: `Usage: keyhold run [--env-file-fallback[=FILE]] [--keep-token] -- <command> [args…]

Starts <command> with the deployed secrets as environment variables.

  • Secrets are merged over the current environment: a secret wins over a
    variable of the same name that is already set.
  • KEYHOLD_TOKEN is removed from the command's environment (it does not need
    Keyhold's token to read its secrets); --keep-token passes it on.
  • The command runs directly, without a shell; use sh -c '…' for pipes or $VARS.
  • stdin, stdout and stderr are the command's own; keyhold prints no values.
  • SIGINT, SIGTERM and SIGHUP are forwarded to the command. keyhold exits with
    the command's exit code; if the command was killed by a signal, keyhold
    ends itself with the same signal (or exits 128+n).
  • A command that cannot be started exits 127 (not found) or 126 (not executable).

Options:
  --env-file-fallback[=FILE]  when the API cannot be reached (network error,
                              timeout, or a 502/503/504 gateway answer; never an
                              auth or other API error), read FILE (default .env)
                              instead and warn on stderr
  --keep-token                pass KEYHOLD_TOKEN on to the command

Everything after the command name (or after --) belongs to the command.

${CONNECTION}
`,

  pull: `Usage: keyhold pull [--out .env] [--force]

Writes the deployed environment to a .env file for local development.

  • The file gets mode 0600 and is written atomically (temporary file + rename).
  • Its first line records a checksum. A file that keyhold wrote and nobody
    edited since is replaced; a file with local edits (or not written by
    keyhold) is left alone and the differing keys are listed: pass --force to
    overwrite it.
  • Values are written so that dotenv reads back exactly the same string
    (multi-line, quotes, #, =, backslashes, unicode, surrounding spaces); a
    value that cannot be written that way stops the pull with its key named.
  • Warns when the file is not ignored by git (git check-ignore); says nothing
    outside a git repository.

Options:
  -o, --out <file>  where to write (default .env)
  -f, --force       overwrite a file that has local edits

${CONNECTION}
`,

  import: `Usage: keyhold import <file> [--plan] [--overwrite] [--format env|json]

Adds the secrets of a .env file, a vtex.env (same syntax) or a flat JSON
object such as secrets.revealed.json to the token's environment, all of it or
nothing, exactly as the Import dialog does. Needs a read-write token.

  • Format: *.json is JSON; .env, *.env and .env.* are dotenv; --format decides
    for other names. The server reads .env text with the dotenv package itself.
  • JSON must be one object of string values. Numbers, booleans, null, arrays
    and nested objects are reported invalid (write the value as a JSON string
    to import it); nothing is converted silently.
  • The preview lists every key as New, Changed, Unchanged (compared with the
    working set), Invalid (with the rule it breaks) or Duplicate in file (with
    its lines). Values are never printed.
  • New secrets are created; changed ones are skipped unless --overwrite.
    Invalid and duplicate keys are left out.
  • Applying sends the preview's id: when a secret it looked at changed
    meanwhile, nothing is written and the new preview is printed.
  • Writes take effect with the next successful deployment.
  • Exits 1 when the file had invalid or duplicate keys, 2 when the API
    refused (including a preview that no longer holds).

Options:
  --plan            print the preview; write nothing
  --overwrite       overwrite the changed secrets too
  --format env|json how to read <file> when its name does not say

${CONNECTION}
`,

  export: `Usage: keyhold export [--format dotenv|json]

Prints the deployed environment to stdout: a .env (default) that dotenv reads
back identically, or a JSON object { "KEY": "value" }. Values are printed:
redirect to a file or pipe, and keep the result private.

Options:
  --format dotenv|json  default dotenv

${CONNECTION}
`,

  deploy: `Usage: keyhold deploy

Redeploys the token's environment, as Redeploy does in Keyhold: its current
secrets become a new numbered deployment. Needs a read-write token.

  • Prints the deployment number and what changes against the last successful
    deployment (keys added +, changed ~, removed -; never a value) on stderr.
  • Waits for the environment's deploy hook to answer, then exits 0 when the
    deployment succeeded, 2 when it failed (the previous deployment keeps
    serving) or the API refused it.
  • With --env, a token of another environment deploys nothing (exit 2).
  • At most 10 deployments a minute per environment (rate_limited).

${CONNECTION}
`,

  help: `Usage: keyhold help [command]`,
};
