// What every key command shares: its audit actor, how it reports progress,
// the batch size, and the one kind of error it ends with.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditActor } from '@/lib/audit/mutations';
import { env } from '@/lib/env';

/** An expected failure of a key or backup command: one line a person can act on, never a value. */
export class KeysError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeysError';
  }
}

export const COMMAND_ACTOR: AuditActor = { userId: null, label: 'keyhold keys', ip: null };
export const AUTOMATIC_ACTOR: AuditActor = { userId: null, label: 'keyhold (automatic rotation)', ip: null };

/** Progress of a long step: `done` of `total` items of `what`. */
export type Progress = (what: string, done: number, total: number) => void;
export const noProgress: Progress = () => undefined;

export const batchSize = () => env().KEYHOLD_KEYS_BATCH;

/** After each committed batch (tests lower the batch and add a pause to kill a command midway). */
export async function afterBatch(): Promise<void> {
  const pause = env().KEYHOLD_KEYS_BATCH_PAUSE_MS;
  if (pause > 0) await sleep(pause);
}

/** "2 and 3", "1, 2 and 4". */
export function listed(items: readonly (string | number)[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
