import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Db } from '#db/client'
import { apiKeys } from '#db/schema'
import type { Role } from '#db/schema/people'
import { hashToken, randomToken } from '~/auth/tokens.server'
import { recordAudit } from '~/audit/audit.server'

/** Creates a key and returns it in plain text once; only its hash is stored. */
export async function createApiKey(db: Db, input: { name: string; role?: Role; createdById?: string | null }) {
  const key = `pb_${randomToken(32)}`
  const [row] = await db
    .insert(apiKeys)
    .values({ name: input.name, role: input.role ?? 'admin', prefix: key.slice(0, 10), keyHash: hashToken(key), createdById: input.createdById ?? null })
    .returning({ id: apiKeys.id, name: apiKeys.name, role: apiKeys.role, prefix: apiKeys.prefix })
  await recordAudit(db, { actorId: input.createdById ?? null, action: 'api_key.created', target: row.id, details: { name: row.name, role: row.role } })
  return { ...row, key }
}

export async function listApiKeys(db: Db) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, role: apiKeys.role, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .orderBy(desc(apiKeys.createdAt))
}

export async function revokeApiKey(db: Db, input: { id: string; actorId: string }) {
  const [row] = await db.update(apiKeys).set({ revokedAt: new Date() }).where(and(eq(apiKeys.id, input.id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id })
  if (row) await recordAudit(db, { actorId: input.actorId, action: 'api_key.revoked', target: row.id })
  return Boolean(row)
}
