import { eq } from 'drizzle-orm'
import type { Db } from '#db/client'
import { type Settings, settings } from '#db/schema'

/** The one settings row, created with the defaults on first read. */
export async function getSettings(db: Db): Promise<Settings> {
  const [row] = await db.select().from(settings).where(eq(settings.id, 1))
  if (row) return row
  const [created] = await db.insert(settings).values({ id: 1 }).onConflictDoNothing().returning()
  return created ?? (await db.select().from(settings).where(eq(settings.id, 1)))[0]
}

export async function updateSettings(db: Db, values: Partial<Omit<Settings, 'id' | 'updatedAt'>>): Promise<Settings> {
  await getSettings(db)
  const [row] = await db.update(settings).set({ ...values, updatedAt: new Date() }).where(eq(settings.id, 1)).returning()
  return row
}
