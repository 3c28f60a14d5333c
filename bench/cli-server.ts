// The server side of bench/cli.mjs (started by it; not meant to be run alone):
//   node --import tsx bench/cli-server.ts
// A throwaway SQLite database (migrated with scripts/migrate.mjs) holding one
// project whose production environment has a 100-secret SUCCEEDED deployment,
// a read token for it, and the real /api/v1 handler on 127.0.0.1 (port 0) —
// the same setup as tests/support/cli-server.ts. Prints one JSON line
// { url, token, secrets } on stdout, then serves until stdin closes or
// SIGTERM/SIGINT, and deletes its database.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-bench-cli-'));
process.env.DATABASE_URL = `file:${path.join(dir, 'bench.db')}`;
process.env.KEYHOLD_MASTER_KEY = randomBytes(32).toString('base64');
process.env.NEXTAUTH_SECRET = randomBytes(32).toString('base64');
process.env.KEYHOLD_API_RATE_PER_TOKEN = '0'; // the benchmark measures the CLI, not the limiter
process.env.KEYHOLD_API_RATE_PER_IP = '0';

/** 100 secrets shaped like a real environment: keys of 8–40 characters, values of 16–300 bytes, one PEM. */
export function benchSecrets(count = 100): Array<[string, string]> {
  const secrets: Array<[string, string]> = [];
  for (let i = 0; i < count - 1; i++) {
    const key = `BENCH_${['STRIPE', 'DATABASE', 'REDIS', 'SENTRY', 'S3', 'SMTP', 'OAUTH', 'WEBHOOK'][i % 8]}_${String(i).padStart(3, '0')}_${i % 3 === 0 ? 'API_KEY' : 'URL'}`;
    secrets.push([key, randomBytes(12 + ((i * 29) % 220)).toString('base64url')]);
  }
  const pem = `-----BEGIN PRIVATE KEY-----\n${randomBytes(1200)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
  secrets.push(['BENCH_TLS_PRIVATE_KEY', pem]);
  return secrets;
}

async function main() {
  const { applyMigrations } = await import('../lib/migrate.mjs');
  await applyMigrations({ databaseUrl: process.env.DATABASE_URL, log: () => undefined });
  const { seedProject, deploySecrets, makeToken, startApiServer } = await import('../tests/support/cli-server');
  const project = await seedProject('CLI bench');
  const secrets = benchSecrets();
  await deploySecrets(project.projectId, project.environments.production, secrets);
  const token = await makeToken(project.projectId, project.environments.production, { name: 'bench' });
  const api = await startApiServer();

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
  process.stdin.on('end', close);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ url: api.url, token, secrets: secrets.length })}\n`);
}

main().catch((error) => {
  console.error('[bench/cli-server] failed:', error);
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
