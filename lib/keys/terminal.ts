// How the key and backup commands talk to a person: a progress bar on a
// terminal, plain progress lines otherwise, and one clear line on failure
// (never a stack trace, never a value).
import { IntegrityError } from '@/lib/crypto/envelope';
import { Prisma } from '@/lib/generated/prisma/client';
import { KeysError, type Progress } from '@/lib/keys/batches';

export const count = (n: number) => n.toLocaleString('en-US');
export const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

const BAR = 30;
const LINE_EVERY_MS = 1000;

/** Progress on stdout: a redrawn bar on a TTY, else a line per step at most once a second (and the first and last). */
export function terminalProgress(stream: NodeJS.WriteStream = process.stdout): Progress & { end(): void } {
  let open = false;
  let lastLine = 0;
  let lastWhat = '';
  const progress = (what: string, done: number, total: number) => {
    if (stream.isTTY) {
      const share = total === 0 ? 1 : done / total;
      const filled = Math.round(share * BAR);
      stream.write(`\r${what} [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${Math.floor(share * 100)}% ${count(done)}/${count(total)}`);
      open = true;
      return;
    }
    const now = Date.now();
    if (done === 0 && total > 0) return;
    if (what === lastWhat && done < total && now - lastLine < LINE_EVERY_MS) return;
    stream.write(`${what}: ${count(done)}/${count(total)}\n`);
    [lastLine, lastWhat] = [now, what];
  };
  return Object.assign(progress, {
    end() {
      if (open) stream.write('\n');
      open = false;
    },
  });
}

/** The one line a failed command prints. */
function failureLine(error: unknown): string {
  if (error instanceof KeysError || error instanceof IntegrityError) return error.message;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    return error.code === 'P2021' ? 'the database has no Keyhold tables: run `npm run migrate` first (or check DATABASE_URL)' : `database error ${error.code}`;
  }
  if (error instanceof Prisma.PrismaClientInitializationError) return 'cannot open the database: check DATABASE_URL';
  const e = error instanceof Error ? error : new Error(String(error));
  // Messages of our own modules never carry values; keep the first line only.
  return `${e.name}: ${e.message.split('\n')[0].slice(0, 300)}`;
}

/** Runs a command: exit 0 when it returns true, 1 with one line on stderr when it fails. */
export async function runCommand(name: string, command: () => Promise<boolean>): Promise<never> {
  let ok = false;
  try {
    ok = await command();
  } catch (error) {
    process.stderr.write(`${name}: ${failureLine(error)}\n`);
  }
  process.exit(ok ? 0 : 1);
}
