import type { Db } from '#db/client'
import { auditLog } from '#db/schema'

export type AuditEntry = {
  actorId?: string | null
  apiKeyId?: string | null
  action: string
  target?: string | null
  details?: Record<string, unknown>
}

/** Records who did what (exports, role and threshold changes, privacy modes, erasures, keys). */
export async function recordAudit(db: Db, entry: AuditEntry) {
  await db.insert(auditLog).values({
    actorId: entry.actorId ?? null,
    apiKeyId: entry.apiKeyId ?? null,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ?? {},
  })
}
