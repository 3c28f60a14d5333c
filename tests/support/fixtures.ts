import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { db } from '@/lib/db';
import { projectDeployOverview } from '@/lib/deploys/queries';
import type { EnvironmentDeployState } from '@/lib/deploys/types';
import { AppError } from '@/lib/errors';

// Shared setup for integration tests: users made straight in the database
// (sign-in is tested on its own) and the expected-failure assertion.

export type User = { id: string; name: string; email: string };

export async function makeUser(name: string): Promise<User> {
  return db.user.create({
    data: { name, email: `${name.toLowerCase()}-${randomUUID()}@example.test`, passwordHash: 'scrypt$unused' },
    select: { id: true, name: true, email: true },
  });
}

/** Awaits a data-layer call that must fail with this AppError code (and message). */
export async function expectAppError(promise: Promise<unknown>, code: string, message?: string): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toBe(message);
  return error as AppError;
}

export type Team = {
  owner: User;
  admin: User;
  member: User;
  /** Owner of `otherProjectId`, a stranger to `projectId`. */
  outsider: User;
  projectId: string;
  otherProjectId: string;
};

/** A project with one user per role, and another team's project beside it. */
export async function makeTeam(name: string): Promise<Team> {
  const { createProject } = await import('@/lib/projects/mutations');
  const { signInAs } = await import('./session');
  const [owner, admin, member, outsider] = await Promise.all(['Owner', 'Admin', 'Member', 'Outsider'].map(makeUser));
  const projectIdOf = async (slug: string) => (await db.project.findUniqueOrThrow({ where: { slug } })).id;
  signInAs(owner);
  const projectId = await projectIdOf((await createProject({ name })).slug);
  await db.membership.createMany({
    data: [
      { projectId, userId: admin.id, role: 'ADMIN' },
      { projectId, userId: member.id, role: 'MEMBER' },
    ],
  });
  signInAs(outsider);
  const otherProjectId = await projectIdOf((await createProject({ name: `Other ${name}` })).slug);
  signInAs(null);
  return { owner, admin, member, outsider, projectId, otherProjectId };
}

export async function environmentId(projectId: string, name: string): Promise<string> {
  return (await db.environment.findFirstOrThrow({ where: { projectId, name } })).id;
}

/** The add dialog's input for one secret (type Other, no description). */
export const secretInput = (key: string, value = 'v') => ({ key, value, description: '', type: 'OTHER' as const });

/** One environment's deploy state, as the project overview shows it. */
export async function deployStateOf(projectId: string, environmentId: string): Promise<EnvironmentDeployState> {
  const state = (await projectDeployOverview(projectId)).environments.find((e) => e.id === environmentId);
  if (!state) throw new Error(`environment ${environmentId} is not in project ${projectId}`);
  return state;
}
