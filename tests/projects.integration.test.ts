import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createProject } from '@/lib/projects/mutations';
import { migrateTestDatabase } from './support/db';
import { makeUser, type User } from './support/fixtures';
import { signInAs } from './support/session';

let owner: User;

beforeAll(async () => {
  await migrateTestDatabase();
  owner = await makeUser('Creator');
});

describe('a new project’s slug', () => {
  it('is the name’s, numbered when a project already has it', async () => {
    const name = `Acme ${randomUUID().slice(0, 8)}`;
    const base = name.toLowerCase().replace(' ', '-');
    signInAs(owner);
    expect(await createProject({ name })).toEqual({ slug: base });
    expect(await createProject({ name })).toEqual({ slug: `${base}-2` });
    // A project of another name whose slug merely starts the same way takes no number away.
    expect(await createProject({ name: `${name} 3` })).toEqual({ slug: `${base}-3` });
    expect(await createProject({ name })).toEqual({ slug: `${base}-4` });
  });

  it('stays unique when projects of the same name are created at the same moment, and each is complete', async () => {
    const name = `Race ${randomUUID().slice(0, 8)}`;
    const base = name.toLowerCase().replace(' ', '-');
    signInAs(owner);
    const created = await Promise.all(Array.from({ length: 6 }, () => createProject({ name })));
    const slugs = created.map((c) => c.slug).sort();
    expect(slugs).toEqual([base, `${base}-2`, `${base}-3`, `${base}-4`, `${base}-5`, `${base}-6`].sort());
    const projects = await db.project.findMany({
      where: { name },
      select: { slug: true, memberships: { select: { userId: true, role: true } }, _count: { select: { environments: true } } },
    });
    expect(projects).toHaveLength(6);
    for (const project of projects) {
      expect(project.memberships).toEqual([{ userId: owner.id, role: 'OWNER' }]);
      expect(project._count.environments).toBe(3);
    }
    // One project.created event per project: a retried slug left nothing behind.
    expect(await db.auditEvent.count({ where: { action: 'project.created', targetLabel: name } })).toBe(6);
  });
});
