// The /api/v1 handler as server.ts mounts it, in its own process on the
// database of DATABASE_URL (e.g. a restored backup): prints `{"url": ...}` on
// one line when listening, and exits when its stdin closes.
import { setApiRateLimits } from '@/lib/api/rate-limit';
import { stopTokenUsageTimer } from '@/lib/tokens/registry';
import { startApiServer } from './api-server';

async function main() {
  stopTokenUsageTimer();
  setApiRateLimits({ perToken: 0, perIp: 0 });
  const server = await startApiServer();
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
}

void main();
