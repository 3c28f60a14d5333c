// The setup of bench/audit-page.mjs, in its own process with that run's
// database (not meant to be run alone). Prints one JSON line.
//   session <projectId>   an OWNER of the project and a session cookie for them
import { randomUUID } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { db } from '@/lib/db';

const [verb, projectId] = process.argv.slice(2);

async function main() {
  if (verb !== 'session') throw new Error(`unknown verb ${verb}`);
  const user = await db.user.create({
    data: { name: 'Bench Owner', email: `owner-${randomUUID()}@bench.test`, passwordHash: 'scrypt$unused' },
    select: { id: true, name: true, email: true },
  });
  await db.membership.create({ data: { userId: user.id, projectId, role: 'OWNER' } });
  // A token that acted in the seeded log, for the actor filter.
  const byToken = await db.auditEvent.findFirst({ where: { projectId, actorTokenId: { not: null } }, select: { actorTokenId: true } });
  // What next-auth's sign-in sets: a JWT signed with NEXTAUTH_SECRET carrying the user id and session version.
  const jwt = await encode({ token: { sub: user.id, sv: 0, name: user.name, email: user.email }, secret: process.env.NEXTAUTH_SECRET! });
  console.log(JSON.stringify({ cookie: `next-auth.session-token=${jwt}`, tokenId: byToken?.actorTokenId ?? null }));
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
