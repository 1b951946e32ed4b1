import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { forbidden, notFound, requireManagerOr, requireUuid } from '~/auth/guards.server'
import { StageChart, TrendChart } from '~/funnel/charts'
import { parseDashboardQuery, repDashboard } from '~/funnel/dashboard.server'
import { FilterForm, funnelFormat } from '~/funnel/ui'
import { useLocale, useT } from '~/i18n/use-t'
import { DataTable } from '~/ui/data-table'
import { Card, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Rep funnel · Pulseboard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // Per-rep figures: managers for their own reps and the sales roles (funnel:org); never marketing (funnel:top).
  const viewer = await requireManagerOr(context.app, request, 'funnel:org')
  const result = await repDashboard(context.app.db, viewer, requireUuid(params.personId), parseDashboardQuery(new URL(request.url)))
  if (result.status === 'not_found') notFound()
  // Outside the viewer's teams: refused, whatever the URL.
  if (result.status === 'forbidden') forbidden()
  return result
}

export default function RepFunnel() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  const fmt = funnelFormat(locale, t.funnel.none)
  const k = t.funnel.kpi
  const currencies = [...new Set(data.trend.map((r) => r.currency))]
  return (
    <>
      <PageHeader
        title={t.funnel.rep.title({ name: data.person.name })}
        description={[data.person.email, data.person.teamName].filter(Boolean).join(' · ')}
        actions={
          <Link to={`/funnel?${new URLSearchParams({ period: data.period, from: data.from, to: data.to }).toString()}`} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-50">
            {t.funnel.rep.back}
          </Link>
        }
      />
      <FilterForm t={t} values={data} />
      <Card title={t.funnel.rep.trends}>
        {currencies.map((currency) => {
          const series = data.trend.filter((r) => r.currency === currency)
          return (
            <div key={currency} className="mb-6 grid gap-4 lg:grid-cols-3">
              <div>
                <h3 className="text-sm font-semibold">
                  {k.wonAmount} ({currency})
                </h3>
                <TrendChart label={`${k.wonAmount} (${currency})`} points={series.map((r) => ({ label: r.period, value: r.wonAmount }))} format={(v) => fmt.moneyShort(v, currency)} />
              </div>
              <div>
                <h3 className="text-sm font-semibold">{k.winRate}</h3>
                <TrendChart label={`${k.winRate} (${currency})`} points={series.map((r) => ({ label: r.period, value: r.winRate }))} format={(v) => fmt.percent(v)} />
              </div>
              <div>
                <h3 className="text-sm font-semibold">{k.pipelineValue}</h3>
                <TrendChart label={`${k.pipelineValue} (${currency})`} points={series.map((r) => ({ label: r.period, value: r.pipelineValue }))} format={(v) => fmt.moneyShort(v, currency)} />
              </div>
            </div>
          )
        })}
        <DataTable
          caption={`${t.funnel.dataTable}: ${t.funnel.rep.trends}`}
          columns={[t.funnel.table.period, t.funnel.table.currency, k.leadsCreated, k.leadConversionRate, k.opportunitiesCreated, k.won, k.lost, k.winRate, k.wonAmount, k.avgDealSize, k.salesCycleDaysMedian, k.salesCycleDaysMean, k.pipelineValue, k.weightedPipelineValue, k.pipelineVelocity, k.target, k.quotaAttainment]}
          rows={data.trend.map((r) => [
            r.period,
            r.currency,
            fmt.number(r.leadsCreated),
            fmt.percent(r.leadConversionRate),
            fmt.number(r.opportunitiesCreated),
            fmt.number(r.won),
            fmt.number(r.lost),
            fmt.percent(r.winRate),
            fmt.money(r.wonAmount, r.currency),
            fmt.money(r.avgDealSize, r.currency),
            fmt.number(r.salesCycleDaysMedian, 1),
            fmt.number(r.salesCycleDaysMean, 1),
            fmt.money(r.pipelineValue, r.currency),
            fmt.money(r.weightedPipelineValue, r.currency),
            fmt.money(r.pipelineVelocity, r.currency),
            fmt.money(r.target, r.currency),
            fmt.percent(r.quotaAttainment),
          ])}
          empty={t.funnel.noData}
        />
      </Card>
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card title={t.funnel.sections.stages}>
          <StageChart label={t.funnel.sections.stages} points={data.stages.map((s) => ({ label: s.name, value: s.reached }))} />
          <DataTable
            caption={`${t.funnel.dataTable}: ${t.funnel.sections.stages}`}
            columns={[t.funnel.stage.stage, t.funnel.stage.reached, t.funnel.stage.nextStep, t.funnel.stage.cumulative]}
            rows={data.stages.map((s) => [s.name, fmt.number(s.reached), fmt.percent(s.nextStep), fmt.percent(s.cumulative)])}
            empty={t.funnel.noData}
          />
        </Card>
        <Card title={t.funnel.sections.forecast}>
          <DataTable
            caption={t.funnel.forecast.note}
            columns={[t.funnel.forecast.horizon, t.funnel.table.currency, t.funnel.forecast.wonToDate, t.funnel.forecast.forecastByStage, t.funnel.forecast.forecastByWinRate, k.target, t.funnel.forecast.attainment]}
            rows={data.forecast.map((f) => [
              `${f.horizon === 'current' ? t.funnel.forecast.current : t.funnel.forecast.next} (${f.period})`,
              f.currency,
              fmt.money(f.wonToDate, f.currency),
              fmt.money(f.forecastByStage, f.currency),
              fmt.money(f.forecastByWinRate, f.currency),
              fmt.money(f.target, f.currency),
              fmt.percent(f.forecastAttainmentByStage),
            ])}
            empty={t.funnel.noData}
          />
        </Card>
      </div>
    </>
  )
}
