import { Link, useRouteLoaderData } from '@remix-run/react'
import { roleCan } from '~/auth/permissions'
import { useLocale, useT } from '~/i18n/use-t'
import { DRIVER_LABELS, isDriverKey } from '~/responses/drivers'
import type { loader as rootLoader } from '~/root'

/** Who may open /actions/new: hr and admins, and managers (for their own teams; the form offers only those). */
function useMayCreateActions(): boolean {
  const viewer = useRouteLoaderData<typeof rootLoader>('root')?.viewer
  return Boolean(viewer && (viewer.isManager || roleCan(viewer.role, 'actions:write-org')))
}

type Source = { surveyId: string; roundId?: string | null; teamId?: string | null }

function newActionHref(source: Source, driver: string) {
  const params = new URLSearchParams({ driver, survey: source.surveyId })
  if (source.roundId) params.set('round', source.roundId)
  if (source.teamId) params.set('team', source.teamId)
  return `/actions/new?${params}`
}

/** "Create an action" on the eNPS of a result. */
export function EnpsActionLink(props: Source) {
  const t = useT()
  if (!useMayCreateActions()) return null
  return (
    <Link to={newActionHref(props, 'enps')} className="text-xs font-semibold text-brand-700 underline">
      {t.actions.createForEnps}
    </Link>
  )
}

/** One "Create an action" link per driver row of a result. */
export function DriverActionLinks(props: Source & { drivers: string[] }) {
  const t = useT()
  const locale = useLocale()
  if (!useMayCreateActions() || props.drivers.length === 0) return null
  return (
    <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs" aria-label={t.actions.create}>
      {props.drivers.filter(isDriverKey).map((d) => (
        <li key={d}>
          <Link to={newActionHref(props, d)} className="font-semibold text-brand-700 underline">
            {t.actions.createForDriver({ driver: DRIVER_LABELS[d][locale] })}
          </Link>
        </li>
      ))}
    </ul>
  )
}
