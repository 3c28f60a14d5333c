import { randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as exportAudit } from '@/app/(app)/projects/[slug]/audit/export/route';
import { auditEventBatches, listAuditEvents, type AuditRow } from '@/lib/audit/queries';
import { parseAuditFilters, type AuditFilters } from '@/lib/audit/schemas';
import { deniedMessage } from '@/lib/permissions';

const AUDIT_DENIED = deniedMessage('readAudit');
import { db } from '@/lib/db';
import { redeploy } from '@/lib/deploys/mutations';
import { secretHistory } from '@/lib/secrets/queries';
import { createSecret, deleteSecret, restoreSecretVersion, updateSecret } from '@/lib/secrets/mutations';
import { createToken } from '@/lib/tokens/mutations';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { startApiServer, type ApiServer } from './support/api-server';
import { migrateTestDatabase } from './support/db';
import { environmentId, expectAppError, makeTeam, makeUser, secretInput, type Team } from './support/fixtures';
import { signInAs } from './support/session';

// The audit log page's data (filters, keyset paging), its two streamed
// exports (through the route handler itself), and the canary: no value, token
// or password in any of them.

const CANARY_1 = `canary-one-${randomUUID()}`;
const CANARY_2 = `canary-two-${randomUUID()}`;

let team: Team;
let slug: string;
let production: string, staging: string;
let server: ApiServer;
let tokenPlain: string;
let tokenName: string;
let secretId: string;
let secretKey: string;

const all = async (filters: AuditFilters = {}) => (await listAuditEvents(team.projectId, filters, {}, 1000)).rows;

async function exportResponse(query: string) {
  return exportAudit(new NextRequest(`http://keyhold.test/projects/${slug}/audit/export${query}`), { params: Promise.resolve({ slug }) });
}

beforeAll(async () => {
  await migrateTestDatabase();
  team = await makeTeam(`Audit ${randomUUID().slice(0, 6)}`);
  slug = (await db.project.findUniqueOrThrow({ where: { id: team.projectId } })).slug;
  [production, staging] = await Promise.all([environmentId(team.projectId, 'production'), environmentId(team.projectId, 'staging')]);
  server = await startApiServer();

  signInAs(team.admin);
  secretKey = `CANARY_KEY_${randomUUID().slice(0, 4).toUpperCase()}`;
  secretId = (await createSecret(team.projectId, production, secretInput(secretKey, CANARY_1))).id;
  const { revision } = (await db.secret.findUniqueOrThrow({ where: { id: secretId } })) as { revision: number };
  await updateSecret(team.projectId, secretId, { value: CANARY_2, description: 'rotated', type: 'OTHER', revision });
  await restoreSecretVersion(team.projectId, secretId, 1);
  await createSecret(team.projectId, staging, secretInput('STAGING_ONLY', CANARY_2));
  await redeploy(team.projectId, production);
  tokenName = `ci-${randomUUID().slice(0, 6)}`;
  const token = await createToken(team.projectId, createTokenSchema.parse({ name: tokenName, environmentId: production, scope: 'read-write', expiry: '30' }));
  tokenPlain = token.token;
  // Read by the token (its first use is recorded), and a write by the token.
  const read = await fetch(`${server.url}/api/v1/secrets`, { headers: { authorization: `Bearer ${tokenPlain}` } });
  expect(read.status).toBe(200);
  expect(await read.text()).toContain(CANARY_1);
  const created = await fetch(`${server.url}/api/v1/secrets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokenPlain}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'FROM_TOKEN', value: CANARY_1 }),
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await server.close();
});

describe('the audit log', () => {
  it('lists every event of the project newest first, with actor names and token actors, and refuses members and outsiders', async () => {
    signInAs(team.admin);
    const rows = await all();
    const times = rows.map((r) => r.at);
    expect([...times].sort().reverse()).toEqual(times);
    const actions = rows.map((r) => r.action);
    for (const action of [
      'project.created',
      'secret.created',
      'secret.value_changed',
      'secret.restored',
      'deploy.created',
      'deploy.succeeded',
      'token.created',
    ]) {
      expect(actions).toContain(action);
    }
    const restored = rows.find((r) => r.action === 'secret.restored')!;
    expect(restored).toMatchObject({ actor: team.admin.name, target: secretKey, environment: 'production', address: '203.0.113.7' });
    expect(restored.details).toEqual({ fromVersion: 1, newVersion: 3 });
    const byToken = rows.find((r) => r.action === 'secret.created' && r.target === 'FROM_TOKEN')!;
    expect(byToken.actor).toBe(`token ${tokenName}`);
    // The other team's events are not here.
    expect(rows.every((r) => r.environment === null || ['production', 'staging', 'development'].includes(r.environment))).toBe(true);

    signInAs(team.owner);
    expect((await all()).length).toBe(rows.length);
    signInAs(team.member);
    await expectAppError(listAuditEvents(team.projectId, {}), 'forbidden', AUDIT_DENIED);
    signInAs(team.outsider);
    await expectAppError(listAuditEvents(team.projectId, {}), 'forbidden');
    signInAs(null);
    await expectAppError(listAuditEvents(team.projectId, {}), 'unauthenticated');
  });

  it('filters by actor, action, secret key, environment and date range', async () => {
    signInAs(team.admin);
    const byAdmin = await all({ actor: `user:${team.admin.id}` });
    expect(byAdmin.length).toBeGreaterThan(0);
    expect(byAdmin.every((r) => r.actor === team.admin.name)).toBe(true);
    const token = await db.serviceToken.findFirstOrThrow({ where: { name: tokenName } });
    const byToken = await all({ actor: `token:${token.id}` });
    expect(byToken.map((r) => r.action).sort()).toEqual(['secret.created', 'token.used_from_new_address'].sort());

    const restores = await all({ action: 'secret.restored' });
    expect(restores.map((r) => r.target)).toEqual([secretKey]);
    const byKey = await all({ key: secretKey });
    expect(byKey.map((r) => r.action)).toEqual(['secret.restored', 'secret.value_changed', 'secret.created']);
    const inStaging = await all({ env: 'staging' });
    expect(inStaging.map((r) => r.target)).toEqual(['STAGING_ONLY']);
    expect(await all({ env: 'staging', action: 'secret.deleted' })).toEqual([]);

    // Dates: events of other days, written straight into the table (createdAt is what the filter reads).
    const day = (d: string, h = 12) => new Date(`${d}T${String(h).padStart(2, '0')}:00:00.000Z`);
    await db.auditEvent.createMany({
      data: [
        { projectId: team.projectId, actorLabel: 'x', action: 'project.renamed', targetLabel: 'd1', createdAt: day('2020-01-01', 0) },
        { projectId: team.projectId, actorLabel: 'x', action: 'project.renamed', targetLabel: 'd2', createdAt: day('2020-01-02', 23) },
        { projectId: team.projectId, actorLabel: 'x', action: 'project.renamed', targetLabel: 'd3', createdAt: day('2020-01-03', 0) },
      ],
    });
    const range = await all({ from: '2020-01-01', to: '2020-01-02' });
    expect(range.map((r) => r.target)).toEqual(['d2', 'd1']);
    expect((await all({ to: '2020-01-03' })).map((r) => r.target)).toEqual(['d3', 'd2', 'd1']);
    expect((await all({ from: '2020-01-02', action: 'project.renamed' })).map((r) => r.target).slice(-2)).toEqual(['d3', 'd2']);
  });

  it('reads filters from the URL and names a bad one instead of failing', () => {
    const { filters, errors, cursor } = parseAuditFilters(
      new URLSearchParams('actor=user:abc&action=secret.created&key=+&env=production&from=2020-02-30&to=2020-01-01&after=1.x'),
    );
    expect(filters).toEqual({ actor: 'user:abc', action: 'secret.created', env: 'production', to: '2020-01-01' });
    expect(errors).toEqual({ from: 'Enter a date as YYYY-MM-DD' });
    expect(cursor).toEqual({ after: '1.x' });
    expect(parseAuditFilters({ from: '2020-02-01', to: '2020-01-01' }).errors).toEqual({ to: 'The end date must not be before the start date' });
    expect(parseAuditFilters({ action: "x' OR 1=1" }).errors.action).toBe('Choose an action from the list');
  });

  it('pages by keyset on (time, id): Next walks every event once, Previous comes back to the same page', async () => {
    signInAs(team.admin);
    // 130 events, many sharing one millisecond, so the id must break ties.
    const at = new Date('2021-06-01T00:00:00.000Z');
    await db.auditEvent.createMany({
      data: Array.from({ length: 130 }, (_, i) => ({
        projectId: team.projectId,
        actorLabel: 'pager',
        action: 'member.invited',
        targetLabel: `p${i}`,
        createdAt: new Date(at.getTime() + (i % 10)),
      })),
    });
    const filters = { action: 'member.invited' };
    const expected = (await all(filters)).map((r) => r.id);
    expect(expected).toHaveLength(130);
    const pages: AuditRow[][] = [];
    let page = await listAuditEvents(team.projectId, filters, {}, 50);
    expect(page.newer).toBeNull();
    pages.push(page.rows);
    while (page.older) {
      page = await listAuditEvents(team.projectId, filters, { after: page.older }, 50);
      pages.push(page.rows);
    }
    expect(pages.map((p) => p.length)).toEqual([50, 50, 30]);
    expect(pages.flat().map((r) => r.id)).toEqual(expected);
    const back = await listAuditEvents(team.projectId, filters, { before: page.newer! }, 50);
    expect(back.rows.map((r) => r.id)).toEqual(pages[1].map((r) => r.id));
    const first = await listAuditEvents(team.projectId, filters, { before: back.newer! }, 50);
    expect(first.rows.map((r) => r.id)).toEqual(pages[0].map((r) => r.id));
    expect(first.newer).toBeNull();
  });

  it('keeps the events of a deleted secret, its key readable', async () => {
    signInAs(team.admin);
    const id = (await createSecret(team.projectId, staging, secretInput('SHORT_LIVED', 'x'))).id;
    await deleteSecret(team.projectId, id);
    expect(await db.secret.count({ where: { id } })).toBe(0);
    const rows = await all({ key: 'SHORT_LIVED' });
    expect(rows.map((r) => r.action)).toEqual(['secret.deleted', 'secret.created']);
    expect(rows.every((r) => r.target === 'SHORT_LIVED' && r.environment === 'staging')).toBe(true);
  });
});

describe('exports', () => {
  it('streams the filtered events as CSV and as JSON Lines, as attachments', async () => {
    signInAs(team.admin);
    const filters = { action: 'member.invited' };
    const expected = await all(filters);

    const csv = await exportResponse('?format=csv&action=member.invited');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="keyhold-audit-${slug}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    expect(csv.headers.get('cache-control')).toBe('no-store');
    const records = parseCsv(await csv.text()) as string[][];
    expect(records[0]).toEqual(['Time', 'Actor', 'Action', 'Target', 'Environment', 'Address', 'Details']);
    expect(records.slice(1).map((r) => r[3])).toEqual(expected.map((r) => r.target));

    const jsonl = await exportResponse('?format=jsonl&action=secret.restored');
    expect(jsonl.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(jsonl.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.jsonl"$/);
    const lines = (await jsonl.text()).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({
        action: 'secret.restored',
        actor: team.admin.name,
        target: secretKey,
        environment: 'production',
        details: { fromVersion: 1, newVersion: 3 },
      }),
    ]);
  });

  it('reads the database in batches and streams them one by one', async () => {
    signInAs(team.admin);
    await db.auditEvent.createMany({
      data: Array.from({ length: 2500 }, (_, i) => ({
        projectId: team.projectId,
        actorLabel: 'bulk',
        action: 'key.project_rotated',
        targetLabel: `b${i}`,
        createdAt: new Date(1_600_000_000_000 + i),
      })),
    });
    const sizes: number[] = [];
    for await (const batch of auditEventBatches(team.projectId, { action: 'key.project_rotated' })) sizes.push(batch.length);
    expect(sizes).toEqual([1000, 1000, 500]);

    const response = await exportResponse('?format=jsonl&action=key.project_rotated');
    const reader = response.body!.getReader();
    let chunks = 0;
    let text = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      chunks++;
      text += new TextDecoder().decode(r.value);
    }
    expect(chunks).toBe(3);
    const targets = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).target as string);
    expect(targets).toHaveLength(2500);
    expect(targets[0]).toBe('b2499');
    expect(targets[2499]).toBe('b0');
  });

  it('guards spreadsheet formulas in CSV cells', async () => {
    signInAs(team.admin);
    await db.auditEvent.create({ data: { projectId: team.projectId, actorLabel: 'x', action: 'project.renamed', targetLabel: '=HYPERLINK("http://evil")' } });
    const records = parseCsv(await (await exportResponse('?format=csv&action=project.renamed')).text()) as string[][];
    expect(records.map((r) => r[3])).toContain(`'=HYPERLINK("http://evil")`);
  });

  it('checks the caller and the input in the handler itself', async () => {
    signInAs(team.member);
    const refused = await exportResponse('?format=csv');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: 'forbidden', message: AUDIT_DENIED } });
    signInAs(team.outsider);
    expect((await exportResponse('?format=csv')).status).toBe(404);
    signInAs(null);
    expect((await exportResponse('?format=csv')).status).toBe(401);
    signInAs(await makeUser('Stranger'));
    expect((await exportResponse('?format=jsonl')).status).toBe(404);

    signInAs(team.admin);
    const badFormat = await exportResponse('?format=xlsx');
    expect(badFormat.status).toBe(400);
    expect((await badFormat.json()).error.code).toBe('validation_failed');
    const badFilter = await exportResponse('?format=csv&from=yesterday');
    expect(badFilter.status).toBe(400);
    expect((await badFilter.json()).error.fields).toEqual({ from: 'Enter a date as YYYY-MM-DD' });
  });
});

describe('the canary', () => {
  it('never appears in the page data, the history, either export, or the events themselves', async () => {
    signInAs(team.admin);
    const texts = [
      JSON.stringify(await listAuditEvents(team.projectId, {})),
      JSON.stringify(await all()),
      JSON.stringify(await secretHistory(team.projectId, secretId)),
      await (await exportResponse('?format=csv')).text(),
      await (await exportResponse('?format=jsonl')).text(),
      JSON.stringify(await db.auditEvent.findMany({ where: { projectId: team.projectId } })),
    ];
    for (const text of texts) {
      expect(text.length).toBeGreaterThan(10);
      for (const secret of [CANARY_1, CANARY_2, tokenPlain, 'scrypt$unused']) expect(text).not.toContain(secret);
    }
  });
});
