/**
 * The overlay dashboard's markup, shared by the home page (/) and the print view
 * (/dashboard/print). It only formats what the loader already decided may be shown.
 */
import { Form, Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { formatMoney, formatNumber, formatPercent } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import { useLocale, useT } from '~/i18n/use-t'
import { DRIVER_KEYS, DRIVER_LABELS, type DriverKey } from '~/responses/drivers'
import { DualAxisTrendChart } from '~/ui/charts/dual-axis-trend-chart'
import { HeatmapTable } from '~/ui/charts/heatmap-table'
import { ScatterFitChart } from '~/ui/charts/scatter-fit-chart'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import type { OverlayDashboard, Panel } from './overlay.server'
import { KPI_KEYS, type KpiKey, type Level, MAX_LAG, OVERLAY_PERIODS, type OverlayPeriod, type Sentiment, filtersToParams, sentimentKey } from './overlay'
import { reading, sentimentName } from './reading'

/** The loader data as the component receives it (single fetch keeps the plain object shape). */
export type DashboardData = OverlayDashboard

const RATE_KPIS: KpiKey[] = ['lead_conversion_rate', 'win_rate', 'quota_attainment']
const MONEY_KPIS: KpiKey[] = ['avg_deal_size', 'pipeline_value', 'pipeline_velocity']

export function formatKpi(locale: Locale, kpi: KpiKey, value: number | null, currency: string): string {
  if (value === null) return '—'
  if (RATE_KPIS.includes(kpi)) return formatPercent(locale, value, 1)
  if (MONEY_KPIS.includes(kpi)) return formatMoney(locale, value, currency)
  if (kpi === 'sales_cycle_days') return formatNumber(locale, value, 1)
  return formatNumber(locale, value)
}

export function formatSentiment(locale: Locale, s: Sentiment, value: number | null): string {
  if (value === null) return '—'
  return s.kind === 'enps' ? formatNumber(locale, value, 1) : formatNumber(locale, value, 2)
}

/** "Q1 2026" / "T1 2026" for quarters, "Jan 2026" / "gen 2026" for months. */
export function periodLabel(locale: Locale, period: string, unit: OverlayPeriod): string {
  const [y, m] = period.split('-').map(Number)
  if (unit === 'quarter') return `${locale === 'it' ? 'T' : 'Q'}${Math.floor((m - 1) / 3) + 1} ${y}`
  return new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)))
}

function useNames(data: DashboardData) {
  const t = useT()
  const locale = useLocale()
  const sentiment = data.filters.sentiment.kind === 'enps' ? t.insights.enps : t.insights.driverScore({ driver: sentimentName(locale, data.filters.sentiment) })
  return { t, locale, sentiment, kpi: t.insights.kpis[data.filters.kpi] }
}

export function OverlayView(props: { data: DashboardData; print?: boolean; signals?: ReactNode }) {
  const { data } = props
  const { t } = useNames(data)
  const query = filtersToParams(data.filters).toString()
  return (
    <>
      <PageHeader
        title={props.print ? t.insights.print.title : t.insights.title}
        description={
          <>
            {t.insights.description({ group: data.groupName })}{' '}
            <a href="/help/privacy" className="text-brand-700 underline print:hidden">
              {t.help.privacy.title}
            </a>
          </>
        }
        actions={
          <div className="flex flex-wrap gap-2 print:hidden">
            <a href={`/dashboard/export.csv?${query}`} className="rounded border border-slate-300 px-3 py-2 text-sm">
              {t.insights.actions.exportCsv}
            </a>
            {props.print ? (
              <Link to={`/?${query}`} className="rounded border border-slate-300 px-3 py-2 text-sm">{t.insights.actions.back}</Link>
            ) : (
              <Link to={`/dashboard/print?${query}`} className="rounded border border-slate-300 px-3 py-2 text-sm">{t.insights.actions.print}</Link>
            )}
          </div>
        }
      />
      {props.print ? null : <Filters data={data} />}
      <div className="grid gap-6">
        {props.signals}
        <Trend data={data} />
        <div className="grid gap-6 lg:grid-cols-3">
          <ResponseRate data={data} />
          <div className="lg:col-span-2">
            <Heatmap data={data} />
          </div>
        </div>
        <CorrelationPanel data={data} level="period" />
        <TeamSeries data={data} />
        <CorrelationPanel data={data} level="team" />
        <CorrelationPanel data={data} level="rep" />
      </div>
    </>
  )
}

function Select(props: { name: string; label: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <label className="grid gap-1 text-sm">
      <span className="font-medium">{props.label}</span>
      <select name={props.name} defaultValue={props.value} className="rounded border border-slate-300 px-2 py-1.5">
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </label>
  )
}

/** A GET form: the filters live in the URL, so a view can be bookmarked and shared, with or without JavaScript. */
function Filters(props: { data: DashboardData }) {
  const { t, locale } = useNames(props.data)
  const f = props.data.filters
  const f2 = t.insights.filters
  return (
    <Form method="get" className="mb-6 print:hidden">
      <fieldset className="grid gap-3 rounded border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-5">
        <legend className="px-1 font-semibold">{f2.legend}</legend>
        <label className="grid gap-1 text-sm">
          <span className="font-medium">{f2.from}</span>
          <input type="date" name="from" defaultValue={f.from} className="rounded border border-slate-300 px-2 py-1.5" />
        </label>
        <label className="grid gap-1 text-sm">
          <span className="font-medium">{f2.to}</span>
          <input type="date" name="to" defaultValue={f.to} className="rounded border border-slate-300 px-2 py-1.5" />
        </label>
        <Select name="period" label={f2.period} value={f.period} options={OVERLAY_PERIODS.map((p) => ({ value: p, label: t.insights.periodOptions[p] }))} />
        <Select
          name="lag"
          label={f2.lag}
          value={String(f.lag)}
          options={Array.from({ length: MAX_LAG + 1 }, (_, n) => ({ value: String(n), label: f2.lagOption({ n, period: t.insights.periods[f.period] }) }))}
        />
        <Select
          name="team"
          label={f2.team}
          value={f.teamId ?? ''}
          options={[
            ...(props.data.scopeKind === 'org' ? [{ value: '', label: f2.allTeams }] : []),
            ...props.data.teams.map((team) => ({ value: team.id, label: `${'— '.repeat(team.depth)}${team.name}` })),
          ]}
        />
        <Select name="leadSource" label={f2.leadSource} value={f.leadSource ?? ''} options={[{ value: '', label: f2.any }, ...props.data.leadSources.map((s) => ({ value: s, label: s }))]} />
        <Select name="industry" label={f2.industry} value={f.industry ?? ''} options={[{ value: '', label: f2.any }, ...props.data.industries.map((s) => ({ value: s, label: s }))]} />
        <Select
          name="sentiment"
          label={f2.sentiment}
          value={sentimentKey(f.sentiment)}
          options={[{ value: 'enps', label: 'eNPS' }, ...DRIVER_KEYS.map((k) => ({ value: `driver:${k}`, label: DRIVER_LABELS[k][locale] }))]}
        />
        <Select name="kpi" label={f2.kpi} value={f.kpi} options={KPI_KEYS.map((k) => ({ value: k, label: t.insights.kpis[k] }))} />
        <div className="flex items-end">
          <Button>{f2.apply}</Button>
        </div>
        <p className="text-xs text-slate-600 sm:col-span-2 lg:col-span-5">{f2.share}</p>
      </fieldset>
    </Form>
  )
}

function Trend(props: { data: DashboardData }) {
  const { t, locale, sentiment, kpi } = useNames(props.data)
  const { data } = props
  const unit = data.filters.period
  return (
    <Card title={t.insights.trend.title}>
      <DualAxisTrendChart
        caption={t.insights.trend.caption({ sentiment, kpi, group: data.groupName })}
        labels={{ left: sentiment, right: kpi, band: t.insights.trend.ci }}
        leftDomain={data.filters.sentiment.kind === 'enps' ? [-100, 100] : [1, 5]}
        columns={[t.insights.trend.period, sentiment, t.insights.trend.ci, t.insights.trend.n, kpi]}
        data={data.trend.map((row) => {
          const s = row.sentiment
          const shown = s && !s.suppressed ? s : null
          return {
            label: periodLabel(locale, row.period, unit),
            left: shown ? shown.value : null,
            low: shown ? shown.low : null,
            high: shown ? shown.high : null,
            right: row.kpi,
            cells: [
              s && s.suppressed ? t.insights.trend.notEnough : formatSentiment(locale, data.filters.sentiment, shown ? shown.value : null),
              shown && shown.low !== null && shown.high !== null ? `${formatNumber(locale, shown.low, 1)} … ${formatNumber(locale, shown.high, 1)}` : '',
              shown ? formatNumber(locale, shown.n) : '',
              formatKpi(locale, data.filters.kpi, row.kpi, data.currency),
            ],
          }
        })}
      />
    </Card>
  )
}

function ResponseRate(props: { data: DashboardData }) {
  const { t, locale } = useNames(props.data)
  const r = props.data.responseRate
  return (
    <Card title={t.insights.responseRate.title}>
      {r.rate === null ? (
        <p className="text-sm text-slate-600">{t.insights.responseRate.none}</p>
      ) : (
        <p className="text-2xl font-semibold">
          {t.insights.responseRate.value({ rate: formatPercent(locale, r.rate), responded: r.responded, invited: r.invited })}
        </p>
      )}
    </Card>
  )
}

function Heatmap(props: { data: DashboardData }) {
  const { t, locale } = useNames(props.data)
  const h = props.data.heatmap
  return (
    <Card title={t.insights.heatmap.title}>
      {h.drivers.length === 0 ? (
        <p className="text-sm text-slate-600">{t.insights.heatmap.none}</p>
      ) : (
        <HeatmapTable
          caption={t.insights.heatmap.caption}
          rowHeader={t.insights.heatmap.driver}
          rows={h.drivers.map((d) => ({ id: d, label: DRIVER_KEYS.includes(d as DriverKey) ? DRIVER_LABELS[d as DriverKey][locale] : d }))}
          columns={h.teams.map((team) => ({ id: team.id, label: team.name }))}
          cells={h.cells.map((c) => ({
            row: c.driver,
            column: c.teamId,
            share: c.favourableShare,
            text: c.mean === null ? t.insights.trend.notEnough : `${formatNumber(locale, c.mean, 2)} · ${formatPercent(locale, c.favourableShare ?? 0)} (n ${c.n})`,
          }))}
        />
      )}
    </Card>
  )
}

function Stat(props: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-600">{props.label}</dt>
      <dd className="font-medium">{props.children}</dd>
    </div>
  )
}

function num(locale: Locale, v: number | null, digits = 2) {
  return v === null ? '—' : formatNumber(locale, v, digits)
}

function CorrelationPanel(props: { data: DashboardData; level: Level }) {
  const { t, locale, sentiment, kpi } = useNames(props.data)
  const { data, level } = props
  const p: Panel = data.panels[level]
  const labels = t.insights.panels
  const title = labels[level].title
  if ('suppressed' in p) {
    return (
      <Card title={title}>
        <Notice tone="info">{p.reason === 'below_threshold' ? labels.suppressed.below_threshold({ threshold: p.threshold }) : p.reason === 'not_published' ? labels.suppressed.not_published : labels.suppressed.no_data}</Notice>
      </Card>
    )
  }
  const read = reading(locale, { level, period: data.filters.period, lag: data.filters.lag, sentiment: data.filters.sentiment, kpi: data.filters.kpi, n: p.n, r: p.pearson.r, ciLow: p.pearson.ciLow, ciHigh: p.pearson.ciHigh, p: p.pearson.p })
  const unit = data.filters.period
  const columns = [labels[level].unit, sentiment, kpi]
  let rows: { label: string; x: number; y: number; size?: number; cells: string[] }[] = []
  if ('points' in p && p.points) {
    if (level === 'period') columns.splice(2, 0, labels.period.kpiPeriod)
    rows = p.points.map((pt) => {
      const label = 'period' in pt ? periodLabel(locale, pt.period, unit) : pt.label
      const cells = [formatSentiment(locale, data.filters.sentiment, pt.x), formatKpi(locale, data.filters.kpi, pt.y, data.currency)]
      if (level === 'period' && 'kpiPeriod' in pt && pt.kpiPeriod) cells.splice(1, 0, periodLabel(locale, pt.kpiPeriod, unit))
      return { label, x: pt.x, y: pt.y, cells }
    })
  }
  return (
    <Card title={title}>
      {level === 'rep' ? <p className="mb-3 text-sm text-slate-600">{labels.rep.pointsNote}</p> : null}
      {level === 'team' ? <p className="mb-3 text-sm text-slate-600">{labels.team.caption}</p> : null}
      <ScatterFitChart caption={title} data={rows} fit={p.fit} labels={{ x: sentiment, y: kpi, fit: labels.fit }} columns={columns} />
      <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4 lg:grid-cols-7">
        <Stat label={labels.n}>{p.n}</Stat>
        <Stat label={labels.pearson}>{num(locale, p.pearson.r)}</Stat>
        <Stat label={labels.ci}>{p.pearson.ciLow === null || p.pearson.ciHigh === null ? '—' : `${num(locale, p.pearson.ciLow)} … ${num(locale, p.pearson.ciHigh)}`}</Stat>
        <Stat label={labels.p}>{num(locale, p.pearson.p, 3)}</Stat>
        <Stat label={labels.spearman}>{num(locale, p.spearman.rho)}</Stat>
        <Stat label={labels.spearmanP}>{num(locale, p.spearman.p, 3)}</Stat>
        <Stat label={labels.excluded({ total: p.excluded.total })}>{p.excluded.total}</Stat>
      </dl>
      <div className="mt-4 rounded bg-slate-50 p-3 text-sm">
        <p>
          {read.sentence} <strong>{read.caveat}</strong>
        </p>
        {read.warnings.map((w) => (
          <p key={w} className="mt-1 text-amber-800">⚠ {w}</p>
        ))}
      </div>
    </Card>
  )
}

/** One row per team: its period-level correlation and reading, so one team's drift is not averaged away. */
function TeamSeries(props: { data: DashboardData }) {
  const { t, locale } = useNames(props.data)
  const { data } = props
  if (data.teamSeries.length === 0) return null
  const labels = t.insights.panels
  return (
    <Card title={labels.teamSeries.title}>
      <div className="overflow-x-auto print:overflow-visible">
        <table className="w-full text-sm">
          <caption className="mb-2 text-left text-slate-600">{labels.teamSeries.caption}</caption>
          <thead>
            <tr className="text-left">
              <th scope="col" className="p-2">{labels.teamSeries.team}</th>
              <th scope="col" className="p-2">{labels.n}</th>
              <th scope="col" className="p-2">{labels.pearson}</th>
              <th scope="col" className="p-2">{labels.ci}</th>
              <th scope="col" className="p-2">{labels.p}</th>
              <th scope="col" className="p-2">{labels.teamSeries.reading}</th>
            </tr>
          </thead>
          <tbody>
            {data.teamSeries.map(({ id, name, panel: p }) => {
              if ('suppressed' in p) {
                return (
                  <tr key={id} className="border-t border-slate-100">
                    <th scope="row" className="p-2 text-left font-normal">{name}</th>
                    <td colSpan={5} className="p-2 text-slate-600">
                      {p.reason === 'below_threshold' ? labels.suppressed.below_threshold({ threshold: p.threshold }) : labels.suppressed.no_data}
                    </td>
                  </tr>
                )
              }
              const read = reading(locale, { level: 'period', period: data.filters.period, lag: data.filters.lag, sentiment: data.filters.sentiment, kpi: data.filters.kpi, n: p.n, r: p.pearson.r, ciLow: p.pearson.ciLow, ciHigh: p.pearson.ciHigh, p: p.pearson.p })
              return (
                <tr key={id} className="border-t border-slate-100 align-top">
                  <th scope="row" className="p-2 text-left font-normal">{name}</th>
                  <td className="p-2">{p.n}</td>
                  <td className="p-2">{num(locale, p.pearson.r)}</td>
                  <td className="p-2">{p.pearson.ciLow === null || p.pearson.ciHigh === null ? '—' : `${num(locale, p.pearson.ciLow)} … ${num(locale, p.pearson.ciHigh)}`}</td>
                  <td className="p-2">{num(locale, p.pearson.p, 3)}</td>
                  <td className="p-2">
                    {read.sentence} {read.caveat}
                    {read.warnings.map((w) => (
                      <span key={w} className="block text-amber-800">⚠ {w}</span>
                    ))}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </Card>
  )
}
