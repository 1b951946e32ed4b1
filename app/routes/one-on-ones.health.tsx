import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requirePermission } from '~/auth/guards.server'
import { formatDate, formatNumber, formatPercent } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { cadenceHealth } from '~/one-on-ones/one-on-ones.server'
import { Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Cadence health · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  await requirePermission(ctx, request, 'one-on-ones:health')
  return cadenceHealth(ctx.db)
}

export default function CadenceHealth() {
  const t = useT()
  const locale = useLocale()
  const data = useLoaderData<typeof loader>()
  const h = t.oneOnOnes.health
  const [year, month] = data.checkInQuarter.from.split('-').map(Number)
  const quarter = h.quarter({ q: Math.floor((month - 1) / 3) + 1, year })
  return (
    <>
      <PageHeader title={h.title} description={h.intro} />
      {data.teams.length === 0 ? (
        <Notice>{h.empty}</Notice>
      ) : (
        <Card className="overflow-x-auto">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{h.title}</caption>
            <thead className="border-b border-slate-200 text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  {h.team}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {h.reports}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {h.heldLast30}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {h.share}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {h.overdue}
                </th>
                <th scope="col" className="py-2 text-right">
                  {h.checkIn({ quarter })}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.teams.map((team) => (
                <tr key={team.teamId} className="border-b border-slate-100">
                  <th scope="row" className="py-2 pr-3 font-medium">
                    {team.teamName}
                  </th>
                  <td className="py-2 pr-3 text-right tabular-nums">{team.reports}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{team.heldLast30}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatPercent(locale, team.share)}</td>
                  <td className={`py-2 pr-3 text-right tabular-nums ${team.overdue ? 'font-semibold text-red-800' : ''}`}>{team.overdue}</td>
                  <td className="py-2 text-right tabular-nums">
                    {team.checkInAverage === null ? <span className="text-slate-500">{h.belowThreshold({ n: data.threshold })}</span> : formatNumber(locale, team.checkInAverage, 1)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-3 text-xs text-slate-600">{h.checkInNote({ quarter, from: formatDate(locale, data.checkInQuarter.from, 'UTC'), to: formatDate(locale, data.checkInQuarter.to, 'UTC'), n: data.threshold })}</p>
        </Card>
      )}
    </>
  )
}
