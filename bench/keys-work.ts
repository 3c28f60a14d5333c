// The timed work of bench/keys.mjs, in its own process with that run's
// database and master keys (not meant to be run alone). One verb per run;
// prints one JSON line.
//   seed-projects <n>     n projects with a data key wrapped under the newest master key
//   rewrap-crypto <n>     unwrap + wrap of one data key, in memory, n times
//   rotate-master         rotateMaster() timed
//   seed-versions <n>     a project with n/2 secrets × 2 versions, a live deployment, a read token
//   rotate-project <slug> rotateProject() timed
import { randomUUID } from 'node:crypto';
import { generateDataKey, open, seal, wrapContext } from '@/lib/crypto/envelope';
import { db } from '@/lib/db';
import { rotateMaster } from '@/lib/keys/master';
import { findProject, rotateProject } from '@/lib/keys/rotate-project';
import { masterKeyring, wrapDataKey } from '@/lib/projects/keys';
import { makeToken } from '../tests/support/cli-server';
import { fillProject } from '../tests/support/key-fixtures';

const [verb, arg] = process.argv.slice(2);
const print = (result: object) => console.log(JSON.stringify(result));

async function main() {
  switch (verb) {
    case 'seed-projects': {
      const n = Number(arg);
      for (let i = 0; i < n; i += 500) {
        const projects = Array.from({ length: Math.min(500, n - i) }, (_, j) => ({ id: randomUUID(), name: `Rewrap ${i + j}`, slug: `rewrap-${i + j}` }));
        await db.$transaction(async (tx) => {
          await tx.project.createMany({ data: projects });
          await tx.projectKey.createMany({ data: projects.map((p) => ({ projectId: p.id, version: 1, ...wrapDataKey(p.id, 1, generateDataKey()) })) });
        });
      }
      return print({ projects: n });
    }
    case 'rewrap-crypto': {
      const n = Number(arg);
      const ring = masterKeyring();
      const master = ring.keys.get(ring.current)!;
      const wrapped = seal(master, ring.current, generateDataKey(), wrapContext('p', 1));
      const keyFor = (v: number) => ring.keys.get(v);
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) seal(master, ring.current, open(keyFor, wrapped, wrapContext('p', 1), 'bench'), wrapContext('p', 1));
      return print({ keys: n, usPerKey: Number(process.hrtime.bigint() - start) / 1000 / n });
    }
    case 'rotate-master': {
      const start = process.hrtime.bigint();
      const result = await rotateMaster();
      const us = Number(process.hrtime.bigint() - start) / 1000;
      return print({ keys: result.rewrapped, ms: us / 1000, usPerKey: us / result.rewrapped });
    }
    case 'seed-versions': {
      const project = await fillProject(`Rotation bench ${randomUUID().slice(0, 6)}`, Number(arg) / 2, 2);
      const token = await makeToken(project.projectId, project.environments.production);
      return print({ slug: project.slug, token, versions: Number(arg) });
    }
    case 'rotate-project': {
      const start = process.hrtime.bigint();
      const result = (await rotateProject(await findProject(arg)))!;
      const s = Number(process.hrtime.bigint() - start) / 1e9;
      return print({ blobs: result.reencrypted, seconds: s, perSecond: result.reencrypted / s });
    }
    default:
      throw new Error(`unknown verb ${verb}`);
  }
}

main()
  .then(() => db.$disconnect())
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
