import { eq } from 'drizzle-orm'
import type { Db } from '#db/client'
import { recordAudit } from '~/audit/audit.server'
import { type Settings, settings } from '#db/schema'

/** The one settings row, created with the defaults on first read. */
export async function getSettings(db: Db): Promise<Settings> {
  const [row] = await db.select().from(settings).where(eq(settings.id, 1))
  if (row) return row
  const [created] = await db.insert(settings).values({ id: 1 }).onConflictDoNothing().returning()
  return created ?? (await db.select().from(settings).where(eq(settings.id, 1)))[0]
}

const perRequest = new WeakMap<object, Promise<Settings>>()

/**
 * The settings read once per request: Remix hands the root loader, the route's loader and its
 * action the same load context, so they share one read instead of one each (the survey page's
 * request reads them once). Only for reading: an action that changes the settings reads them with
 * getSettings, so the loaders that run after it read the new ones.
 */
export function requestSettings(context: { app: { db: Db } }): Promise<Settings> {
  let settings = perRequest.get(context)
  if (!settings) {
    settings = getSettings(context.app.db)
    perRequest.set(context, settings)
  }
  return settings
}

export async function updateSettings(db: Db, values: Partial<Omit<Settings, 'id' | 'updatedAt'>>): Promise<Settings> {
  await getSettings(db)
  const [row] = await db.update(settings).set({ ...values, updatedAt: new Date() }).where(eq(settings.id, 1)).returning()
  return row
}

const audited = ['thresholdScores', 'thresholdComments', 'enpsScale', 'winRateConvention', 'retentionMonths'] as const

/** Saves the settings form; threshold and convention changes go to the audit log. */
export async function saveSettings(db: Db, actorId: string, values: Partial<Omit<Settings, 'id' | 'updatedAt'>>) {
  return db.transaction(async (tx) => {
    const before = await getSettings(tx)
    const after = await updateSettings(tx, values)
    const changed = audited.filter((k) => before[k] !== after[k])
    if (changed.length) {
      await recordAudit(tx, { actorId, action: 'settings.changed', target: 'settings', details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])) })
    }
    return after
  })
}
