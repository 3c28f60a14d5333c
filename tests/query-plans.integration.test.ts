// SQLite's planner has no statistics (no ANALYZE), so when two indexes fit a
// query it picks by their shape alone. Adding one index can silently move a hot
// query to another and make it scan the table: the overview's matrix index once
// took the secrets list's search, about 1 ms more per search of 10,000 secrets.
// These tests capture the SQL Prisma really sends (read from the driver) and
// ask SQLite how it would run it.
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountSettings } from '@/lib/account/queries';
import { provider } from '@/lib/db';
import { findSigningSecrets, projectDeployOverview } from '@/lib/deploys/queries';
import type { SecretListQuery } from '@/lib/secrets/list-query';
import { listSecrets } from '@/lib/secrets/queries';
import { migrateTestDatabase } from './support/db';
import { environmentId, makeTeam } from './support/fixtures';
import { signInAs } from './support/session';

type Plan = { sql: string; plan: string[] };

/** The query plan of every statement on `table` that `run` sends. */
async function plansOn(table: string, run: () => Promise<unknown>): Promise<Plan[]> {
  const reads = new RegExp(`FROM [\`"]?(main[\`"]?\\.[\`"]?)?${table}[\`"]?\\s`);
  const plans: Plan[] = [];
  const prepare = Database.prototype.prepare;
  vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, sql: string) {
    const statement = prepare.call(this, sql) as Database.Statement<unknown[]>;
    if (!reads.test(sql)) return statement;
    const bind = statement.bind.bind(statement);
    statement.bind = (...args: unknown[]) => {
      const explain = prepare.call(this, `EXPLAIN QUERY PLAN ${sql}`) as Database.Statement<unknown[], { detail: string }>;
      const detail = explain.all(...args);
      plans.push({ sql, plan: detail.map((row) => row.detail) });
      return bind(...args);
    };
    return statement;
  });
  await run();
  vi.restoreAllMocks();
  return plans;
}

const LIST_INDEX = 'Secret_environmentId_projectId_key_keyFolded_description_idx';
const UPDATED_INDEX = 'Secret_environmentId_projectId_updatedAt_id_idx';
const MATRIX_INDEX = 'Secret_projectId_key_environmentId_idx';

describe.runIf(provider === 'sqlite')('hot queries use their index', () => {
  let projectId: string, production: string;

  beforeAll(async () => {
    await migrateTestDatabase();
    const team = await makeTeam('Query Plans');
    projectId = team.projectId;
    production = await environmentId(projectId, 'production');
    signInAs(team.owner);
  });

  afterEach(() => vi.restoreAllMocks());

  const later = `${new Date().toISOString()}~${'f'.repeat(36)}`;
  const lists: [string, Partial<SecretListQuery>, string][] = [
    ['the first page of a list', { q: '' }, `USING INDEX ${LIST_INDEX}`],
    ['a search', { q: 'stripe' }, `USING INDEX ${LIST_INDEX}`],
    ['a list in reverse key order', { sort: 'key-desc' }, `USING INDEX ${LIST_INDEX}`],
    ['most recently updated first', { sort: 'updated' }, `USING INDEX ${UPDATED_INDEX}`],
    ['least recently updated first', { sort: 'updated-asc' }, `USING INDEX ${UPDATED_INDEX}`],
    // A later page seeks to its cursor instead of reading the pages before it.
    [
      'a later page, most recently updated first',
      { sort: 'updated', after: later },
      `USING INDEX ${UPDATED_INDEX} (environmentId=? AND projectId=? AND updatedAt<?)`,
    ],
    [
      'a later page, least recently updated first',
      { sort: 'updated-asc', after: later },
      `USING INDEX ${UPDATED_INDEX} (environmentId=? AND projectId=? AND updatedAt>?)`,
    ],
  ];
  it.each(lists)('%s walks its index in order: no table scan, no sort', async (_name, query, index) => {
    const [list] = await plansOn('Secret', () => listSecrets(projectId, production, query));
    expect(list.plan.join(' | ')).toContain(index);
    expect(list.plan.join(' | ')).not.toMatch(/SCAN (main\.)?Secret|TEMP B-TREE/);
  });

  it('the signing secret search walks the list index too', async () => {
    const [search] = await plansOn('Secret', () => findSigningSecrets(projectId, production, 'webhook'));
    expect(search.plan.join(' | ')).toContain(LIST_INDEX);
    expect(search.plan.join(' | ')).not.toMatch(/SCAN (main\.)?Secret|TEMP B-TREE FOR ORDER BY/);
  });

  it("the overview reads this project's secrets only, never the whole table", async () => {
    const plans = await plansOn('Secret', () => projectDeployOverview(projectId));
    expect(plans.length).toBeGreaterThanOrEqual(3); // the secret counts and the matrix's two queries
    for (const { sql, plan } of plans) expect(plan.join(' | '), sql).not.toMatch(/SCAN (main\.)?Secret( |$)/);
  });

  it("the overview's matrix reads only its covering index", async () => {
    const plans = await plansOn('Secret', () => projectDeployOverview(projectId));
    const matrix = plans.filter((p) => p.sql.includes('GROUP BY "key"'));
    expect(matrix).toHaveLength(2);
    for (const { plan } of matrix) expect(plan.join(' | ')).toContain(`USING COVERING INDEX ${MATRIX_INDEX}`);
  });

  it("the account page counts the caller's recovery codes only", async () => {
    const plans = await plansOn('RecoveryCode', () => accountSettings());
    expect(plans).toHaveLength(1);
    expect(plans[0].plan.join(' | ')).not.toMatch(/SCAN (main\.)?RecoveryCode( |$)/);
  });
});
