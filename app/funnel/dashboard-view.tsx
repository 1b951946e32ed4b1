import { Link, useLocation } from '@remix-run/react'
import { useLocale, useT } from '~/i18n/use-t'
import { DataTable } from '~/ui/data-table'
import { Card, PageHeader } from '~/ui/page'
import { Sparkline, StageChart, TrendChart } from './charts'
import type { funnelDashboard } from './dashboard.server'
import type { FunnelRow } from './kpi.server'
import { type RepSortKey, repSortKeys } from './rep-sort'
import { FilterForm, funnelFormat } from './ui'

/** What the funnel dashboard shows: the dashboard's figures, and what the viewer may see and change. */
export type FunnelDashboardData = Awaited<ReturnType<typeof funnelDashboard>> & { seesEveryone: boolean; isAdmin: boolean }
type Data = FunnelDashboardData

type Fmt = ReturnType<typeof funnelFormat>
type CardKey = 'wonAmount' | 'winRate' | 'avgDealSize' | 'salesCycleDaysMedian' | 'pipelineValue' | 'leadConversionRate' | 'opportunitiesCreated' | 'pipelineVelocity'
const cardKeys: CardKey[] = ['wonAmount', 'winRate', 'avgDealSize', 'salesCycleDaysMedian', 'pipelineValue', 'leadConversionRate', 'opportunitiesCreated', 'pipelineVelocity']
const moneyKeys = new Set<string>(['wonAmount', 'avgDealSize', 'pipelineValue', 'weightedPipelineValue', 'pipelineVelocity'])
const rateKeys = new Set<string>(['winRate', 'leadConversionRate', 'quotaAttainment'])

function formatKey(fmt: Fmt, key: string, value: number | null, currency: string) {
  if (moneyKeys.has(key)) return fmt.money(value, currency)
  if (rateKeys.has(key)) return fmt.percent(value)
  if (key.startsWith('salesCycle')) return fmt.number(value, 1)
  return fmt.number(value)
}

/** The funnel dashboard: marketing's top of the funnel, or every figure for the others. */
export function FunnelDashboardView({ data }: { data: FunnelDashboardData }) {
  return data.view === 'top' ? <TopOfFunnel data={data} /> : <FullFunnel data={data} />
}

/** Marketing's view: leads, their conversion and campaigns, organisation-wide; nothing per rep or team. */
function TopOfFunnel({ data }: { data: Extract<Data, { view: 'top' }> }) {
  const t = useT()
  const locale = useLocale()
  const fmt = funnelFormat(locale, t.funnel.none)
  const k = t.funnel.kpi
  const benchmark = data.benchmarks.find((b) => b.metric === 'leadConversionRate')
  return (
    <>
      <PageHeader
        title={t.funnel.top.title}
        description={t.funnel.top.description}
        actions={
          <Link to="/funnel/benchmarks" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-50">
            {t.funnel.benchmarks.title}
          </Link>
        }
      />
      <p className="mb-4 text-sm text-slate-700">{t.funnel.top.note}</p>
      <FilterForm t={t} values={data} options={data.options} />
      <p className="mb-4 text-xs text-slate-600">{t.funnel.unmappedNote}</p>

      <Card title={t.funnel.top.trend}>
        <TrendChart label={k.leadsCreated} points={data.trend.map((r) => ({ label: r.period, value: r.leadsCreated }))} format={(v) => fmt.number(v)} />
        <DataTable
          caption={`${t.funnel.dataTable}: ${t.funnel.top.trend}`}
          columns={[t.funnel.table.period, k.leadsCreated, k.leadsConverted, k.leadConversionRate]}
          rows={data.trend.map((r) => [r.period, fmt.number(r.leadsCreated), fmt.number(r.leadsConverted), fmt.percent(r.leadConversionRate)])}
          empty={t.funnel.noData}
        />
        {benchmark ? (
          <p className="mt-2 text-xs text-slate-700">
            {t.funnel.cards.vsBenchmark({ value: fmt.percent(benchmark.value), source: `${benchmark.source}${benchmark.year ? ` ${benchmark.year}` : ''}` })}
          </p>
        ) : null}
      </Card>

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        {([['bySource', data.bySource], ['byIndustry', data.byIndustry]] as const).map(([key, rows]) => (
          <Card key={key} title={t.funnel.sections[key]}>
            <DataTable
              caption={`${t.funnel.dataTable}: ${t.funnel.sections[key]}`}
              captionHidden
              columns={[t.funnel.table.segment, k.leadsCreated, k.leadsConverted, k.leadConversionRate]}
              rows={rows.map((r) => [r.segment ?? t.funnel.table.notSet, fmt.number(r.leadsCreated), fmt.number(r.leadsConverted), fmt.percent(r.leadConversionRate)])}
              empty={t.funnel.noData}
            />
          </Card>
        ))}
      </div>

      {data.campaigns ? <CampaignCard campaigns={data.campaigns} fmt={fmt} t={t} /> : null}
    </>
  )
}

function CampaignCard({ campaigns, fmt, t }: { campaigns: Data['campaigns'] & object; fmt: Fmt; t: ReturnType<typeof useT> }) {
  const k = t.funnel.kpi
  return (
    <Card title={t.funnel.sections.campaigns} className="mt-6">
      <DataTable
        caption={`${t.funnel.dataTable}: ${t.funnel.sections.campaigns}`}
        captionHidden
        columns={[t.funnel.campaigns.campaign, t.funnel.campaigns.cost, t.funnel.campaigns.leads, k.leadConversionRate, k.won, k.wonAmount, t.funnel.campaigns.roi, t.funnel.campaigns.costPerLead, t.funnel.campaigns.costPerWonDeal]}
        rows={campaigns.map((c) => [c.campaign, fmt.money(c.cost, c.currency), fmt.number(c.leads), fmt.percent(c.leadConversionRate), fmt.number(c.won), fmt.money(c.wonAmount, c.currency), fmt.multiple(c.roi), fmt.money(c.costPerLead, c.currency), fmt.money(c.costPerWonDeal, c.currency)])}
        empty={t.funnel.noData}
      />
    </Card>
  )
}

function FullFunnel({ data }: { data: Extract<Data, { view: 'full' }> }) {
  const t = useT()
  const locale = useLocale()
  const location = useLocation()
  const fmt = funnelFormat(locale, t.funnel.none)
  const k = t.funnel.kpi
  const currencies = [...new Set(data.trend.map((r) => r.currency))]
  const benchmark = (metric: string) => data.benchmarks.find((b) => b.metric === metric)
  const params = new URLSearchParams(location.search)
  const sortHref = (key: RepSortKey) => {
    const next = new URLSearchParams(params)
    next.set('sort', key)
    next.set('dir', data.sort === key && data.dir === 'desc' ? 'asc' : key === 'name' ? 'asc' : 'desc')
    return `?${next.toString()}`
  }
  const repHref = (id: string) => `/funnel/reps/${id}?${new URLSearchParams({ period: data.period, from: data.from, to: data.to }).toString()}`
  const sortLabels: Record<RepSortKey, string> = { name: t.funnel.table.rep, ...Object.fromEntries(repSortKeys.filter((s) => s !== 'name').map((s) => [s, k[s as Exclude<RepSortKey, 'name'>]])) } as Record<RepSortKey, string>

  return (
    <>
      <PageHeader
        title={t.funnel.title}
        description={t.funnel.description}
        actions={
          <>
            <Link to="/funnel/targets" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-50">
              {t.funnel.targets.title}
            </Link>
            <Link to="/funnel/benchmarks" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-50">
              {t.funnel.benchmarks.title}
            </Link>
          </>
        }
      />
      {!data.seesEveryone ? <p className="mb-4 text-sm text-slate-700">{t.funnel.scopeNote}</p> : null}
      <FilterForm t={t} values={data} options={data.options} />
      <p className="mb-4 text-xs text-slate-600">
        {t.funnel.currencyNote} {t.funnel.unmappedNote}
      </p>

      <section aria-labelledby="kpis" className="mb-8">
        <h2 id="kpis" className="mb-3 text-lg font-semibold">
          {t.funnel.sections.kpis}
        </h2>
        {currencies.map((currency) => {
          const series = data.trend.filter((r) => r.currency === currency)
          const last = series.at(-1)
          const prev = series.at(-2)
          if (!last) return null
          return (
            <div key={currency} className="mb-4">
              <p className="mb-2 text-sm text-slate-700">
                {currency} · {t.funnel.cards.latest({ period: last.period })}
              </p>
              <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
                {cardKeys.map((key) => (
                  <KpiCard key={key} label={k[key]} row={last} prev={prev} series={series} metric={key} fmt={fmt} benchmark={benchmark(key)} t={t} />
                ))}
              </ul>
            </div>
          )
        })}
        {currencies.length === 0 ? <p className="text-sm text-slate-600">{t.funnel.noData}</p> : null}
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t.funnel.sections.trend}>
          {currencies.map((currency) => (
            <div key={currency} className="mb-4">
              <TrendChart
                label={`${k.wonAmount} (${currency})`}
                points={data.trend.filter((r) => r.currency === currency).map((r) => ({ label: r.period, value: r.wonAmount }))}
                format={(v) => fmt.moneyShort(v, currency)}
              />
            </div>
          ))}
          <DataTable
            caption={`${t.funnel.dataTable}: ${t.funnel.sections.trend}`}
            columns={[t.funnel.table.period, t.funnel.table.currency, k.wonAmount, k.target, k.quotaAttainment, k.winRate, k.pipelineValue, k.leadsCreated]}
            rows={data.trend.map((r) => [r.period, r.currency, fmt.money(r.wonAmount, r.currency), fmt.money(r.target, r.currency), fmt.percent(r.quotaAttainment), fmt.percent(r.winRate), fmt.money(r.pipelineValue, r.currency), fmt.number(r.leadsCreated)])}
            empty={t.funnel.noData}
          />
        </Card>

        <Card title={t.funnel.sections.stages}>
          <StageChart label={t.funnel.sections.stages} points={data.stages.map((s) => ({ label: s.name, value: s.reached }))} />
          <DataTable
            caption={`${t.funnel.dataTable}: ${t.funnel.sections.stages}`}
            columns={[t.funnel.stage.stage, t.funnel.stage.reached, t.funnel.stage.nextStep, t.funnel.stage.cumulative]}
            rows={data.stages.map((s) => [s.name, fmt.number(s.reached), fmt.percent(s.nextStep), fmt.percent(s.cumulative)])}
            empty={t.funnel.noData}
          />
          <p className="mt-2 text-xs text-slate-600">{t.funnel.stage.note}</p>
        </Card>
      </div>

      <Card title={t.funnel.sections.forecast} className="mt-6">
        <DataTable
          caption={t.funnel.forecast.note}
          columns={[t.funnel.forecast.horizon, t.funnel.table.currency, t.funnel.forecast.wonToDate, t.funnel.forecast.openPipeline, t.funnel.forecast.forecastByStage, t.funnel.forecast.forecastByWinRate, k.target, t.funnel.forecast.attainment]}
          rows={data.forecast.map((f) => [
            `${f.horizon === 'current' ? t.funnel.forecast.current : t.funnel.forecast.next} (${f.period})`,
            f.currency,
            fmt.money(f.wonToDate, f.currency),
            fmt.money(f.openPipeline, f.currency),
            fmt.money(f.forecastByStage, f.currency),
            fmt.money(f.forecastByWinRate, f.currency),
            fmt.money(f.target, f.currency),
            fmt.percent(f.forecastAttainmentByStage),
          ])}
          empty={t.funnel.noData}
        />
      </Card>

      <Card title={t.funnel.sections.reps} className="mt-6">
        <p className="mb-2 text-xs text-slate-600">{t.funnel.table.windowNote({ from: data.from, to: data.to })}</p>
        <RepTable rows={data.reps} sort={data.sort} dir={data.dir} sortHref={sortHref} repHref={repHref} labels={sortLabels} fmt={fmt} t={t} />
      </Card>

      <Card title={t.funnel.sections.teams} className="mt-6">
        <DataTable
          caption={t.funnel.table.windowNote({ from: data.from, to: data.to })}
          columns={[t.funnel.table.team, t.funnel.table.currency, k.opportunitiesCreated, k.won, k.wonAmount, k.winRate, k.avgDealSize, k.salesCycleDaysMedian, k.pipelineValue, k.quotaAttainment]}
          rows={data.teams.map((r) => [r.group.name, r.currency, fmt.number(r.opportunitiesCreated), fmt.number(r.won), fmt.money(r.wonAmount, r.currency), fmt.percent(r.winRate), fmt.money(r.avgDealSize, r.currency), fmt.number(r.salesCycleDaysMedian, 1), fmt.money(r.pipelineValue, r.currency), fmt.percent(r.quotaAttainment)])}
          empty={t.funnel.noData}
        />
      </Card>

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        {([['bySource', data.bySource], ['byIndustry', data.byIndustry]] as const).map(([key, rows]) => (
          <Card key={key} title={t.funnel.sections[key]}>
            <DataTable
              caption={`${t.funnel.dataTable}: ${t.funnel.sections[key]}`}
              captionHidden
              columns={[t.funnel.table.segment, t.funnel.table.currency, k.leadsCreated, k.leadConversionRate, k.opportunitiesCreated, k.winRate, k.wonAmount]}
              rows={rows.map((r) => [r.segment ?? t.funnel.table.notSet, r.currency, fmt.number(r.leadsCreated), fmt.percent(r.leadConversionRate), fmt.number(r.opportunitiesCreated), fmt.percent(r.winRate), fmt.money(r.wonAmount, r.currency)])}
              empty={t.funnel.noData}
            />
          </Card>
        ))}
      </div>

      {data.campaigns ? <CampaignCard campaigns={data.campaigns} fmt={fmt} t={t} /> : null}

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card title={t.funnel.sections.lifetime}>
          <DataTable
            caption={`${t.funnel.dataTable}: ${t.funnel.sections.lifetime}`}
            captionHidden
            columns={[t.funnel.table.currency, t.funnel.lifetime.accounts, t.funnel.lifetime.repeatShare, t.funnel.lifetime.avg, t.funnel.lifetime.median, t.funnel.lifetime.top]}
            rows={data.lifetime.map((l) => [
              l.currency,
              fmt.number(l.accounts),
              fmt.percent(l.repeatShare),
              fmt.money(l.avgLifetimeRevenue, l.currency),
              fmt.money(l.medianLifetimeRevenue, l.currency),
              l.topAccounts.map((a) => `${a.account} ${fmt.moneyShort(a.wonAmount, l.currency)}`).join(', '),
            ])}
            empty={t.funnel.noData}
          />
        </Card>
        <Card title={t.funnel.sections.benchmarks}>
          <ul className="space-y-2 text-sm">
            {data.benchmarks.map((b) => (
              <li key={b.id}>
                <span className="font-medium">{k[b.metric as keyof typeof k] ?? b.metric}</span>: {b.unit === 'fraction' ? fmt.percent(b.value) : t.funnel.cards.days({ n: fmt.number(b.value) })}
                {b.segment ? ` · ${b.segment}` : ''} —{' '}
                {b.sourceUrl ? (
                  <a href={b.sourceUrl} className="underline" rel="noreferrer noopener" target="_blank">
                    {b.source}
                  </a>
                ) : (
                  b.source
                )}
                {b.year ? ` (${b.year})` : ''}
              </li>
            ))}
          </ul>
          {data.isAdmin ? (
            <Link to="/funnel/benchmarks" className="mt-3 inline-block text-sm font-semibold underline">
              {t.funnel.benchmarks.edit}
            </Link>
          ) : null}
        </Card>
      </div>
    </>
  )
}

function KpiCard(props: {
  label: string
  metric: CardKey
  row: FunnelRow
  prev: FunnelRow | undefined
  series: FunnelRow[]
  fmt: Fmt
  benchmark: { value: number; source: string; unit: string; year: number | null } | undefined
  t: ReturnType<typeof useT>
}) {
  const { row, prev, metric, fmt, t } = props
  const value = row[metric]
  const before = prev ? prev[metric] : null
  const delta = value != null && before != null ? value - before : null
  const shown = formatKey(fmt, metric, value, row.currency)
  const deltaText = delta == null ? null : `${delta > 0 ? '+' : ''}${rateKeys.has(metric) ? `${fmt.number(delta * 100, 1)} pp` : formatKey(fmt, metric, delta, row.currency)}`
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <p className="text-xs font-medium uppercase text-slate-600">{props.label}</p>
      <p className="mt-1 text-xl font-bold tabular-nums">{shown}</p>
      <p className="text-xs text-slate-600">{deltaText ? t.funnel.cards.vsPrevious({ delta: deltaText }) : t.funnel.cards.noPrevious}</p>
      {metric === 'wonAmount' && row.target != null ? (
        <p className="text-xs text-slate-700">
          {t.funnel.cards.vsTarget({ value: fmt.money(row.target, row.currency) })} · {fmt.percent(row.quotaAttainment)}
        </p>
      ) : null}
      {props.benchmark ? (
        <p className="text-xs text-slate-700">
          {t.funnel.cards.vsBenchmark({
            value: props.benchmark.unit === 'fraction' ? fmt.percent(props.benchmark.value) : fmt.number(props.benchmark.value),
            source: `${props.benchmark.source}${props.benchmark.year ? ` ${props.benchmark.year}` : ''}`,
          })}
        </p>
      ) : null}
      <Sparkline label={props.label} points={props.series.map((r) => ({ label: r.period, value: r[metric] }))} />
    </li>
  )
}

function RepTable(props: {
  rows: FunnelRow[]
  sort: RepSortKey
  dir: 'asc' | 'desc'
  sortHref: (key: RepSortKey) => string
  repHref: (id: string) => string
  labels: Record<RepSortKey, string>
  fmt: Fmt
  t: ReturnType<typeof useT>
}) {
  const { rows, fmt, t } = props
  const header = (key: RepSortKey) => (
    <Link
      to={props.sortHref(key)}
      className="underline decoration-dotted"
      aria-label={`${t.funnel.table.sortBy({ column: props.labels[key] })}${props.sort === key ? `, ${props.dir === 'asc' ? t.funnel.table.sortedAsc : t.funnel.table.sortedDesc}` : ''}`}
    >
      {props.labels[key]}
      {props.sort === key ? (props.dir === 'asc' ? ' ▲' : ' ▼') : ''}
    </Link>
  )
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">{t.funnel.sections.reps}</caption>
        <thead className="border-b border-slate-300 text-xs uppercase text-slate-600">
          <tr>
            {repSortKeys.map((key) => (
              <th key={key} scope="col" className="whitespace-nowrap px-2 py-2" aria-sort={props.sort === key ? (props.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                {header(key)}
              </th>
            ))}
            <th scope="col" className="px-2 py-2">
              {t.funnel.table.currency}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={repSortKeys.length + 1} className="px-2 py-3 text-slate-600">
                {t.funnel.noData}
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={`${r.group.id}-${r.currency}`} className="border-b border-slate-100">
                <th scope="row" className="whitespace-nowrap px-2 py-1.5 font-medium">
                  <Link to={props.repHref(r.group.id)} className="underline">
                    {r.group.name}
                  </Link>
                </th>
                <td className="px-2 py-1.5 tabular-nums">{fmt.number(r.opportunitiesCreated)}</td>
                <td className="px-2 py-1.5 tabular-nums">{fmt.number(r.won)}</td>
                <td className="px-2 py-1.5 tabular-nums">{fmt.money(r.wonAmount, r.currency)}</td>
                <td className="px-2 py-1.5 tabular-nums">{fmt.percent(r.winRate)}</td>
                <td className="px-2 py-1.5 tabular-nums">{fmt.money(r.avgDealSize, r.currency)}</td>
                <td className="px-2 py-1.5 tabular-nums">{fmt.number(r.salesCycleDaysMedian, 1)}</td>
                <td className="px-2 py-1.5 tabular-nums">{fmt.money(r.pipelineValue, r.currency)}</td>
                <td className="px-2 py-1.5 tabular-nums">{fmt.percent(r.quotaAttainment)}</td>
                <td className="px-2 py-1.5">{r.currency}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  )
}
