/**
 * The impact view of an action: for its team (with sub-teams) or the organisation, the sentiment it
 * aims to move (a driver score or the eNPS) and its KPI for the periods before and after it.
 *
 * Every sentiment figure comes out of applyThresholds (the results engine's one decision point, with
 * sibling protection over the whole hierarchy), so a period below the threshold carries no figure
 * here and therefore none in HTML or JSON. KPIs come from the funnel engine.
 */
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { type FunnelRow, orgContext } from '~/funnel/kpi.server'
import { FAVOURABLE_MIN, type DriverKey, isDriverKey } from '~/responses/drivers'
import { applyThresholds, loadHierarchy } from '~/responses/results-privacy.server'
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

type DriverRow = { bucket: string; groupId: string; n: number; answers: number; mean: number; favourable: number; ss: number; threshold: number }

/**
 * A driver's figures per period and group (the organisation and every team with its sub-teams),
 * the respondent counted once as in metrics.server's driverAggregates, plus Σ(y_i − mean·m_i)² over
 * respondents for the clustered interval.
 */
async function driverPeriods(db: Db, driver: DriverKey, window: { from: string; to: string }, unit: ImpactUnit): Promise<DriverRow[]> {
  return queryRows<DriverRow>(
    db,
    sql`with recursive tree(ancestor_id, team_id) as (
        select id, id from teams
        union
        select tree.ancestor_id, t.id from teams t join tree on t.parent_id = tree.team_id
      ),
      base as (
        select to_char(date_trunc(${unit}, r.submitted_on::timestamp), 'YYYY-MM-DD') as bucket,
               coalesce(r.person_id::text, r.id::text) as respondent, r.team_id, a.value_number as v, sr.threshold_scores
        from responses r
        join survey_rounds sr on sr.id = r.round_id
        join answers a on a.response_id = r.id and a.type = 'agreement' and a.driver = ${driver} and a.value_number is not null
        where r.submitted_on between ${window.from}::date and ${window.to}::date
      ),
      grouped as (
        select 'org' as group_id, base.* from base
        union all
        select tree.ancestor_id::text, base.* from base join tree on tree.team_id = base.team_id
      ),
      per_respondent as (
        select bucket, group_id, respondent, sum(v)::float8 as y, count(*)::int as m,
               count(*) filter (where v >= ${FAVOURABLE_MIN})::int as fav, max(threshold_scores)::int as threshold
        from grouped group by bucket, group_id, respondent
      ),
      totals as (
        select bucket, group_id, count(*)::int as n, sum(m)::int as answers, (sum(y) / sum(m))::float8 as mean,
               sum(fav)::int as favourable, max(threshold)::int as threshold
        from per_respondent group by bucket, group_id
      )
      select t.bucket, t.group_id as "groupId", t.n, t.answers, t.mean, t.favourable, t.threshold,
             sum(power(p.y - t.mean * p.m, 2))::float8 as ss
      from totals t join per_respondent p on p.bucket = t.bucket and p.group_id = t.group_id
      group by t.bucket, t.group_id, t.n, t.answers, t.mean, t.favourable, t.threshold
      order by t.bucket, t.group_id`,
  )
}

async function sentimentCells(db: Db, measure: 'enps' | DriverKey, window: { from: string; to: string }, unit: ImpactUnit, groupId: string): Promise<Map<string, SentimentCell>> {
  const cells = new Map<string, SentimentCell>()
  if (measure === 'enps') {
    for (const p of await sentimentSeries(db, { kind: 'enps' }, window, unit, groupId)) {
      cells.set(p.period, p.suppressed ? { suppressed: true } : { suppressed: false, value: p.value, low: p.low, high: p.high, n: p.n, favourableShare: null })
    }
    return cells
  }
  const hierarchy = await loadHierarchy(db)
  const rows = await driverPeriods(db, measure, window, unit)
  for (const v of applyThresholds(rows, hierarchy, { threshold: (r) => r.threshold })) {
    if (v.groupId !== groupId) continue
    if (v.suppressed) {
      cells.set(v.bucket, { suppressed: true })
      continue
    }
    const interval = clusteredMeanInterval({ n: v.n, answers: v.answers, mean: v.mean, ss: v.ss })
    cells.set(v.bucket, {
      suppressed: false,
      value: round(v.mean, 2),
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
