import type { DbOrTx } from '#db/client'
import { auditLog } from '#db/schema'

export type AuditEntry = {
  /** The signed-in person who acted, when the change came from the app. */
  actorId?: string | null
  /** The API key that acted, when the change came from /api/v1. */
  apiKeyId?: string | null
  /** A dotted verb, e.g. `person.role_changed`, `people.imported`, `results.exported`. */
  action: string
  /** What was acted on (an id or an email), when there is one thing. */
  target?: string | null
  details?: Record<string, unknown>
}

/**
 * Appends one entry to the audit log. Pass the transaction handle when the change itself runs in
 * one, so the entry is written if and only if the change is.
 */
export async function recordAudit(db: DbOrTx, entry: AuditEntry) {
  await db.insert(auditLog).values({
    actorId: entry.actorId ?? null,
    apiKeyId: entry.apiKeyId ?? null,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ?? {},
  })
}

/** Who performs a change: a person in the app or an API key. */
export type Actor = { actorId?: string | null; apiKeyId?: string | null }
