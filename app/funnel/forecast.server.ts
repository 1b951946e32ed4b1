import { sql } from 'drizzle-orm'
import { type Db, analyticsRows } from '#db/client'
import { type GroupBy, periodStep, quotaAttainment, roundMoney, toNumber } from './kpi'
import { teamClosure } from '~/auth/scope.server'
import { type FunnelGroup, funnelMetrics, groupMembers, orgContext, stageProbability } from './kpi.server'
import { type FunnelScope, requireFullView } from './scope.server'

export type ForecastRow = {
  period: string
  horizon: 'current' | 'next'
  group: FunnelGroup
  currency: string
  wonToDate: number
  openOpportunities: number
  openPipeline: number
  weightedByStage: number
  weightedByWinRate: number
  forecastByStage: number
  forecastByWinRate: number
  target: number | null
  forecastAttainmentByStage: number | null
  forecastAttainmentByWinRate: number | null
}

/**
 * Expected won amount for the current and the next month or quarter
 * (docs/architecture.md#funnel-kpis): what is already won this period plus the open pipeline
 * expected to close in it, weighted two ways — by stage probability (the deal's own, else its
 * stage's) and by the owner's historical win rate (won ÷ closed over the last 12 months; the
 * scope's rate when the owner has closed nothing yet).
 * A deal with no expected close date, or one already overdue, is expected in the current period;
 * deals expected after the next period are outside the forecast.
 */
export async function forecast(db: Db, f: { scope: FunnelScope; groupBy: GroupBy; period: 'month' | 'quarter'; teamId?: string; personId?: string }): Promise<ForecastRow[]> {
  requireFullView(f.scope, 'The forecast')
  const org = await orgContext(db)
  const tz = org.tz
  const unit = sql.raw(`'${f.period}'`)
  const step = sql.raw(`interval '${periodStep[f.period]}'`)
  const [{ current, next, last }] = await analyticsRows<{ current: string; next: string; last: string }>(
    db,
    sql`select to_char(date_trunc(${unit}, now() at time zone ${tz}::text), 'YYYY-MM-DD') as current,
      to_char(date_trunc(${unit}, now() at time zone ${tz}::text) + ${step}, 'YYYY-MM-DD') as next,
      to_char(date_trunc(${unit}, now() at time zone ${tz}::text) + 2 * ${step} - interval '1 day', 'YYYY-MM-DD') as last`,
  )
  // Won so far and targets come from the one KPI engine, so the forecast and the dashboard agree.
  const base = await funnelMetrics(db, { scope: f.scope, groupBy: f.groupBy, period: f.period, from: current, to: last, teamId: f.teamId, personId: f.personId })
  const open = await analyticsRows<{ period: string; gid: string; currency: string; open_count: number; open_amount: string; by_stage: string; by_rate: string }>(
    db,
    sql`with recursive
  ${teamClosure},
  grp as (${groupMembers(f, org.orgName)}),
  edges as (select ${current}::date as cs, ${next}::date as ns, (${next}::date + ${step})::date as ne),
  history as (
    select o.owner_id, count(*) filter (where o.status = 'won')::numeric / count(*) as rate
    from opportunities o
    where o.status in ('won', 'lost') and o.closed_at >= now() - interval '12 months' and o.owner_id in (select person_id from grp)
    group by o.owner_id
  ),
  scope_rate as (
    select count(*) filter (where o.status = 'won')::numeric / nullif(count(*), 0) as rate
    from opportunities o
    where o.status in ('won', 'lost') and o.closed_at >= now() - interval '12 months' and o.owner_id in (select person_id from grp)
  ),
  expected as (
    select o.amount, o.currency, o.owner_id, ${stageProbability('o')} as prob,
      case when o.expected_close_on is null or o.expected_close_on < e.ns then e.cs
           when o.expected_close_on < e.ne then e.ns end as period
    from opportunities o, edges e
    where o.status = 'open' and o.owner_id in (select person_id from grp)
  )
select to_char(x.period, 'YYYY-MM-DD') as period, g.gid, x.currency, count(*)::int as open_count, sum(x.amount) as open_amount,
  round(sum(x.amount * coalesce(x.prob, 0)), 2) as by_stage,
  round(sum(x.amount * coalesce(h.rate, (select rate from scope_rate), 0)), 2) as by_rate
from expected x
join grp g on g.person_id = x.owner_id
left join history h on h.owner_id = x.owner_id
where x.period is not null
group by 1, 2, 3`,
  )
  const openBy = new Map(open.map((o) => [`${o.period}|${o.gid}|${o.currency}`, o]))
  const seen = new Set<string>()
  const rows: ForecastRow[] = base.map((b) => {
    const key = `${b.period}|${b.group.id}|${b.currency}`
    seen.add(key)
    return toForecastRow(b.period, current, b.group, b.currency, b.wonAmount, b.target, openBy.get(key))
  })
  // Open deals in a currency with nothing else in the window still make a forecast row.
  const groups = new Map(base.map((b) => [b.group.id, b.group]))
  for (const o of open) {
    const key = `${o.period}|${o.gid}|${o.currency}`
    const group = groups.get(o.gid)
    if (!seen.has(key) && group) rows.push(toForecastRow(o.period, current, group, o.currency, 0, null, o))
  }
  return rows.sort((a, b) => a.period.localeCompare(b.period) || a.group.name.localeCompare(b.group.name) || a.currency.localeCompare(b.currency))
}

function toForecastRow(
  period: string,
  current: string,
  group: FunnelGroup,
  currency: string,
  wonToDate: number,
  target: number | null,
  open: { open_count: number; open_amount: string; by_stage: string; by_rate: string } | undefined,
): ForecastRow {
  const byStage = toNumber(open?.by_stage) ?? 0
  const byRate = toNumber(open?.by_rate) ?? 0
  const forecastByStage = roundMoney(wonToDate + byStage)
  const forecastByWinRate = roundMoney(wonToDate + byRate)
  return {
    period,
    horizon: period === current ? 'current' : 'next',
    group,
    currency,
    wonToDate,
    openOpportunities: open?.open_count ?? 0,
    openPipeline: toNumber(open?.open_amount) ?? 0,
    weightedByStage: byStage,
    weightedByWinRate: byRate,
    forecastByStage,
    forecastByWinRate,
    target,
    forecastAttainmentByStage: quotaAttainment(forecastByStage, target),
    forecastAttainmentByWinRate: quotaAttainment(forecastByWinRate, target),
  }
}
