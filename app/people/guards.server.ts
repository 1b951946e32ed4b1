import type { Permission } from '~/auth/permissions'
import { requirePermission } from '~/auth/guards.server'
import type { AppContext } from '~/context'
import { messagesFor } from '~/i18n'
import { resolveLocale } from '~/i18n/locale.server'
import { getSettings } from '~/settings/settings.server'

/** The guard of every people/teams screen: the permission, then the viewer's messages for error text. */
export async function requirePeopleAccess(ctx: AppContext, request: Request, permission: Permission) {
  const viewer = await requirePermission(ctx, request, permission)
  const settings = await getSettings(ctx.db)
  const locale = await resolveLocale(request, viewer.locale, settings.defaultLocale)
  return { viewer, t: messagesFor(locale), locale, today: todayIn(settings.timezone) }
}

/** Today's date (YYYY-MM-DD) in the organisation's time zone, for leaving dates. */
export function todayIn(timeZone: string) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
}
