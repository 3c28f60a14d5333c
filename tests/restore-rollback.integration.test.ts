import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decryptValue } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import { rollBackDeploymentAction } from '@/lib/deploys/actions';
import { redeploy, rollBackDeployment, updateDeployHook } from '@/lib/deploys/mutations';
import { listDeployments, previewRedeploy } from '@/lib/deploys/queries';
import { MESSAGES } from '@/lib/deploys/schemas';
import { liveDeployment, readSnapshot } from '@/lib/deploys/snapshot';
import { projectKeys } from '@/lib/projects/keys';
import { restoreSecretVersionAction, secretHistoryAction } from '@/lib/secrets/actions';
import { createSecret, deleteSecret, restoreSecretVersion, updateSecret } from '@/lib/secrets/mutations';
import { migrateTestDatabase } from './support/db';
import { deployStateOf, environmentId, expectAppError, makeTeam, secretInput, type Team } from './support/fixtures';
import { signInAs } from './support/session';
import { deniedMessage } from '@/lib/permissions';

// Restore this version (a new version with an old value; history kept) and
// Roll back to #n (a new deployment with #n's secrets; working set kept).

const CANARY = `canary-${randomUUID()}`;
let team: Team;

const value = async (secretId: string, version: number) => {
  const row = await db.secretVersion.findUniqueOrThrow({ where: { secretId_version: { secretId, version } } });
  return decryptValue((await projectKeys(team.projectId)).keyFor, row.blob, secretId, version);
};
const revisionOf = async (id: string) => (await db.secret.findUniqueOrThrow({ where: { id } })).revision;
const edit = async (id: string, newValue: string) =>
  updateSecret(team.projectId, id, { value: newValue, description: '', type: 'OTHER', revision: await revisionOf(id) });
const snapshotOf = async (environment: string) => {
  const live = await liveDeployment(environment);
  return live ? { number: live.number, secrets: Object.fromEntries(await readSnapshot(live)) } : null;
};

/** A hook receiver that answers 204, or 500 when told to fail. */
const received: string[] = [];
let failHook = false;
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    received.push(body);
    res.writeHead(failHook ? 500 : 204, { connection: 'close' });
    res.end();
  });
});
let hookUrl: string;

beforeAll(async () => {
  await migrateTestDatabase();
  team = await makeTeam(`History ${randomUUID().slice(0, 6)}`);
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

beforeEach(() => {
  signInAs(team.admin);
  failHook = false;
  received.length = 0;
});

describe('Restore this version', () => {
  it('makes a new version with the old value, keeps every version, audits both numbers and marks the environment pending', async () => {
    const staging = await environmentId(team.projectId, 'staging');
    const { id } = await createSecret(team.projectId, staging, secretInput('RESTORE_ME', `${CANARY}-1`));
    await edit(id, `${CANARY}-2`);
    await redeploy(team.projectId, staging);
    expect((await deployStateOf(team.projectId, staging)).pending).toBe(false);
    const before = await db.secretVersion.findMany({ where: { secretId: id }, orderBy: { version: 'asc' } });

    const result = await restoreSecretVersionAction(team.projectId, id, 1);
    expect(result).toEqual({ ok: true, data: { version: 3 } });
    expect(await value(id, 3)).toBe(`${CANARY}-1`);
    expect((await db.secret.findUniqueOrThrow({ where: { id } })).currentVersion).toBe(3);
    // History is never rewritten: versions 1 and 2 are byte for byte what they were.
    const after = await db.secretVersion.findMany({ where: { secretId: id }, orderBy: { version: 'asc' } });
    expect(after.slice(0, 2).map((v) => Buffer.from(v.blob).toString('hex'))).toEqual(before.map((v) => Buffer.from(v.blob).toString('hex')));
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: id, action: 'secret.restored' } });
    expect(JSON.parse(event.details)).toEqual({ fromVersion: 1, newVersion: 3 });
    expect(event).toMatchObject({ actorId: team.admin.id, targetLabel: 'RESTORE_ME', environment: 'staging' });
    expect((await deployStateOf(team.projectId, staging)).pending).toBe(true);
    expect((await previewRedeploy(team.projectId, staging)).changes.changed).toEqual([{ key: 'RESTORE_ME', fields: ['value'], rebuild: false }]);

    // The history lists every version with who and when, marks earlier ones restorable, and ships no value.
    const history = await secretHistoryAction(team.projectId, id);
    if (!history.ok) throw new Error(history.error);
    expect(history.data.map((e) => [e.action, e.version, e.restorable, e.actor])).toEqual([
      ['secret.restored', 3, false, team.admin.email],
      ['secret.value_changed', 2, true, team.admin.email],
      ['secret.created', 1, true, team.admin.email],
    ]);
    expect(history.data[0].summary).toBe('Version 1 restored (version 3)');
    expect(JSON.stringify(history)).not.toContain(CANARY);
    expect(JSON.stringify(result)).not.toContain(CANARY);

    // Restoring a restored value again is just another new version.
    expect(await restoreSecretVersion(team.projectId, id, 2)).toEqual({ version: 4 });
    expect(await value(id, 4)).toBe(`${CANARY}-2`);
  });

  it('lists a version written without its own event, and refuses the current version, unknown versions, members and other projects', async () => {
    const development = await environmentId(team.projectId, 'development');
    const { id } = await createSecret(team.projectId, development, secretInput('QUIET', 'one'));
    await edit(id, 'two');
    // As an import might: a version whose event names no version.
    await db.auditEvent.deleteMany({ where: { targetId: id, action: 'secret.value_changed' } });
    const history = await secretHistoryAction(team.projectId, id);
    if (!history.ok) throw new Error(history.error);
    expect(history.data.map((e) => [e.summary, e.version, e.restorable])).toEqual([
      ['Version 2', 2, false],
      ['Created (version 1)', 1, true],
    ]);

    await expectAppError(restoreSecretVersion(team.projectId, id, 2), 'conflict', 'Version 2 is already the current value.');
    await expectAppError(restoreSecretVersion(team.projectId, id, 9), 'not_found', 'Version 9 of this secret does not exist.');
    expect(await restoreSecretVersionAction(team.projectId, id, -1)).toEqual({
      ok: false,
      error: 'Choose a version from the change history.',
      code: 'validation_failed',
    });
    signInAs(team.member);
    await expectAppError(restoreSecretVersion(team.projectId, id, 1), 'forbidden');
    signInAs(team.outsider);
    await expectAppError(restoreSecretVersion(team.otherProjectId, id, 1), 'not_found');
    signInAs(team.owner);
    expect(await restoreSecretVersion(team.projectId, id, 1)).toEqual({ version: 3 });
    await deleteSecret(team.projectId, id);
    await expectAppError(restoreSecretVersion(team.projectId, id, 1), 'not_found');
  });
});

describe('Roll back to #n', () => {
  it('deploys exactly #n again as a new deployment, through the hook, audited; the working set stays and shows as pending', async () => {
    const production = await environmentId(team.projectId, 'production');
    await updateDeployHook(team.projectId, production, { url: hookUrl, signingSecretId: '' });
    const a = await createSecret(team.projectId, production, secretInput('A', 'a1'));
    await createSecret(team.projectId, production, secretInput('GONE', 'g1'));
    const first = await redeploy(team.projectId, production);
    await edit(a.id, 'a2');
    await createSecret(team.projectId, production, secretInput('B', 'b1'));
    await deleteSecret(team.projectId, (await db.secret.findFirstOrThrow({ where: { environmentId: production, key: 'GONE' } })).id);
    const second = await redeploy(team.projectId, production);
    expect(await snapshotOf(production)).toEqual({ number: second.number, secrets: { A: 'a2', B: 'b1' } });
    expect((await deployStateOf(team.projectId, production)).pending).toBe(false);
    received.length = 0;

    const result = await rollBackDeploymentAction(team.projectId, first.id);
    if (!result.ok) throw new Error(result.error);
    expect(result.data).toMatchObject({ number: second.number + 1, status: 'SUCCEEDED', environment: 'production' });
    expect(await snapshotOf(production)).toEqual({ number: second.number + 1, secrets: { A: 'a1', GONE: 'g1' } });
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0])).toMatchObject({ deployment: second.number + 1 });

    const items = (id: string) =>
      db.deploymentSecret.findMany({
        where: { deploymentId: id },
        select: { secretId: true, key: true, version: true, revision: true },
        orderBy: { key: 'asc' },
      });
    expect(await items(result.data.id)).toEqual(await items(first.id));
    const row = await db.deployment.findUniqueOrThrow({ where: { id: result.data.id } });
    expect(row.rollbackOf).toBe(first.number);
    expect(JSON.parse(row.changes)).toEqual({
      added: [{ key: 'GONE', rebuild: false }],
      changed: [{ key: 'A', fields: ['value'], rebuild: false }],
      removed: [{ key: 'B', rebuild: false }],
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: result.data.id, action: 'deploy.rolled_back' } });
    expect(JSON.parse(event.details)).toMatchObject({ number: second.number + 1, rollbackOf: first.number, secrets: 2 });
    expect(await db.auditEvent.count({ where: { targetId: result.data.id, action: 'deploy.succeeded' } })).toBe(1);

    // The working set is untouched, and differs from what is live.
    const working = await db.secret.findMany({ where: { environmentId: production }, select: { key: true, currentVersion: true }, orderBy: { key: 'asc' } });
    expect(working).toEqual([
      { key: 'A', currentVersion: 2 },
      { key: 'B', currentVersion: 1 },
    ]);
    expect((await deployStateOf(team.projectId, production)).pending).toBe(true);
    expect((await previewRedeploy(team.projectId, production)).changes).toEqual({
      added: [{ key: 'B', rebuild: false }],
      changed: [{ key: 'A', fields: ['value'], rebuild: false }],
      removed: [{ key: 'GONE', rebuild: false }],
    });

    // The Deploys page offers it on older successful deployments only.
    const page = await listDeployments(team.projectId, { environmentId: production });
    expect(page.rows.map((r) => [r.number, r.canRollBack, r.rollbackOf])).toEqual([
      [second.number + 1, false, first.number],
      [second.number, true, null],
      [first.number, true, null],
    ]);

    // Rolling back to the rollback carries #1's working set too; a redeploy then brings the working set live.
    await rollBackDeployment(team.projectId, second.id);
    expect((await deployStateOf(team.projectId, production)).pending).toBe(false);
    await rollBackDeployment(team.projectId, result.data.id);
    expect(await snapshotOf(production)).toEqual({ number: second.number + 3, secrets: { A: 'a1', GONE: 'g1' } });
    expect((await deployStateOf(team.projectId, production)).pending).toBe(true);
    await redeploy(team.projectId, production);
    expect((await deployStateOf(team.projectId, production)).pending).toBe(false);
  });

  it('a rollback whose hook fails does not go live; refuses the live one, failed ones, members and other projects', async () => {
    const staging = await environmentId(team.projectId, 'staging');
    await updateDeployHook(team.projectId, staging, { url: hookUrl, signingSecretId: '' });
    const one = await redeploy(team.projectId, staging);
    await createSecret(team.projectId, staging, secretInput('LATER', 'x'));
    const two = await redeploy(team.projectId, staging);

    failHook = true;
    const failed = await rollBackDeployment(team.projectId, one.id);
    expect(failed.status).toBe('FAILED');
    expect((await liveDeployment(staging))!.number).toBe(two.number);
    const count = await db.deployment.count({ where: { environmentId: staging } });
    await expectAppError(rollBackDeployment(team.projectId, failed.id), 'conflict', MESSAGES.rollbackNotSucceeded(failed.number));
    await expectAppError(rollBackDeployment(team.projectId, two.id), 'conflict', MESSAGES.rollbackIsLive(two.number));
    failHook = false;

    signInAs(team.member);
    await expectAppError(rollBackDeployment(team.projectId, one.id), 'forbidden', deniedMessage('redeploy'));
    expect(await rollBackDeploymentAction(team.projectId, one.id)).toEqual({ ok: false, error: deniedMessage('redeploy'), code: 'forbidden' });
    signInAs(team.outsider);
    await expectAppError(rollBackDeployment(team.otherProjectId, one.id), 'not_found', MESSAGES.deploymentGone);
    expect(await db.deployment.count({ where: { environmentId: staging } })).toBe(count);
  });
});
