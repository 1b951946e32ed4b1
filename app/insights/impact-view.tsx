import { Form } from '@remix-run/react'
import { formatMoney, formatNumber, formatPercent } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import { useLocale, useT } from '~/i18n/use-t'
import { DRIVER_LABELS, isDriverKey } from '~/responses/drivers'
import { DualAxisTrendChart } from '~/ui/charts/dual-axis-trend-chart'
import { Button, Card, Notice } from '~/ui/page'
import { IMPACT_MAX_PERIODS, IMPACT_UNITS } from './action-schema'
import type { Impact } from './impact.server'
import type { KpiKey } from './overlay'

const MONEY: readonly KpiKey[] = ['avg_deal_size', 'pipeline_value', 'pipeline_velocity']
const RATES: readonly KpiKey[] = ['lead_conversion_rate', 'win_rate', 'quota_attainment']

function formatKpi(locale: Locale, kpi: KpiKey, value: number, currency: string) {
  if (RATES.includes(kpi)) return formatPercent(locale, value, 1)
  if (MONEY.includes(kpi)) return formatMoney(locale, value, currency)
  return formatNumber(locale, value, kpi === 'sales_cycle_days' ? 1 : 0)
}

/** An action's impact: the driver or eNPS and the KPI per period before and after, with their intervals, beside the data table. */
export function ImpactView(props: { impact: Impact; group: string }) {
  const t = useT()
  const locale = useLocale()
  const { impact } = props
  const ti = t.actions.impact
  const isEnps = impact.measure === 'enps'
  const measureName = impact.measure === null ? '' : isEnps ? t.actions.enps : isDriverKey(impact.measure) ? DRIVER_LABELS[impact.measure][locale] : ''
  const kpiName = impact.kpi ? t.insights.kpis[impact.kpi] : ''
  const digits = isEnps ? 1 : 2
  const periodLabel = (period: string) =>
    new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${period}T12:00:00Z`))
  const quarterLabel = (period: string) => `Q${Math.floor(Number(period.slice(5, 7)) / 3) + 1} ${period.slice(0, 4)}`
  const label = (period: string, phase: 'before' | 'during' | 'after') => ti.phaseLabel({ period: impact.unit === 'quarter' ? quarterLabel(period) : periodLabel(period), phase: ti.phases[phase] })
  const columns = [ti.period]
  if (impact.measure) columns.push(measureName, ti.ci, ti.n, ...(isEnps ? [] : [ti.favourable]))
  if (impact.kpi) columns.push(kpiName, ...(impact.kpiInterval === 'wilson' ? [ti.kpiInterval] : []))
  const data = impact.rows.map((r) => {
    const cells: string[] = []
    const s = r.sentiment
    if (impact.measure) {
      if (!s || s.suppressed) cells.push(ti.notEnough, '', '', ...(isEnps ? [] : ['']))
      else
        cells.push(
          formatNumber(locale, s.value, digits),
          s.low !== null && s.high !== null ? `${formatNumber(locale, s.low, digits)} … ${formatNumber(locale, s.high, digits)}` : '—',
          String(s.n),
          ...(isEnps ? [] : [s.favourableShare === null ? '—' : formatPercent(locale, s.favourableShare, 0)]),
        )
    }
    const k = r.kpi
    if (impact.kpi && k) {
      cells.push(k.value === null ? ti.noData : formatKpi(locale, impact.kpi, k.value, impact.currency))
      if (impact.kpiInterval === 'wilson') cells.push(k.low !== null && k.high !== null ? `${formatPercent(locale, k.low, 1)} … ${formatPercent(locale, k.high, 1)}` : '—')
    }
    const shown = s && !s.suppressed ? s : null
    return { label: label(r.period, r.phase), left: shown ? shown.value : null, low: shown?.low ?? null, high: shown?.high ?? null, right: k?.value ?? null, cells }
  })
  return (
    <Card title={ti.title}>
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label={ti.title}>
        <label className="grid text-sm">
          <span className="font-medium">{ti.unit}</span>
          <select name="unit" defaultValue={impact.unit} className="min-h-10 rounded-md border border-slate-300 px-2">
            {IMPACT_UNITS.map((u) => (
              <option key={u} value={u}>
                {t.insights.periodOptions[u]}
              </option>
            ))}
          </select>
        </label>
        <label className="grid text-sm">
          <span className="font-medium">{ti.count}</span>
          <select name="periods" defaultValue={String(impact.periods)} className="min-h-10 rounded-md border border-slate-300 px-2">
            {Array.from({ length: IMPACT_MAX_PERIODS }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <Button variant="secondary">{ti.show}</Button>
      </Form>
      <Notice tone="warning">{ti.notProof}</Notice>
      {!impact.measure && !impact.kpi ? (
        <p className="text-sm text-slate-600">{ti.noMeasure}</p>
      ) : (
        <>
          {!impact.rows.some((r) => r.phase === 'after') ? <p className="mb-2 text-sm text-slate-600">{ti.notYet}</p> : null}
          <DualAxisTrendChart
            caption={ti.caption({ sentiment: measureName || '—', kpi: kpiName || '—', group: props.group })}
            data={data}
            labels={{ left: measureName || '—', right: kpiName || '—', band: ti.ci }}
            columns={columns}
            leftDomain={isEnps ? [-100, 100] : [1, 5]}
          />
          <p className="mt-3 text-xs text-slate-600">{ti.method}</p>
        </>
      )}
    </Card>
  )
}
