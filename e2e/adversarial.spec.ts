import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { ACTION_ORIGIN_REFUSAL } from '../lib/action-origin';
import { BASE_URL } from './env';
import {
  addSecret,
  createInviteLink,
  createProject,
  createToken,
  dialog,
  expect,
  expectToast,
  fetchFlight,
  field,
  joinWithInvite,
  membersUrl,
  OWNER,
  openSecrets,
  recordServerAction,
  redeploy,
  replayServerAction,
  rowAction,
  secretRow,
  secretsUrl,
  suffix,
  test,
  TEXT,
  tokensUrl,
  type RecordedAction,
} from './fixtures';

// The project's own adversarial suite, through real HTTP and a real browser
// (issue 7): real server-action requests replayed without an Origin, by a
// member and signed out; stored HTML and script rendered as inert text; a
// canary value that never shows up in the database files, the server log,
// any page's HTML or RSC payload, or the audit rows. The other half of the
// suite is tests/adversarial/*.integration.test.ts.

const DATA_DIR = path.join(__dirname, '..', 'data', 'e2e');
const DB_FILE = path.join(DATA_DIR, 'keyhold-e2e.db');
/** e2e/start-server.mjs tees the server's stdout and stderr here. */
const SERVER_LOG = path.join(DATA_DIR, 'server.log');

/** Reads the e2e database (read-only, beside the running server). */
function query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(DB_FILE, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const projectIdOf = (slug: string) => query<{ id: string }>('SELECT id FROM Project WHERE slug = ?', slug)[0].id;

/** Every row of a project that an action could change: "nothing changed" compares these. */
function projectRows(projectId: string) {
  const of = (table: string) => query(`SELECT * FROM "${table}" WHERE projectId = ? ORDER BY id`, projectId);
  return {
    project: query('SELECT * FROM Project WHERE id = ?', projectId),
    environments: of('Environment'),
    secrets: of('Secret'),
    versions: query('SELECT v.* FROM SecretVersion v JOIN Secret s ON s.id = v.secretId WHERE s.projectId = ? ORDER BY v.id', projectId),
    deployments: of('Deployment'),
    tokens: of('ServiceToken'),
    invites: of('Invite'),
    memberships: of('Membership'),
    audit: of('AuditEvent'),
  };
}

const SIGNED_OUT = 'Your session has ended. Sign in again.';

test('replayed server actions: without an Origin 403, by a member or signed out refused, and nothing changes', async ({ page, newVisitor }) => {
  test.slow();
  const id = suffix();
  const ID = id.toUpperCase();
  const { slug } = await createProject(page, `Forged ${id}`);
  const projectId = projectIdOf(slug);
  const member = await newVisitor();
  const visitor = await newVisitor();
  const forger = await newVisitor();
  await forger.context().addCookies([{ name: 'next-auth.session-token', value: `forged-${id}`, url: BASE_URL }]);
  await joinWithInvite(
    member,
    await createInviteLink(page, slug, `forged-member-${id}@keyhold.test`, 'Member'),
    { name: `Forged ${id}`, password: `e2e-Forged-${id}-pw!` },
    slug,
  );

  // Each real owner request is recorded, then replayed with `replacement` in place of `key`.
  type Replay = { name: string; action: RecordedAction; replacement: string; memberError: string };
  const replays: Replay[] = [];
  const secretIdOf = (key: string) => query<{ id: string }>('SELECT id FROM Secret WHERE projectId = ? AND key = ?', projectId, key)[0].id;

  await test.step('the owner makes real requests of every kind, which are recorded', async () => {
    const invite = await recordServerAction(page, `second-${id}@keyhold.test`, () =>
      createInviteLink(page, slug, `second-${id}@keyhold.test`, 'Admin').then(() => undefined),
    );
    replays.push({
      name: 'createInviteAction',
      action: invite,
      replacement: `forged-${id}@keyhold.test`,
      memberError: 'Only project owners can manage members.',
    });

    await openSecrets(page, slug, 'development');
    const create = await recordServerAction(page, `RECORDED_${ID}`, () => addSecret(page, { key: `RECORDED_${ID}`, value: `value-${id}` }));
    replays.push({ name: 'createSecretAction', action: create, replacement: `FORGED_${ID}`, memberError: TEXT.noSecretsPermission });
    await addSecret(page, { key: `KEEP_${ID}`, value: `keep-${id}` });

    const edited = `edited-${id}`;
    const update = await recordServerAction(page, edited, async () => {
      await rowAction(page, `RECORDED_${ID}`, 'Edit');
      const edit = dialog(page, 'Edit Secret');
      await field(edit, 'New Value').fill(edited);
      await edit.getByRole('button', { name: 'Update Secret' }).click();
      await expectToast(page, TEXT.updated);
    });
    replays.push({ name: 'updateSecretAction', action: update, replacement: `forged-${id}`, memberError: TEXT.noSecretsPermission });

    const remove = await recordServerAction(page, secretIdOf(`RECORDED_${ID}`), async () => {
      await rowAction(page, `RECORDED_${ID}`, 'Delete');
      await dialog(page, 'Delete Secret').getByRole('button', { name: 'Delete secret' }).click();
      await expect(secretRow(page, `RECORDED_${ID}`)).toHaveCount(0);
    });
    replays.push({ name: 'deleteSecretAction', action: remove, replacement: secretIdOf(`KEEP_${ID}`), memberError: TEXT.noSecretsPermission });

    const development = query<{ id: string }>("SELECT id FROM Environment WHERE projectId = ? AND name = 'development'", projectId)[0].id;
    const deploy = await recordServerAction(page, development, () => redeploy(page, 'Development'));
    replays.push({ name: 'redeployAction', action: deploy, replacement: development, memberError: "You don't have permission to redeploy." });

    await page.goto(tokensUrl(slug));
    const token = await recordServerAction(page, `recorded-${id}`, () => createToken(page, `recorded-${id}`, { env: 'Development' }).then(() => undefined));
    replays.push({ name: 'createTokenAction', action: token, replacement: `forged-${id}`, memberError: "You don't have permission to manage service tokens." });
    await page.reload();
    await createToken(page, `kept-${id}`, { env: 'Development' });
    const tokenIdOf = (name: string) => query<{ id: string }>('SELECT id FROM ServiceToken WHERE projectId = ? AND name = ?', projectId, name)[0].id;
    const revoke = await recordServerAction(page, tokenIdOf(`recorded-${id}`), async () => {
      await page.getByRole('button', { name: `Revoke recorded-${id}`, exact: true }).click();
      await dialog(page, 'Revoke token').getByRole('button', { name: 'Revoke token' }).click();
      await expectToast(page, `Token recorded-${id} revoked`);
    });
    replays.push({
      name: 'revokeTokenAction',
      action: revoke,
      replacement: tokenIdOf(`kept-${id}`),
      memberError: "You don't have permission to manage service tokens.",
    });

    await page.goto(`/projects/${slug}/settings/general`);
    const rename = await recordServerAction(page, `Renamed ${id}`, async () => {
      await field(page, 'Project name').fill(`Renamed ${id}`);
      await page
        .locator('form')
        .filter({ has: field(page, 'Project name') })
        .getByRole('button', { name: 'Save', exact: true })
        .click();
      await expectToast(page, 'Project renamed');
    });
    replays.push({ name: 'renameProjectAction', action: rename, replacement: `Hijacked ${id}`, memberError: 'Only owners and admins can rename the project.' });
  });

  for (const { name, action, replacement, memberError } of replays) {
    await test.step(`${name}: no Origin → 403, member → "${memberError}", signed out → refused; nothing changes`, async () => {
      const before = projectRows(projectId);

      const noOrigin = await replayServerAction(page.request, action, replacement, null);
      expect(noOrigin.status()).toBe(403);
      expect(await noOrigin.json()).toEqual(ACTION_ORIGIN_REFUSAL.body);

      const asMember = await replayServerAction(member.request, action, replacement, BASE_URL);
      expect(asMember.status()).toBe(200);
      const memberAnswer = await asMember.text();
      expect(memberAnswer).toContain(JSON.stringify({ ok: false, error: memberError }).slice(1, -1));

      // Signed out, the proxy sends the request to /login; past the proxy (any session cookie will do), the data layer refuses it.
      const signedOut = await replayServerAction(visitor.request, action, replacement, BASE_URL);
      expect(signedOut.status()).toBe(307);
      expect(signedOut.headers()['location']).toMatch(/^\/login\?callbackUrl=/);
      const forgedCookie = await replayServerAction(forger.request, action, replacement, BASE_URL);
      expect(await forgedCookie.text()).toContain(JSON.stringify({ ok: false, error: SIGNED_OUT }).slice(1, -1));

      expect(projectRows(projectId)).toEqual(before);
    });
  }
});

const HOSTILE = {
  project: '<img src=x onerror=alert("project")>',
  description: '</script><script>alert("description")</script><img src=x onerror=alert("description")>',
  token: '<svg onload=alert("token")>',
  member: '<img src=x onerror=alert("member")>',
} as const;

/** Collects every JavaScript dialog a page opens (an alert means stored markup ran). */
function watchDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on('dialog', (d) => {
    opened.push(d.message());
    void d.dismiss();
  });
  return opened;
}

async function expectInert(page: Page, texts: string[]) {
  for (const text of texts) await expect(page.getByText(text, { exact: true }).first()).toBeVisible();
  await expect(page.locator('img[src="x"], svg[onload], img[onerror]')).toHaveCount(0);
  expect(await page.evaluate(() => [...document.scripts].some((s) => (s.textContent ?? '').trim().startsWith('alert(')))).toBe(false);
}

test('a form POST to a page (a server action as Next sees it) without a same-site Origin gets the 403, not Next', async ({ page, request }) => {
  // Next treats any multipart/form-data or urlencoded POST as a possible server action
  // (a no-JavaScript form): with no Origin it would run one, with a foreign or null one answer 500.
  const { slug } = await createProject(page, `Form post ${suffix()}`);
  const pages = ['/', '/account', `/projects/${slug}`, '/setup'];
  const origins = { NO_ORIGIN: undefined, FOREIGN_ORIGIN: 'https://evil.example', NULL_ORIGIN: 'null' };
  for (const url of pages) {
    for (const [name, origin] of Object.entries(origins)) {
      const headers = origin ? { origin } : undefined;
      const multipart = await request.post(url, { headers, multipart: { $ACTION_ID_0: 'x', key: 'FORGED' }, maxRedirects: 0 });
      expect(multipart.status(), `multipart ${url} ${name}`).toBe(ACTION_ORIGIN_REFUSAL.status);
      expect(await multipart.json(), `multipart ${url} ${name}`).toEqual(ACTION_ORIGIN_REFUSAL.body);
      const urlencoded = await request.post(url, { headers, form: { key: 'FORGED' }, maxRedirects: 0 });
      expect(urlencoded.status(), `urlencoded ${url} ${name}`).toBe(ACTION_ORIGIN_REFUSAL.status);
      expect(await urlencoded.json(), `urlencoded ${url} ${name}`).toEqual(ACTION_ORIGIN_REFUSAL.body);
    }
  }
  // Control: the same form POST from this site is not refused here (Next handles it).
  const sameSite = await request.post('/account', { headers: { origin: BASE_URL }, multipart: { key: 'x' }, maxRedirects: 0 });
  expect(sameSite.status()).not.toBe(ACTION_ORIGIN_REFUSAL.status);
});

test('stored HTML and script in names and descriptions render as inert text', async ({ page, newVisitor }) => {
  test.slow();
  const id = suffix();
  const ownerDialogs = watchDialogs(page);
  const { slug } = await createProject(page, HOSTILE.project);
  const memberEmail = `xss-${id}@keyhold.test`;
  const member = await newVisitor();
  const memberDialogs = watchDialogs(member);
  await joinWithInvite(member, await createInviteLink(page, slug, memberEmail, 'Admin'), { name: HOSTILE.member, password: `e2e-Xss-${id}-pw!` }, slug);

  await openSecrets(page, slug, 'production');
  await addSecret(page, { key: 'HOSTILE_DESCRIPTION', value: `v-${id}`, description: HOSTILE.description });
  await page.goto(tokensUrl(slug));
  await createToken(page, HOSTILE.token);

  for (const [url, texts] of [
    ['/projects', [HOSTILE.project]],
    [`/projects/${slug}`, [HOSTILE.project]],
    [secretsUrl(slug), [HOSTILE.description]],
    [tokensUrl(slug), [HOSTILE.token]],
    [membersUrl(slug), [HOSTILE.member]],
    [`/projects/${slug}/settings/general`, []],
  ] as const) {
    await page.goto(url);
    await expectInert(page, [...texts]);
    const html = await (await page.request.get(url)).text();
    for (const text of Object.values(HOSTILE)) expect(html, url).not.toContain(text);
  }
  await member.goto(secretsUrl(slug));
  await expectInert(member, [HOSTILE.description]);
  expect(ownerDialogs).toEqual([]);
  expect(memberDialogs).toEqual([]);
});

test('a canary value never reaches the database files, the server log, any page or RSC payload, or the audit rows', async ({ page, request }) => {
  test.slow();
  const canary = `canary${suffix()}${suffix()}${suffix()}`;
  const rotated = `${canary}rotated`;
  const { slug } = await createProject(page, `Canary ${suffix()}`);
  const projectId = projectIdOf(slug);
  await openSecrets(page, slug, 'production');
  await addSecret(page, { key: 'CANARY_KEY', value: canary, description: 'the canary' });
  await rowAction(page, 'CANARY_KEY', 'Edit');
  const edit = dialog(page, 'Edit Secret');
  await field(edit, 'New Value').fill(rotated);
  await edit.getByRole('button', { name: 'Update Secret' }).click();
  await expectToast(page, TEXT.updated);
  await redeploy(page);
  await page.goto(tokensUrl(slug));
  const token = await createToken(page, `canary-${suffix()}`);

  await test.step('the API serves it (the canary is real and deployed)', async () => {
    const read = await request.get('/api/v1/secrets/CANARY_KEY', { headers: { Authorization: `Bearer ${token}` } });
    expect(await read.json()).toEqual({ name: 'CANARY_KEY', value: rotated });
  });

  await test.step('no page, HTML or RSC payload carries it', async () => {
    const urls = [
      '/projects',
      `/projects/${slug}`,
      `/projects/${slug}/deploys`,
      secretsUrl(slug, 'production'),
      secretsUrl(slug, 'staging'),
      `/projects/${slug}/settings/general`,
      membersUrl(slug),
      tokensUrl(slug),
    ];
    for (const url of urls) {
      await page.goto(url);
      expect(await page.content(), url).not.toContain(canary);
      const html = await page.request.get(url);
      expect(html.status(), url).toBe(200);
      expect(await html.text(), url).not.toContain(canary);
      const flight = await fetchFlight(page.request, url);
      expect(flight.headers()['content-type'], url).toContain('text/x-component');
      expect(await flight.text(), url).not.toContain(canary);
    }
  });

  await test.step('the change history shows who and when, never the value', async () => {
    await openSecrets(page, slug, 'production');
    await rowAction(page, 'CANARY_KEY', 'Change history');
    const history = dialog(page, 'Change history');
    await expect(history).toContainText('CANARY_KEY');
    await expect(history).toContainText(OWNER.email);
    expect(await page.content()).not.toContain(canary);
  });

  await test.step('no audit row, database file, WAL or server log line carries it', async () => {
    const audit = query('SELECT * FROM AuditEvent WHERE projectId = ?', projectId);
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['secret.created', 'secret.value_changed', 'deploy.created', 'token.created']));
    expect(JSON.stringify(audit)).not.toContain(canary);
    const files = fs.readdirSync(DATA_DIR).filter((f) => f.startsWith('keyhold-e2e.db'));
    expect(files).toEqual(expect.arrayContaining(['keyhold-e2e.db', 'keyhold-e2e.db-wal']));
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(DATA_DIR, file));
      expect(bytes.includes(Buffer.from(canary)), file).toBe(false);
      expect(bytes.includes(Buffer.from(canary, 'utf16le')), file).toBe(false);
    }
    const log = fs.readFileSync(SERVER_LOG, 'utf8');
    expect(log, 'the server log is captured').toContain('[keyhold] ready on');
    expect(log).not.toContain(canary);
  });
});
