import { createServer } from 'node:http';
import next from 'next';
import { ACTION_ORIGIN_REFUSAL, hasSameOrigin, isServerActionPost } from './lib/action-origin';
import { resolveRuntimeSecrets } from './lib/runtime-secrets';

// Keyhold's one server entry: `npm start`, `npm run dev` and the e2e tests
// all run this file, so what is tested and measured is what users run.

const dev = process.argv.includes('--dev');
const production = !dev && process.env.NODE_ENV === 'production';

const problem = resolveRuntimeSecrets(production);
if (problem) {
  console.error(`[keyhold] ${problem}`);
  process.exit(1);
}
// This file runs the production build unless --dev; Next expects NODE_ENV to say so.
Object.assign(process.env, { NODE_ENV: dev ? 'development' : 'production' });

const hostname = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);

async function main() {
  // Imported only now: lib/ reads its configuration on import, after resolveRuntimeSecrets above.
  const { handleApiRequest } = await import('./lib/api/handler');
  const { flushTokenUsage, stopTokenUsageTimer } = await import('./lib/tokens/registry');
  const { flushReads, stopReadTimer } = await import('./lib/audit/reads');
  const { startCheckLines } = await import('./lib/keys/master');

  // Refuse to serve, naming the projects, rather than fail later on a page (DESIGN.md §11).
  // (`npm start` runs the same check before building: scripts/start-check.ts.)
  const { refusal, warnings } = await startCheckLines();
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
  // (`npm start` ran the same check before building and printed these already.)
  if (!process.env.KEYHOLD_KEY_WARNINGS_SHOWN) for (const warning of warnings) console.error(warning);

  const { provider } = await import('./lib/db');
  const { databaseUrl } = await import('./lib/env');
  // Several instances on one PostgreSQL: hear the others' cache invalidations (lib/db-notify.ts).
  const listener = provider === 'postgresql' ? (await import('./lib/db-notify')).startChangeListener(databaseUrl()) : null;

  const app = next({ dev, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    // /api/v1 (the lean machine API) and /api/health, /api/ready: answered here without Next's router (DESIGN.md §8, §10).
    if (handleApiRequest(req, res)) return;
    // The client's address for Next (audit events, sign-in limits): always the socket's, never a client-sent header.
    // (lib/request.ts reads it; that module is server-only, so the name is repeated here.)
    req.headers['x-keyhold-client-ip'] = req.socket.remoteAddress ?? '';
    // Next lets a server-action POST with no Origin through and answers a foreign or
    // `null` one with a 500; browsers always send it on POST, so refuse all three here.
    // "Server action" as Next decides it: Next-Action, or any form POST outside /api/.
    if (isServerActionPost(req.method, req.headers, req.url) && !hasSameOrigin(req.headers)) {
      res.writeHead(ACTION_ORIGIN_REFUSAL.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ACTION_ORIGIN_REFUSAL.body));
      return;
    }
    void handle(req, res);
  });

  server.listen(port, hostname, () => {
    console.log(`[keyhold] ready on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}${dev ? ' (development)' : ''}`);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopTokenUsageTimer();
      stopReadTimer();
      // Write the service tokens' batched "last used" and the batched machine reads before leaving.
      const flushed = Promise.all([flushTokenUsage().catch(() => undefined), flushReads().catch(() => undefined), listener?.stop()]);
      server.close(() => void flushed.then(() => process.exit(0)));
      setTimeout(() => process.exit(0), 3000).unref();
    });
  }
}

main().catch((error) => {
  console.error('[keyhold] failed to start:', error);
  process.exit(1);
});
