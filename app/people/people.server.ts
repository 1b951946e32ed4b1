import { eq } from 'drizzle-orm'
import type { Db } from '#db/client'
import { people } from '#db/schema'
import type { Locale } from '~/i18n/locale'

export async function setPersonLocale(db: Db, personId: string, locale: Locale) {
  await db.update(people).set({ locale, updatedAt: new Date() }).where(eq(people.id, personId))
}
