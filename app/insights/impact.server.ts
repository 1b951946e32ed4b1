/**
 * The impact view of an action: for its team (with sub-teams) or the organisation, the sentiment it
 * aims to move (a driver score or the eNPS) and its KPI for the periods before and after it.
 *
 * Every sentiment figure is a published bucket (app/responses/published.server.ts): a period with a
 * round-group below the threshold carries no figure here and therefore none in HTML or JSON. KPIs
 * come from the funnel engine.
 */
import type { Db } from '#db/client'
import { type FunnelRow, orgContext } from '~/funnel/kpi.server'
import { type DriverKey, isDriverKey } from '~/responses/drivers'
import { clusteredSumOfSquares } from '~/responses/figures'
import { periodCells } from '~/responses/published.server'
import { kpiRowsFor, kpiValue, sentimentSeries } from './correlation.server'
import { type ImpactPeriod, type ImpactUnit, type Phase, clusteredMeanInterval, impactPeriods, wilsonInterval } from './impact'
import type { KpiKey } from './overlay'
import { KPI_KEYS } from './overlay'

export type SentimentCell =
  | { suppressed: true }
  | { suppressed: false; value: number; low: number | null; high: number | null; n: number; favourableShare: number | null }

export type KpiCell = { value: number | null; low: number | null; high: number | null }

export type ImpactRow = { period: string; phase: Phase; partial: boolean; sentiment: SentimentCell | null; kpi: KpiCell | null }

export type Impact = {
  unit: ImpactUnit
  periods: number
  from: string
  to: string
  measure: 'enps' | DriverKey | null
  kpi: KpiKey | null
  /** How the KPI's interval is computed: Wilson for rates with known counts, none otherwise. */
  kpiInterval: 'wilson' | 'none'
  currency: string
  rows: ImpactRow[]
}

type ImpactAction = { teamId: string | null; driver: string | null; kpi: string | null; createdAt: Date | string; doneAt: Date | string | null; status: string }

const localDate = (value: Date | string, tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(value))
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits

async function sentimentCells(db: Db, measure: 'enps' | DriverKey, window: { from: string; to: string }, unit: ImpactUnit, groupId: string): Promise<Map<string, SentimentCell>> {
  const cells = new Map<string, SentimentCell>()
  if (measure === 'enps') {
    for (const p of await sentimentSeries(db, { kind: 'enps' }, window, unit, groupId)) {
      cells.set(p.period, p.suppressed ? { suppressed: true } : { suppressed: false, value: p.value, low: p.low, high: p.high, n: p.n, favourableShare: null })
    }
    return cells
  }
  // Published buckets only; the clustered interval comes from the bucket's additive sums (each round's response a cluster).
  const { cells: published } = await periodCells(db, { unit, from: window.from, to: window.to, measures: [`driver:${measure}`], groupKeys: [groupId] })
  for (const v of published) {
    if (!v.shown) {
      cells.set(v.bucket, { suppressed: true })
      continue
    }
    const { mean, ss } = clusteredSumOfSquares(v)
    const interval = clusteredMeanInterval({ n: v.n, answers: v.answers, mean, ss })
    cells.set(v.bucket, {
      suppressed: false,
      value: round(mean, 2),
      low: interval ? round(interval.low, 2) : null,
      high: interval ? round(interval.high, 2) : null,
      n: v.n,
      favourableShare: round(v.favourable / v.answers, 3),
    })
  }
  return cells
}

/** The KPI's value and, for rates whose counts the funnel engine returns, its Wilson interval. */
function kpiCell(row: FunnelRow, kpi: KpiKey, convention: 'closed' | 'created'): KpiCell {
  const value = kpiValue(row, kpi)
  const counts = kpi === 'lead_conversion_rate' ? [row.leadsConverted, row.leadsCreated] : kpi === 'win_rate' && convention === 'closed' ? [row.won, row.won + row.lost] : null
  const interval = counts ? wilsonInterval(counts[0], counts[1]) : null
  return { value, low: interval ? round(interval.low, 4) : null, high: interval ? round(interval.high, 4) : null }
}

/**
 * The impact of one action, already authorised by the caller (the action is in the viewer's scope).
 * `today` is the organisation's calendar day.
 */
export async function actionImpact(db: Db, action: ImpactAction, options: { unit: ImpactUnit; periods: number; today: string }): Promise<Impact> {
  const org = await orgContext(db)
  const createdOn = localDate(action.createdAt, org.tz)
  const pivotOn = action.status === 'done' && action.doneAt ? localDate(action.doneAt, org.tz) : createdOn
  const view = impactPeriods({ createdOn, pivotOn, unit: options.unit, count: options.periods, today: options.today })
  const measure = action.driver === 'enps' || isDriverKey(action.driver) ? (action.driver as 'enps' | DriverKey) : null
  const kpi = (KPI_KEYS as readonly string[]).includes(action.kpi ?? '') ? (action.kpi as KpiKey) : null
  const groupId = action.teamId ?? 'org'
  const window = { from: view.from, to: view.to }
  const hasPeriods = view.periods.length > 0
  const [sentiment, kpiRows] = await Promise.all([
    measure && hasPeriods ? sentimentCells(db, measure, window, options.unit, groupId) : Promise.resolve(null),
    kpi && hasPeriods
      ? kpiRowsFor(db, { scope: { kind: 'org' }, viewerId: null, role: 'admin' }, { kpi, teamId: action.teamId ?? undefined }, window, action.teamId ? 'team' : 'org', options.unit)
      : Promise.resolve(null),
  ])
  const kpiByPeriod = new Map((kpiRows ?? []).filter((r) => r.group.id === groupId).map((r) => [r.period, r]))
  const kpiInterval = kpi === 'lead_conversion_rate' || (kpi === 'win_rate' && org.convention === 'closed') ? 'wilson' : 'none'
  return {
    unit: options.unit,
    periods: options.periods,
    from: view.from,
    to: view.to,
    measure,
    kpi,
    kpiInterval,
    currency: org.currency,
    rows: view.periods.map((p: ImpactPeriod) => {
      const funnel = kpiByPeriod.get(p.period)
      return {
        ...p,
        // A period with no response at all reads the same as one below the threshold: "not enough responses".
        sentiment: sentiment ? (sentiment.get(p.period) ?? { suppressed: true }) : null,
        kpi: kpi ? (funnel ? kpiCell(funnel, kpi, org.convention) : { value: null, low: null, high: null }) : null,
      }
    }),
  }
}
