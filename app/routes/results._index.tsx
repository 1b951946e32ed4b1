import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { forbidden, requireManagerOr } from '~/auth/guards.server'
import { formatDate, formatNumber } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { listSurveyResults } from '~/responses/results.server'
import { viewerScope } from '~/auth/scope.server'
import { Card, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Results · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requireManagerOr(ctx, request, 'results:org')
  const scope = await viewerScope(ctx.db, viewer)
  if (scope.kind === 'none') forbidden()
  return { surveys: await listSurveyResults(ctx.db, scope) }
}

export default function ResultsIndex() {
  const t = useT()
  const locale = useLocale()
  const { surveys } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t.results.title} description={t.results.description} />
      {surveys.length === 0 ? <p>{t.results.noSurveys}</p> : null}
      <div className="grid gap-4">
        {surveys.map((s) => (
          <Card key={s.id}>
            <h2 className="text-lg font-semibold">
              <Link to={`/results/${s.id}`} className="text-brand-700 underline">{s.title}</Link>
            </h2>
            <p className="text-sm text-slate-600">
              {t.results.kinds[s.kind]} · {t.results.privacy[s.privacy]} · {t.results.rounds}: {s.rounds}
              {s.latestRoundOn ? ` · ${t.results.latestRound}: ${formatDate(locale, s.latestRoundOn)}` : ''}
              {s.imported ? ` · ${t.results.imported}` : ''}
            </p>
            {s.latest.length ? (
              <table className="mt-3 w-full text-sm">
                <thead>
                  <tr className="text-left">
                    <th scope="col" className="p-1">{t.results.group}</th>
                    <th scope="col" className="p-1">{t.results.respondents}</th>
                    <th scope="col" className="p-1">{t.results.enps}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.latest.map((row) => (
                    <tr key={row.group.id ?? 'org'} className="border-t border-slate-100">
                      <th scope="row" className="p-1 text-left font-normal">{row.group.name}</th>
                      <td className="p-1">{row.respondents.suppressed ? t.results.notEnough : row.respondents.n}</td>
                      <td className="p-1">{row.enps === null ? '—' : row.enps.suppressed ? t.results.notEnough : `${formatNumber(locale, row.enps.enps, 0)} (n = ${row.enps.n})`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </Card>
        ))}
      </div>
    </>
  )
}
