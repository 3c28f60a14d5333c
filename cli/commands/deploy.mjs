// @ts-check
// keyhold deploy: redeploys the token's environment (read-write token), waits
// for the deploy hook's answer and prints what changed (keys only).
import { connect } from '../connect.mjs';
import { EXIT, UsageError } from '../errors.mjs';

/** @typedef {import('../args.mjs').ParsedArgs} ParsedArgs */
/** @typedef {import('../../client/index.d.mts').Deployment} Deployment */

/** Polling: quick at first (no hook answers in milliseconds), then every second. */
const POLL_MS = [100, 250, 500, 1000];

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {Deployment['changes']} changes @returns {string[]} */
export function changeLines(changes) {
  const rebuild = (/** @type {{ rebuild: boolean }} */ entry) => (entry.rebuild ? '  (rebuild needed: embedded in browser bundles)' : '');
  const label = (/** @type {string} */ field) => (field === 'value' ? 'value changed' : 'description or type changed');
  return [
    ...changes.added.map((entry) => `  + ${entry.key}${rebuild(entry)}`),
    ...changes.changed.map((entry) => `  ~ ${entry.key}: ${entry.fields.map(label).join(', ')}${rebuild(entry)}`),
    ...changes.removed.map((entry) => `  - ${entry.key}${rebuild(entry)}`),
  ];
}

/** @param {ParsedArgs} args @returns {Promise<number>} */
export default async function deploy(args) {
  const client = connect(args);
  const environment = typeof args.options.env === 'string' ? args.options.env : undefined;
  let deployment = await client.createDeployment({ environment });
  const lines = changeLines(deployment.changes);
  const out = process.stderr;
  out.write(`keyhold: ${deployment.environment} #${deployment.number}: ${deployment.secretCount === 1 ? '1 secret' : `${deployment.secretCount} secrets`}`);
  out.write(
    lines.length
      ? `, ${lines.length === 1 ? '1 change' : `${lines.length} changes`}:\n${lines.join('\n')}\n`
      : ', no changes since the last successful deployment\n',
  );
  for (let i = 0; deployment.status === 'QUEUED' || deployment.status === 'RUNNING'; i++) {
    if (deployment.interrupted) break;
    await sleep(POLL_MS[Math.min(i, POLL_MS.length - 1)]);
    deployment = await client.getDeployment(deployment.number);
  }
  if (deployment.status === 'SUCCEEDED') {
    out.write(`keyhold: deployment #${deployment.number} succeeded: ${deployment.environment} now serves it.\n`);
    return EXIT.OK;
  }
  const why = deployment.error ?? 'unknown error';
  throw new UsageError(`deployment #${deployment.number} failed: ${why}. The previous deployment keeps serving; retry it in Keyhold (Deploys).`, EXIT.API);
}
