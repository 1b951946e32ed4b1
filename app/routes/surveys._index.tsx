import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requirePermission } from '~/auth/guards.server'
import { formatDateTime } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { getSettings } from '~/settings/settings.server'
import { listSurveys } from '~/surveys/surveys.server'
import { Card, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Surveys · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  await requirePermission(ctx, request, 'surveys:design')
  const [surveys, settings] = await Promise.all([listSurveys(ctx.db), getSettings(ctx.db)])
  return { surveys, timezone: settings.timezone }
}

export default function Surveys() {
  const t = useT()
  const locale = useLocale()
  const { surveys, timezone } = useLoaderData<typeof loader>()
  const s = t.surveys
  const when = (iso: string | null) => (iso ? formatDateTime(locale, iso, timezone) : s.list.none)
  return (
    <>
      <PageHeader
        title={s.title}
        description={s.description}
        actions={
          <Link to="/surveys/new" className="inline-flex min-h-10 items-center rounded-md bg-brand-700 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-800">
            {s.list.newSurvey}
          </Link>
        }
      />
      <Card>
        {surveys.length === 0 ? (
          <p className="text-slate-700">{s.list.empty}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[720px] text-left text-sm">
              <caption className="sr-only">{s.list.caption}</caption>
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-3">{s.list.survey}</th>
                  <th scope="col" className="py-2 pr-3">{s.list.status}</th>
                  <th scope="col" className="py-2 pr-3">{s.list.nextRound}</th>
                  <th scope="col" className="py-2 pr-3">{s.list.lastRound}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{s.list.sent}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{s.list.failed}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{s.list.rejected}</th>
                  <th scope="col" className="py-2 text-right">{s.list.responded}</th>
                </tr>
              </thead>
              <tbody>
                {surveys.map((survey) => (
                  <tr key={survey.id} className="border-b border-slate-100 align-top">
                    <th scope="row" className="py-2 pr-3 font-medium">
                      <Link to={`/surveys/${survey.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                        {survey.title}
                      </Link>
                      <div className="text-xs font-normal text-slate-600">
                        {s.kinds[survey.kind]} · {s.cadences[survey.cadence]} · {s.privacyModes[survey.privacy]} · {s.new.questions({ n: survey.questionCount })}
                      </div>
                    </th>
                    <td className="py-2 pr-3">{s.statuses[survey.status]}</td>
                    <td className="py-2 pr-3">{survey.status === 'active' ? when(survey.nextDueAt) : s.list.none}</td>
                    <td className="py-2 pr-3">{when(survey.lastRound?.dueAt ?? null)}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{survey.lastRound ? `${survey.lastRound.sent} / ${survey.lastRound.invited}` : s.list.none}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{survey.lastRound?.failed ?? s.list.none}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{survey.lastRound?.rejected ?? s.list.none}</td>
                    <td className="py-2 text-right tabular-nums">{survey.lastRound?.responded ?? (survey.lastRound?.respondedFewerThan ? s.list.respondedFewerThan({ n: survey.lastRound.respondedFewerThan }) : s.list.none)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  )
}
