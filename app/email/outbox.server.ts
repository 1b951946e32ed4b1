import { desc, eq } from 'drizzle-orm'
import type { Db } from '#db/client'
import { outbox } from '#db/schema'

export async function listOutbox(db: Db, options: { limit?: number } = {}) {
  return db
    .select({ id: outbox.id, to: outbox.to, subject: outbox.subject, kind: outbox.kind, createdAt: outbox.createdAt })
    .from(outbox)
    .orderBy(desc(outbox.createdAt))
    .limit(options.limit ?? 200)
}

export async function getOutboxMessage(db: Db, id: string) {
  const [row] = await db.select().from(outbox).where(eq(outbox.id, id))
  return row ?? null
}
