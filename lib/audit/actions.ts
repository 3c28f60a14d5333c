'use server';

import { runAction } from '@/lib/action-runner';
import type { ActionResult } from '@/lib/action-result';
import { verifyProjectAuditChain, type ChainStatus } from '@/lib/audit/queries';

/** Verifies the project's audit chain now (OWNER/ADMIN: the data layer finds the project by slug and checks readAudit). */
export async function verifyAuditChainAction(slug: string): Promise<ActionResult<ChainStatus>> {
  return runAction({ name: 'verifyAuditChain', access: 'signed-in' }, () => verifyProjectAuditChain(String(slug)));
}
