import { and, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { hosts } from '../../db/schema/index.js';
import type { Policy } from '../prioritize/index.js';
import { type RefreshResult, refreshHostFindings } from './refresh.js';

/** Re-match every scanned host (after an advisory import, or a policy change). */
export async function refreshAllFindings(db: Db, policy: Policy, now = new Date()): Promise<RefreshResult[]> {
  const scanned = await db
    .select({ id: hosts.id })
    .from(hosts)
    .where(and(isNull(hosts.retiredAt), isNotNull(hosts.lastScanAt)))
    .orderBy(hosts.name);
  const results: RefreshResult[] = [];
  for (const host of scanned) results.push(await refreshHostFindings(db, host.id, policy, now));
  return results;
}
