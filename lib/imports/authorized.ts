// Import (issue 12, DESIGN.md §13): the one implementation of preview and
// apply, shared by the Import dialog (lib/imports/actions.ts, a signed-in
// user) and /api/v1/imports (a read-write token, lib/api/handler.ts), so the
// browser and `keyhold import` agree. Callers authorize first.
//
// A preview holds no state on the server: its id is an HMAC (under a key
// derived from the master key) of everything it was computed from — the
// parsed entries with their values, the target environments, and each
// existing secret's id and revision. Applying re-sends the text, recomputes
// the preview and refuses unless the id is the same; inside the transaction
// every overwrite is compare-and-swapped on the revision the preview saw and
// every creation relies on the unique key, so nothing is overwritten blindly.
// No `server-only` marker: the /api/v1 handler runs outside Next.
import { createHmac, hkdfSync, randomUUID } from 'node:crypto';
import { recordAudit, type AuditActor } from '@/lib/audit/mutations';
import { encryptValue } from '@/lib/crypto/envelope';
import { db, isUniqueViolation, SECRET_WRITE_TRANSACTION, type Tx } from '@/lib/db';
import { AppError, invalid, notFound } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client';
import { parseImport, type ParsedEntry } from '@/lib/imports/parse';
import { IMPORT_STATUSES, STALE_PREVIEW, type ImportFormat, type ImportStatus } from '@/lib/imports/schemas';
import { countEncryption } from '@/lib/keys/rotate-project';
import { masterKeyring, projectKeys } from '@/lib/projects/keys';
import { fingerprinter } from '@/lib/secrets/fingerprint';
import { MESSAGES, suggestType } from '@/lib/secrets/schemas';
import { currentValues } from '@/lib/secrets/values';

/** One line of a preview. Never a value. */
export type ImportRow = {
  key: string;
  status: ImportStatus;
  /** The environment (name) the row is about; null for rows about the file itself (invalid entries, duplicates). */
  environment: string | null;
  /** Where the key is in the file: one line, or every line of a duplicate. */
  lines: number[];
  /** The rule an invalid row breaks (the UI's own message). */
  reason?: string;
};

export type ImportPreview = {
  /** Binds an apply to exactly this preview. */
  id: string;
  /** The target environments (names), in the project's order. */
  environments: string[];
  counts: Record<ImportStatus, number>;
  rows: ImportRow[];
};

export type ImportSource = { format: ImportFormat; text: string };
export type ImportTarget = { projectId: string; environmentIds: readonly string[] };
/** A changed row to overwrite (every other changed row is skipped). */
export type ImportOverwrite = { environment: string; key: string };

export type ImportResult = {
  created: number;
  updated: number;
  unchanged: number;
  /** Changed rows left as they were. */
  skipped: number;
  invalid: number;
  duplicate: number;
  environments: string[];
};

/** Applying was refused: what it would touch changed. Carries the fresh preview. */
export class ImportStaleError extends AppError {
  constructor(readonly preview: ImportPreview) {
    super('conflict', STALE_PREVIEW);
    this.name = 'ImportStaleError';
  }
}

type Change = { entry: ParsedEntry; secretId: string; revision: number; currentVersion: number };
type EnvPlan = { id: string; name: string; creates: ParsedEntry[]; changes: Change[] };
type Plan = { preview: ImportPreview; environments: EnvPlan[] };

const CHUNK = 500;

function previewKey(projectId: string): Buffer {
  const ring = masterKeyring();
  return Buffer.from(hkdfSync('sha256', ring.keys.get(ring.current)!, Buffer.alloc(0), `keyhold/import-preview/${projectId}`, 32));
}

async function plan(target: ImportTarget, source: ImportSource): Promise<Plan> {
  const { projectId } = target;
  const ids = [...new Set(target.environmentIds)];
  if (ids.length === 0) throw invalid('Choose at least one environment.', { environmentIds: 'Choose at least one environment.' });
  const parsed = parseImport(source.format, source.text);
  const environments = await db.environment.findMany({
    where: { projectId, id: { in: ids } },
    orderBy: { position: 'asc' },
    select: { id: true, name: true },
  });
  if (environments.length !== ids.length) throw notFound('Environment not found');

  const folded = parsed.entries.map((e) => e.key.toLowerCase());
  const existing: { id: string; key: string; keyFolded: string; environmentId: string; revision: number; currentVersion: number }[] = [];
  for (let i = 0; i < folded.length; i += CHUNK) {
    existing.push(
      ...(await db.secret.findMany({
        where: { projectId, environmentId: { in: ids }, keyFolded: { in: folded.slice(i, i + CHUNK) } },
        select: { id: true, key: true, keyFolded: true, environmentId: true, revision: true, currentVersion: true },
      })),
    );
  }
  const byEnvKey = new Map(existing.map((s) => [`${s.environmentId}\u0000${s.keyFolded}`, s]));
  const keys = await projectKeys(projectId);
  const values = await currentValues(db, keys, existing);

  const rows: (ImportRow & { at: number })[] = [];
  const bound: unknown[] = [];
  const envPlans: EnvPlan[] = environments.map((env) => ({ id: env.id, name: env.name, creates: [], changes: [] }));
  const lineOrder = (line: number | null) => line ?? Number.MAX_SAFE_INTEGER;
  for (const entry of parsed.entries) {
    envPlans.forEach((env, position) => {
      const found = byEnvKey.get(`${env.id}\u0000${entry.key.toLowerCase()}`);
      const row = { key: entry.key, environment: env.name, lines: entry.line === null ? [] : [entry.line], at: lineOrder(entry.line) + position / 1000 };
      if (!found) {
        rows.push({ ...row, status: 'new' });
        env.creates.push(entry);
      } else if (found.key !== entry.key) {
        // Keys are unique regardless of case in an environment.
        rows.push({ ...row, status: 'invalid', reason: MESSAGES.keyExists });
      } else if (values.get(found.id) === entry.value) {
        rows.push({ ...row, status: 'unchanged' });
      } else {
        rows.push({ ...row, status: 'changed' });
        env.changes.push({ entry, secretId: found.id, revision: found.revision, currentVersion: found.currentVersion });
      }
      bound.push([env.id, entry.key, found?.id ?? null, found?.revision ?? null]);
    });
  }
  for (const { key, line, reason } of parsed.invalid)
    rows.push({ key, status: 'invalid', environment: null, lines: line === null ? [] : [line], reason, at: lineOrder(line) });
  for (const { key, lines } of parsed.duplicates) rows.push({ key, status: 'duplicate', environment: null, lines, at: lineOrder(lines[0] ?? null) });
  rows.sort((a, b) => a.at - b.at);

  const counts = Object.fromEntries(IMPORT_STATUSES.map((s) => [s, 0])) as Record<ImportStatus, number>;
  for (const row of rows) counts[row.status]++;
  const id = createHmac('sha256', previewKey(projectId))
    .update(
      JSON.stringify([
        source.format,
        ids.sort(),
        parsed.entries.map((e) => [e.key, e.value, e.line]),
        bound,
        rows.map((r) => [r.key, r.status, r.environment]),
      ]),
    )
    .digest('base64url');
  return {
    preview: { id, environments: environments.map((e) => e.name), counts, rows: rows.map(({ at: _at, ...row }) => row) },
    environments: envPlans,
  };
}

/** What applying `source` to the target environments would do, key by key. Values stay on the server. */
export async function authorizedPreviewImport(target: ImportTarget, source: ImportSource): Promise<ImportPreview> {
  return (await plan(target, source)).preview;
}

type NewRow = { id: string; projectId: string; environmentId: string; key: string; keyFolded: string; type: string; valueFingerprint: string };
type VersionRow = { secretId: string; version: number; blob: Uint8Array };
type Overwrite = { secretId: string; revision: number; fingerprint: string };

// Plain multi-row SQL that SQLite and PostgreSQL both run: through Prisma's
// createMany / one updateMany per row, 1,000 rows took seconds (bench/import.mjs).

async function insertSecrets(tx: Tx, rows: NewRow[], now: Date, by: string | null): Promise<void> {
  const values = Prisma.join(
    rows.map(
      (r) =>
        Prisma.sql`(${r.id}, ${r.projectId}, ${r.environmentId}, ${r.key}, ${r.keyFolded}, '', ${r.type}, 1, 1, ${now}, ${now}, ${by}, ${by}, ${r.valueFingerprint})`,
    ),
  );
  await tx.$executeRaw`INSERT INTO "Secret" ("id", "projectId", "environmentId", "key", "keyFolded", "description", "type", "currentVersion", "revision", "createdAt", "updatedAt", "createdById", "updatedById", "valueFingerprint") VALUES ${values}`;
}

async function insertVersions(tx: Tx, rows: VersionRow[], now: Date, by: string | null): Promise<void> {
  const values = Prisma.join(rows.map((r) => Prisma.sql`(${randomUUID()}, ${r.secretId}, ${r.version}, ${Buffer.from(r.blob)}, ${now}, ${by})`));
  await tx.$executeRaw`INSERT INTO "SecretVersion" ("id", "secretId", "version", "blob", "createdAt", "createdById") VALUES ${values}`;
}

/** New value for each row whose revision is still the one the preview saw; returns how many rows it changed. */
async function overwriteSecrets(tx: Tx, projectId: string, rows: Overwrite[], now: Date, by: string | null): Promise<number> {
  const fingerprints = Prisma.join(
    rows.map((r) => Prisma.sql`WHEN ${r.secretId} THEN ${r.fingerprint}`),
    ' ',
  );
  const revisions = Prisma.join(
    rows.map((r) => Prisma.sql`WHEN ${r.secretId} THEN ${r.revision}`),
    ' ',
  );
  const ids = Prisma.join(rows.map((r) => r.secretId));
  return tx.$executeRaw`UPDATE "Secret" SET "currentVersion" = "currentVersion" + 1, "revision" = "revision" + 1, "updatedAt" = ${now}, "updatedById" = ${by},
    "valueFingerprint" = CASE "id" ${fingerprints} ELSE "valueFingerprint" END
    WHERE "projectId" = ${projectId} AND "id" IN (${ids}) AND "revision" = CASE "id" ${revisions} ELSE "revision" END`;
}

/** Signals a lost compare-and-swap inside the transaction (rolled back, then answered with a fresh preview). */
class Moved extends Error {}

/**
 * Applies the preview `previewId` of `source`: all of it in one transaction
 * with one audit event, or nothing. Refused (ImportStaleError, with the fresh
 * preview) when anything the preview was computed from has changed.
 */
export async function authorizedApplyImport(
  actor: AuditActor,
  target: ImportTarget,
  source: ImportSource,
  previewId: string,
  overwrite: readonly ImportOverwrite[],
): Promise<ImportResult> {
  const { projectId } = target;
  const { preview, environments } = await plan(target, source);
  if (preview.id !== previewId) throw new ImportStaleError(preview);

  const chosen = new Set(overwrite.map((o) => `${o.environment}\u0000${o.key}`));
  const keys = await projectKeys(projectId);
  const fingerprint = fingerprinter(projectId);
  const now = new Date();
  const secrets: NewRow[] = [];
  const versions: VersionRow[] = [];
  const updates: (Change & { environmentId: string; fingerprint: string })[] = [];
  for (const env of environments) {
    for (const entry of env.creates) {
      const id = randomUUID();
      secrets.push({
        id,
        projectId,
        environmentId: env.id,
        key: entry.key,
        keyFolded: entry.key.toLowerCase(),
        type: suggestType(entry.key),
        valueFingerprint: fingerprint(entry.value),
      });
      versions.push({ secretId: id, version: 1, blob: encryptValue(keys.current.key, keys.current.version, entry.value, id, 1) });
    }
    for (const change of env.changes) {
      if (!chosen.has(`${env.name}\u0000${change.entry.key}`)) continue;
      const version = change.currentVersion + 1;
      updates.push({ ...change, environmentId: env.id, fingerprint: fingerprint(change.entry.value) });
      versions.push({
        secretId: change.secretId,
        version,
        blob: encryptValue(keys.current.key, keys.current.version, change.entry.value, change.secretId, version),
      });
    }
  }
  const result: ImportResult = {
    created: secrets.length,
    updated: updates.length,
    unchanged: preview.counts.unchanged,
    skipped: preview.counts.changed - updates.length,
    invalid: preview.counts.invalid,
    duplicate: preview.counts.duplicate,
    environments: preview.environments,
  };
  const touched = environments.filter((env) => secrets.some((s) => s.environmentId === env.id) || updates.some((u) => u.environmentId === env.id));
  try {
    await db.$transaction(async (tx) => {
      // Locks in one order everywhere (secrets, environment, project key), like lib/secrets/authorized.ts.
      for (let i = 0; i < secrets.length; i += CHUNK) await insertSecrets(tx, secrets.slice(i, i + CHUNK), now, actor.userId);
      for (let i = 0; i < updates.length; i += CHUNK) {
        const chunk = updates.slice(i, i + CHUNK);
        if ((await overwriteSecrets(tx, projectId, chunk, now, actor.userId)) !== chunk.length) throw new Moved();
      }
      for (let i = 0; i < versions.length; i += CHUNK) await insertVersions(tx, versions.slice(i, i + CHUNK), now, actor.userId);
      for (const env of touched) await tx.environment.update({ where: { id: env.id }, data: { changedAt: now } });
      if (versions.length) await countEncryption(tx, projectId, keys.current.version, versions.length);
      await recordAudit(tx, actor, {
        projectId,
        action: 'secrets.imported',
        targetType: 'project',
        targetId: projectId,
        environment: preview.environments.join(', '),
        details: { ...result, format: source.format },
      });
    }, SECRET_WRITE_TRANSACTION);
  } catch (error) {
    if (error instanceof Moved || isUniqueViolation(error)) throw new ImportStaleError((await plan(target, source)).preview);
    throw error;
  }
  return result;
}
