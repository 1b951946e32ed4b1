import { type SQL, sql } from 'drizzle-orm'
import { type Db, analyticsRows } from '#db/client'
import { getSettings } from '~/settings/settings.server'
import {
  type GroupBy,
  type PeriodUnit,
  type WinRateConvention,
  exactWinRate,
  leadConversionRate,
  periodStep,
  pipelineVelocity,
  quotaAttainment,
  share,
  toNumber,
  winRate,
} from './kpi'
import { personInScope, scopedTeamIds, teamClosure, teamSubtree } from '~/auth/scope.server'
import { type FunnelScope, funnelOrgRight, requireFullView } from './scope.server'

/**
 * The KPI engine: every figure of docs/architecture.md#funnel-kpis per rep, team (with sub-teams)
 * or organisation, per week/month/quarter in the organisation's time zone, computed live in SQL on
 * every call so a metric reflects ingested data as soon as the ingest request has returned.
 *
 * Conventions:
 * - periods are `date_trunc(unit, ts AT TIME ZONE tz)` (weeks start on Monday); `from`/`to` are
 *   inclusive local dates and a period cut by the window counts only its part inside;
 * - amounts are grouped by currency, never summed across currencies: each row carries one
 *   currency, and lead figures (leads have no currency) repeat on each currency row of a group;
 * - only opportunities and leads whose CRM owner is mapped to a person count (unmapped owners
 *   wait in the owner-mapping queue); a deal counts for its current owner (owner_id), so
 *   reassigning an owner moves the deal in every KPI.
 */

export type FunnelFilters = {
  scope: FunnelScope
  groupBy: GroupBy
  period: PeriodUnit | 'window'
  from: string
  to: string
  teamId?: string
  personId?: string
  leadSource?: string
  industry?: string
  /** Where the figures come from: the daily rollups (default, unless a segment filter needs every deal) or every deal ('raw'). */
  source?: 'rollup' | 'raw'
  /** false: salesCycleDaysMedian is left null (the median is the one figure read from every won deal in the window). */
  median?: boolean
}

export type FunnelGroup = { type: GroupBy; id: string; name: string; email?: string }

export type FunnelRow = {
  period: string
  group: FunnelGroup
  currency: string
  leadsCreated: number
  leadsConverted: number
  leadConversionRate: number | null
  opportunitiesCreated: number
  won: number
  lost: number
  winRate: number | null
  wonAmount: number
  avgDealSize: number | null
  salesCycleDaysMedian: number | null
  salesCycleDaysMean: number | null
  openOpportunities: number | null
  pipelineValue: number | null
  weightedPipelineValue: number | null
  pipelineVelocity: number | null
  target: number | null
  quotaAttainment: number | null
}

type RawRow = {
  period: string
  gid: string
  gname: string
  gemail: string | null
  currency: string
  leads_created: number
  leads_converted: number
  created_count: number
  created_won: number
  won: number
  lost: number
  won_amount: string
  avg_deal: string | null
  cycle_median: string | null
  cycle_mean: string | null
  open_count: number | null
  pipeline_value: string | null
  weighted_value: string | null
  target: string | null
}

/** Common CTE fragments shared by the funnel, forecast and campaign queries. */
export function segmentFilter(alias: string, f: { leadSource?: string; industry?: string }): SQL {
  const parts: SQL[] = [sql`true`]
  if (f.leadSource) parts.push(sql`lower(${sql.raw(alias)}.lead_source) = lower(${f.leadSource})`)
  if (f.industry) parts.push(sql`lower(${sql.raw(alias)}.industry) = lower(${f.industry})`)
  return sql.join(parts, sql` and `)
}

/** People the request covers: the scope, narrowed to a team's subtree or one person. */
export function filteredPeople(f: { scope: FunnelScope; teamId?: string; personId?: string }): SQL {
  const parts: SQL[] = [personInScope(sql`p.id`, f.scope, funnelOrgRight)]
  if (f.teamId) parts.push(sql`p.team_id in ${teamSubtree(f.teamId)}`)
  if (f.personId) parts.push(sql`p.id = ${f.personId}`)
  return sql`(select p.id from people p where ${sql.join(parts, sql` and `)})`
}

/**
 * grp(gid, gname, gemail, person_id): which person's deals feed which group. A person sits in
 * their own team and every ancestor team (the closure), so a team includes its sub-teams.
 */
export function groupMembers(f: { scope: FunnelScope; groupBy: GroupBy; teamId?: string; personId?: string }, orgName: string): SQL {
  const people = filteredPeople(f)
  if (f.groupBy === 'rep') {
    // Reps are the people who own CRM records or carry a target; an admin with no deals is no rep.
    return sql`select p.id::text as gid, p.name as gname, p.email as gemail, p.id as person_id from people p
      where p.id in ${people}
        and (exists (select 1 from opportunities o where o.owner_id = p.id)
          or exists (select 1 from leads l where l.owner_id = p.id)
          or exists (select 1 from kpi_targets k where k.person_id = p.id))`
  }
  if (f.groupBy === 'team') {
    const teamFilter = f.teamId ? sql`and t.id in ${teamSubtree(f.teamId)}` : sql``
    return sql`select t.id::text as gid, t.name as gname, null::text as gemail, p.id as person_id
      from teams t
      join tree on tree.ancestor = t.id
      join people p on p.team_id = tree.descendant
      where t.id in ${scopedTeamIds(f.scope, funnelOrgRight)} ${teamFilter} and p.id in ${people}`
  }
  return sql`select 'org'::text as gid, ${orgName}::text as gname, null::text as gemail, p.id as person_id from people p where p.id in ${people}`
}

/** The probability of an opportunity: its own, else its stage's in its pipeline (by key or CRM label). */
export const stageProbability = (alias: string) =>
  sql`coalesce(${sql.raw(alias)}.probability, (select fs.probability from funnel_stages fs
      where fs.pipeline = ${sql.raw(alias)}.pipeline and (lower(fs.key) = lower(${sql.raw(alias)}.stage) or ${sql.raw(alias)}.stage = any(fs.labels) or lower(fs.name) = lower(${sql.raw(alias)}.stage))
      order by fs.position limit 1))`

export async function orgContext(db: Db) {
  const s = await getSettings(db)
  return { tz: s.timezone, orgName: s.orgName, currency: s.currency, convention: s.winRateConvention as WinRateConvention }
}

export async function funnelMetrics(db: Db, f: FunnelFilters): Promise<FunnelRow[]> {
  // Every row carries won amounts, pipeline and targets: not for the top-of-funnel view (leadFunnel is).
  requireFullView(f.scope, 'Funnel figures')
  const org = await orgContext(db)
  const tz = org.tz
  // 'window' (internal, for tables over the whole window): one row per group for from..to, computed
  // on all the deals in the window; its target sums the prorated month targets inside it.
  const windowMode = f.period === 'window'
  const unitName: PeriodUnit = f.period === 'window' ? 'month' : f.period
  const unit = sql.raw(`'${unitName}'`)
  const step = sql.raw(`interval '${periodStep[unitName]}'`)
  const bucket = (column: string) => (windowMode ? sql`${f.from}::date` : sql`date_trunc(${unit}, ${sql.raw(column)} at time zone ${tz}::text)::date`)
  const segmented = Boolean(f.leadSource || f.industry)
  const raw = segmented || f.source === 'raw'
  const rows = await analyticsRows<RawRow>(
    db,
    sql`with recursive
  ${teamClosure},
  grp as (${groupMembers(f, org.orgName)}),
  bounds as (
    select ${f.from}::date::timestamp as lo_l, (${f.to}::date + 1)::timestamp as hi_l
  ),
  win as (select lo_l at time zone ${tz}::text as lo, hi_l at time zone ${tz}::text as hi from bounds),
  tperiods as (
    select gs::date as period, ${windowMode ? sql`${f.from}::date` : sql`gs::date`} as rperiod,
      greatest(gs, b.lo_l) at time zone ${tz}::text as lo,
      least(gs + ${step}, b.hi_l) at time zone ${tz}::text as hi,
      -- the share of the period inside the window, to prorate its target
      extract(epoch from least(gs + ${step}, b.hi_l) - greatest(gs, b.lo_l)) / extract(epoch from (gs + ${step}) - gs) as fraction
    from bounds b, generate_series(date_trunc(${unit}, b.lo_l), b.hi_l - interval '1 day', ${step}) gs
  ),
  periods as (${windowMode ? sql`select ${f.from}::date as period, win.lo, win.hi from win` : sql`select period, lo, hi from tperiods`}),
${raw ? rawFacts(f, bucket) : rollupFacts(f, bucket, unitName, windowMode, tz)}
  -- A person's won-amount target for each reporting period: the exact month/quarter target, else
  -- a month's third of its quarter target, else a quarter's sum of month targets; weeks have none.
  person_target_p as (
    select k.person_id, k.currency, p.period, p.rperiod,
      coalesce(
        sum(k.value) filter (where k.period = ${unit} and k.period_start = p.period),
        case when ${unit} = 'month' then sum(k.value) filter (where k.period = 'quarter' and k.period_start = date_trunc('quarter', p.period)::date) / 3
             when ${unit} = 'quarter' then sum(k.value) filter (where k.period = 'month' and k.period_start >= p.period and k.period_start < (p.period + interval '3 months')::date) end
      ) * p.fraction as value
    from kpi_targets k join tperiods p on k.period_start >= date_trunc('quarter', p.period)::date and k.period_start < (p.period + interval '3 months')::date
    where k.person_id in (select person_id from grp) and k.metric = 'won_amount' and ${unit} <> 'week'
    group by 1, 2, 3, 4, p.fraction
  ),
  person_target as (select person_id, currency, rperiod as period, sum(value) as value from person_target_p where value is not null group by 1, 2, 3),
  team_target_p as (
    select k.team_id::text as gid, k.currency, p.period, p.rperiod,
      coalesce(
        sum(k.value) filter (where k.period = ${unit} and k.period_start = p.period),
        case when ${unit} = 'month' then sum(k.value) filter (where k.period = 'quarter' and k.period_start = date_trunc('quarter', p.period)::date) / 3
             when ${unit} = 'quarter' then sum(k.value) filter (where k.period = 'month' and k.period_start >= p.period and k.period_start < (p.period + interval '3 months')::date) end
      ) * p.fraction as value
    from kpi_targets k join tperiods p on k.period_start >= date_trunc('quarter', p.period)::date and k.period_start < (p.period + interval '3 months')::date
    where k.team_id is not null and k.metric = 'won_amount' and ${unit} <> 'week' and ${f.groupBy === 'team'}
    group by 1, 2, 3, 4, p.fraction
  ),
  team_target as (select gid, currency, rperiod as period, sum(value) as value from team_target_p where value is not null group by 1, 2, 3),
  group_target as (
    select coalesce(tt.gid, mt.gid) as gid, coalesce(tt.currency, mt.currency) as currency, coalesce(tt.period, mt.period) as period,
      round(coalesce(tt.value, mt.value), 2) as value
    from (select g.gid, pt.currency, pt.period, sum(pt.value) as value from grp g join person_target pt on pt.person_id = g.person_id where pt.value is not null group by 1, 2, 3) mt
    full join (select * from team_target where value is not null) tt on tt.gid = mt.gid and tt.currency = mt.currency and tt.period = mt.period
  ),
  groups as (select distinct gid, gname, gemail from grp),
  cur0 as (select gid, currency from opp_currencies union select distinct gid, currency from group_target),
  cur as (
    select gid, currency from cur0
    union all
    select g.gid, ${org.currency}::text from groups g where not exists (select 1 from cur0 where cur0.gid = g.gid)
  )
select to_char(p.period, 'YYYY-MM-DD') as period, g.gid, g.gname, g.gemail, c.currency,
  coalesce(la.leads_created, 0) as leads_created, coalesce(la.leads_converted, 0) as leads_converted,
  coalesce(ca.created_count, 0) as created_count, coalesce(ca.created_won, 0) as created_won,
  coalesce(cl.won, 0) as won, coalesce(cl.lost, 0) as lost, coalesce(cl.won_amount, 0) as won_amount,
  cl.avg_deal, cl.cycle_median, cl.cycle_mean,
  case when p.lo <= now() then coalesce(pa.open_count, 0) end as open_count,
  case when p.lo <= now() then coalesce(pa.pipeline_value, 0) end as pipeline_value,
  case when p.lo <= now() then coalesce(pa.weighted_value, 0) end as weighted_value,
  gt.value as target
from periods p
cross join groups g
join cur c on c.gid = g.gid
left join lead_agg la on la.gid = g.gid and la.period = p.period
left join created_agg ca on ca.gid = g.gid and ca.currency = c.currency and ca.period = p.period
left join closed_agg cl on cl.gid = g.gid and cl.currency = c.currency and cl.period = p.period
left join pipe_agg pa on pa.gid = g.gid and pa.currency = c.currency and pa.period = p.period
left join group_target gt on gt.gid = g.gid and gt.currency = c.currency and gt.period = p.period
order by p.period, g.gname, g.gid, c.currency`,
  )
  return rows.map((r) => toFunnelRow(r, f.groupBy, org.convention, segmented))
}

type Bucket = (column: string) => SQL

/**
 * The per-deal facts from every opportunity and lead in the window: the path a lead-source or
 * industry filter takes (the rollups are not split by segment).
 */
function rawFacts(f: FunnelFilters, bucket: Bucket): SQL {
  return sql`  opp as (
    select o.id, o.amount, o.currency, o.status, o.created_at, o.closed_at, g.gid, ${stageProbability('o')} as prob
    from opportunities o join grp g on g.person_id = o.owner_id, win
    where ${segmentFilter('o', f)} and o.created_at < win.hi and (o.closed_at is null or o.closed_at >= win.lo)
  ),
  created_agg as (
    select gid, currency, ${bucket('created_at')} as period,
      count(*)::int as created_count, count(*) filter (where status = 'won')::int as created_won
    from opp, win where created_at >= win.lo and created_at < win.hi
    group by 1, 2, 3
  ),
  closed_agg as (
    select gid, currency, ${bucket('closed_at')} as period,
      count(*) filter (where status = 'won')::int as won,
      count(*) filter (where status = 'lost')::int as lost,
      coalesce(sum(amount) filter (where status = 'won'), 0) as won_amount,
      round(avg(amount) filter (where status = 'won'), 2) as avg_deal,
      round((percentile_cont(0.5) within group (order by extract(epoch from closed_at - created_at) / 86400.0) filter (where status = 'won'))::numeric, 2) as cycle_median,
      round(avg(extract(epoch from closed_at - created_at) / 86400.0) filter (where status = 'won')::numeric, 2) as cycle_mean
    from opp, win where status in ('won', 'lost') and closed_at >= win.lo and closed_at < win.hi
    group by 1, 2, 3
  ),
  -- Open at the end of each period (or now, for the current one): created before, not yet closed.
  pipe_agg as (
    select o.gid, o.currency, p.period, count(*)::int as open_count, sum(o.amount) as pipeline_value,
      round(sum(o.amount * coalesce(o.prob, 0)), 2) as weighted_value
    from periods p join opp o on o.created_at < least(p.hi, now()) and (o.closed_at is null or o.closed_at >= least(p.hi, now()))
    where p.lo <= now()
    group by 1, 2, 3
  ),
  lead_agg as (
    select g.gid, ${bucket('l.created_at')} as period,
      count(*)::int as leads_created, count(*) filter (where l.converted)::int as leads_converted
    from leads l join grp g on g.person_id = l.owner_id, win
    where ${segmentFilter('l', f)} and l.created_at >= win.lo and l.created_at < win.hi
    group by 1, 2
  ),
  opp_currencies as (select distinct gid, currency from opp),`
}

/**
 * The same facts from the rollups (opportunity_/lead_ daily and monthly; migration 0009): the whole
 * months of the window before the current one come from the monthly rows, the rest of the window
 * (its cut edges, the current month, every day when periods are weeks) from the daily rows. The
 * pipeline open at the end of a period is the balance before the window plus the flow (created −
 * closed) of every period up to it; the flow stops at today, as the raw path stops at now(). The
 * median sales cycle is not additive: it is read from the won deals (opportunities_won_closed_idx).
 */
function rollupFacts(f: FunnelFilters, bucket: Bucket, unit: PeriodUnit, windowMode: boolean, tz: string): SQL {
  const period = (column: string) => (windowMode ? sql`${f.from}::date` : sql`date_trunc(${sql.raw(`'${unit}'`)}, ${sql.raw(column)})::date`)
  const months = unit !== 'week'
  const figures = sql.raw(
    'created_count, created_won, won, lost, won_amount, won_cycle_days, created_count - closed_count as open_n, created_amount - closed_amount as open_amount, created_weighted - closed_weighted as open_weighted',
  )
  return sql`days as (
    -- [full_lo, full_hi): the whole months inside the window, none when it starts and ends in one month.
    select b.lo_d, b.hi_d, b.today_end, least(m.full_lo, b.hi_d) as full_lo, greatest(least(m.full_lo, b.hi_d), m.full_hi) as full_hi
    from (select ${f.from}::date as lo_d, ${f.to}::date + 1 as hi_d, (now() at time zone ${tz}::text)::date + 1 as today_end) b
    cross join lateral (
      select ${months ? sql`(date_trunc('month', (b.lo_d - 1)::timestamp) + interval '1 month')::date` : sql`b.lo_d`} as full_lo,
        ${months ? sql`least(date_trunc('month', b.hi_d::timestamp), date_trunc('month', (b.today_end - 1)::timestamp))::date` : sql`b.lo_d`} as full_hi
    ) m
  ),
  facts as (
    select d.owner_id, d.currency, d.month as day, ${figures} from opportunity_monthly d, days where d.owner_id in (select person_id from grp) and d.month >= days.full_lo and d.month < days.full_hi
    union all
    select d.owner_id, d.currency, d.day, ${figures} from opportunity_daily d, days
    where d.owner_id in (select person_id from grp) and ((d.day >= days.lo_d and d.day < days.full_lo) or (d.day >= days.full_hi and d.day < days.hi_d))
  ),
  agg as (
    select g.gid, f.currency, ${period('f.day')} as period,
      sum(f.created_count) as created_count, sum(f.created_won) as created_won, sum(f.won) as won, sum(f.lost) as lost,
      sum(f.won_amount) as won_amount, sum(f.won_cycle_days) as won_cycle_days,
      coalesce(sum(f.open_n) filter (where f.day < days.today_end), 0) as flow_n,
      coalesce(sum(f.open_amount) filter (where f.day < days.today_end), 0) as flow_amount,
      coalesce(sum(f.open_weighted) filter (where f.day < days.today_end), 0) as flow_weighted
    from facts f join grp g on g.person_id = f.owner_id, days
    group by 1, 2, 3
  ),
  created_agg as (select gid, currency, period, created_count::int as created_count, created_won::int as created_won from agg),
  closed_agg as (
    select a.gid, a.currency, a.period, a.won::int as won, a.lost::int as lost, a.won_amount,
      round(a.won_amount / nullif(a.won, 0), 2) as avg_deal, m.cycle_median, round(a.won_cycle_days / nullif(a.won, 0), 2) as cycle_mean
    from agg a
    left join (${f.median === false ? sql`select null::text as gid, null::text as currency, null::date as period, null::numeric as cycle_median where false` : sql`
      select g.gid, o.currency, ${bucket('o.closed_at')} as period,
        round((percentile_cont(0.5) within group (order by extract(epoch from o.closed_at - o.created_at) / 86400.0))::numeric, 2) as cycle_median
      from opportunities o join grp g on g.person_id = o.owner_id, win
      where o.status = 'won' and o.closed_at >= win.lo and o.closed_at < win.hi
      group by 1, 2, 3`}
    ) m on m.gid = a.gid and m.currency = a.currency and m.period = a.period
  ),
  -- What was open when the window began: the monthly rows of the months before, then the days of its first month.
  balance as (
    select g.gid, b.currency, sum(b.open_n) as n, sum(b.open_amount) as amount, sum(b.open_weighted) as weighted
    from (
      select d.owner_id, d.currency, ${figures} from opportunity_monthly d, days where d.owner_id in (select person_id from grp) and d.month < date_trunc('month', days.lo_d::timestamp)::date
      union all
      select d.owner_id, d.currency, ${figures} from opportunity_daily d, days where d.owner_id in (select person_id from grp) and d.day >= date_trunc('month', days.lo_d::timestamp)::date and d.day < days.lo_d
    ) b join grp g on g.person_id = b.owner_id
    group by 1, 2
  ),
  opp_currencies as (
    select gid, currency from balance where n <> 0
    union select gid, currency from agg where created_count <> 0 or won <> 0 or lost <> 0 or flow_n <> 0
  ),
  -- Open at the end of each period (or today, for the current one): the balance plus every flow up to it.
  pipe_agg as (
    select gid, currency, period, open_count::int as open_count, pipeline_value, round(weighted_value, 2) as weighted_value from (
      select oc.gid, oc.currency, p.period,
        coalesce(b.n, 0) + coalesce(sum(a.flow_n) over w, 0) as open_count,
        coalesce(b.amount, 0) + coalesce(sum(a.flow_amount) over w, 0) as pipeline_value,
        coalesce(b.weighted, 0) + coalesce(sum(a.flow_weighted) over w, 0) as weighted_value
      from periods p cross join opp_currencies oc
      left join balance b on b.gid = oc.gid and b.currency = oc.currency
      left join agg a on a.gid = oc.gid and a.currency = oc.currency and a.period = p.period
      where p.lo <= now()
      window w as (partition by oc.gid, oc.currency order by p.period)
    ) running
  ),
  lead_agg as (
    select g.gid, ${period('l.day')} as period, sum(l.created)::int as leads_created, sum(l.converted)::int as leads_converted
    from (
      select d.owner_id, d.month as day, d.created, d.converted from lead_monthly d, days where d.owner_id in (select person_id from grp) and d.month >= days.full_lo and d.month < days.full_hi
      union all
      select d.owner_id, d.day, d.created, d.converted from lead_daily d, days
      where d.owner_id in (select person_id from grp) and ((d.day >= days.lo_d and d.day < days.full_lo) or (d.day >= days.full_hi and d.day < days.hi_d))
    ) l join grp g on g.person_id = l.owner_id
    group by 1, 2
  ),`
}

function toFunnelRow(r: RawRow, groupBy: GroupBy, convention: WinRateConvention, segmented: boolean): FunnelRow {
  const wonAmount = toNumber(r.won_amount) ?? 0
  const avgDealSize = toNumber(r.avg_deal)
  const counts = { won: r.won, lost: r.lost, createdCount: r.created_count, createdWon: r.created_won }
  const rate = winRate(counts, convention)
  const meanCycle = toNumber(r.cycle_mean)
  const target = toNumber(r.target)
  return {
    period: r.period,
    group: { type: groupBy, id: r.gid, name: r.gname, ...(r.gemail ? { email: r.gemail } : {}) },
    currency: r.currency,
    leadsCreated: r.leads_created,
    leadsConverted: r.leads_converted,
    leadConversionRate: leadConversionRate(r.leads_created, r.leads_converted),
    opportunitiesCreated: r.created_count,
    won: r.won,
    lost: r.lost,
    winRate: rate,
    wonAmount,
    avgDealSize,
    salesCycleDaysMedian: toNumber(r.cycle_median),
    salesCycleDaysMean: meanCycle,
    openOpportunities: r.open_count,
    pipelineValue: toNumber(r.pipeline_value),
    weightedPipelineValue: toNumber(r.weighted_value),
    pipelineVelocity: r.open_count == null ? null : pipelineVelocity({ openCount: r.open_count, winRate: exactWinRate(counts, convention), avgDealSize, meanCycleDays: meanCycle }),
    // A target covers all of a person's deals: against a lead-source or industry slice it would mislead.
    target: segmented ? null : target,
    quotaAttainment: segmented ? null : quotaAttainment(wonAmount, target),
  }
}

export type LeadRow = { period: string; group: FunnelGroup; leadsCreated: number; leadsConverted: number; leadConversionRate: number | null }

/**
 * The top of the funnel over time, for the organisation (the reader's scope of it): leads created
 * per period and how many of them converted, with the same counting as funnelMetrics (a lead
 * counts in the period it was created, converted or not by now; only leads with a mapped owner).
 * The one trend the top-of-funnel view gets: no group below the organisation.
 */
export async function leadFunnel(db: Db, f: { scope: FunnelScope; period: PeriodUnit; from: string; to: string; leadSource?: string; industry?: string }): Promise<LeadRow[]> {
  const org = await orgContext(db)
  const unit = sql.raw(`'${f.period}'`)
  const step = sql.raw(`interval '${periodStep[f.period]}'`)
  const rows = await analyticsRows<{ period: string; leads_created: number; leads_converted: number }>(
    db,
    sql`with
  bounds as (select ${f.from}::date::timestamp as lo_l, (${f.to}::date + 1)::timestamp as hi_l),
  periods as (select gs::date as period from bounds b, generate_series(date_trunc(${unit}, b.lo_l), b.hi_l - interval '1 day', ${step}) gs),
  agg as (
    select date_trunc(${unit}, l.created_at at time zone ${org.tz}::text)::date as period,
      count(*)::int as leads_created, count(*) filter (where l.converted)::int as leads_converted
    from leads l, bounds b
    where l.owner_id in ${filteredPeople(f)} and ${segmentFilter('l', f)}
      and l.created_at >= b.lo_l at time zone ${org.tz}::text and l.created_at < b.hi_l at time zone ${org.tz}::text
    group by 1
  )
select to_char(p.period, 'YYYY-MM-DD') as period, coalesce(a.leads_created, 0) as leads_created, coalesce(a.leads_converted, 0) as leads_converted
from periods p left join agg a on a.period = p.period
order by p.period`,
  )
  return rows.map((r) => ({
    period: r.period,
    group: { type: 'org', id: 'org', name: org.orgName },
    leadsCreated: r.leads_created,
    leadsConverted: r.leads_converted,
    leadConversionRate: leadConversionRate(r.leads_created, r.leads_converted),
  }))
}

export type LeadSegmentRow = { segment: string | null; leadsCreated: number; leadsConverted: number; leadConversionRate: number | null }

/** Leads created in the window and their conversion per lead source or industry (no deal figures). */
export async function leadSegments(db: Db, f: { scope: FunnelScope; from: string; to: string; leadSource?: string; industry?: string; dimension: 'lead_source' | 'industry' }): Promise<LeadSegmentRow[]> {
  const { tz } = await orgContext(db)
  const col = sql.raw(f.dimension)
  const rows = await analyticsRows<{ segment: string | null; leads_created: number; leads_converted: number }>(
    db,
    sql`select nullif(coalesce(l.${col}, ''), '') as segment, count(*)::int as leads_created, count(*) filter (where l.converted)::int as leads_converted
from leads l
where l.owner_id in ${filteredPeople(f)} and ${segmentFilter('l', f)}
  and l.created_at >= ${f.from}::date::timestamp at time zone ${tz}::text and l.created_at < (${f.to}::date + 1)::timestamp at time zone ${tz}::text
group by coalesce(l.${col}, '')
order by 1 nulls last`,
  )
  return rows.map((r) => ({ segment: r.segment, leadsCreated: r.leads_created, leadsConverted: r.leads_converted, leadConversionRate: leadConversionRate(r.leads_created, r.leads_converted) }))
}

export type StageConversionRow = { key: string; name: string; position: number; reached: number; advanced: number; nextStep: number | null; cumulative: number | null }

/**
 * Stage conversion over the opportunities created in the window, from the recorded stage history:
 * a deal "reached" every stage it was seen at (history from/to stages and its current stage); a
 * deal with no history counts only at its current stage. Next-step = of the deals seen at a stage,
 * the share later seen at a further stage; cumulative = of the deals seen at the first stage, the
 * share that reached this stage or beyond.
 */
export async function stageConversion(
  db: Db,
  f: Omit<FunnelFilters, 'groupBy' | 'period'> & { pipeline?: string },
): Promise<StageConversionRow[]> {
  requireFullView(f.scope, 'Stage conversion')
  const { tz } = await orgContext(db)
  const pipeline = f.pipeline ?? 'default'
  const rows = await analyticsRows<{ key: string; name: string; position: number; reached: number; advanced: number; cumulative_n: number; first_n: number }>(
    db,
    sql`with
  win as (select ${f.from}::date::timestamp at time zone ${tz}::text as lo, (${f.to}::date + 1)::timestamp at time zone ${tz}::text as hi),
  -- A closing-lost stage after the won stage (probability 0) is an exit, not a step forward.
  stages as (
    select fs.key, fs.name, fs.position, fs.labels from funnel_stages fs
    where fs.pipeline = ${pipeline}
      and not (fs.probability = 0 and exists (select 1 from funnel_stages w where w.pipeline = fs.pipeline and w.probability = 1 and w.position < fs.position))
  ),
  cohort as (
    select o.id, o.stage from opportunities o, win
    where o.pipeline = ${pipeline} and o.owner_id in ${filteredPeople(f)} and ${segmentFilter('o', f)}
      and o.created_at >= win.lo and o.created_at < win.hi
  ),
  seen as (
    select c.id, c.stage as label from cohort c where c.stage is not null
    union select h.opportunity_id, h.to_stage from opportunity_stage_history h join cohort c on c.id = h.opportunity_id
    union select h.opportunity_id, h.from_stage from opportunity_stage_history h join cohort c on c.id = h.opportunity_id where h.from_stage is not null
  ),
  visits as (
    select distinct s.id, st.position from seen s
    join stages st on lower(st.key) = lower(s.label) or s.label = any(st.labels) or lower(st.name) = lower(s.label)
  ),
  reach as (select id, min(position) as first_pos, max(position) as max_pos from visits group by id),
  first_stage as (select min(position) as position from stages)
select st.key, st.name, st.position::int as position,
  (select count(*) from visits v where v.position = st.position)::int as reached,
  (select count(*) from visits v join reach r on r.id = v.id where v.position = st.position and r.max_pos > st.position)::int as advanced,
  (select count(*) from reach r join visits v on v.id = r.id and v.position = (select position from first_stage) where r.max_pos >= st.position)::int as cumulative_n,
  (select count(*) from visits v where v.position = (select position from first_stage))::int as first_n
from stages st order by st.position`,
  )
  return rows.map((r) => ({
    key: r.key,
    name: r.name,
    position: r.position,
    reached: r.reached,
    advanced: r.advanced,
    nextStep: share(r.advanced, r.reached),
    cumulative: share(r.cumulative_n, r.first_n),
  }))
}

export type SegmentRow = { segment: string | null; currency: string; leadsCreated: number; leadsConverted: number; leadConversionRate: number | null; opportunitiesCreated: number; won: number; lost: number; winRate: number | null; wonAmount: number }

/** Figures per lead source or industry over the window (one row per segment and currency). */
export async function segmentBreakdown(db: Db, f: Omit<FunnelFilters, 'groupBy' | 'period'> & { dimension: 'lead_source' | 'industry' }): Promise<SegmentRow[]> {
  // Won deals and amounts per segment: the top-of-funnel view has leadSegments instead.
  requireFullView(f.scope, 'Deal figures per segment')
  const org = await orgContext(db)
  const col = sql.raw(f.dimension)
  const rows = await analyticsRows<{ segment: string | null; currency: string; leads_created: number; leads_converted: number; created_count: number; created_won: number; won: number; lost: number; won_amount: string }>(
    db,
    sql`with
  win as (select ${f.from}::date::timestamp at time zone ${org.tz}::text as lo, (${f.to}::date + 1)::timestamp at time zone ${org.tz}::text as hi),
  people_in as ${filteredPeople(f)},
  o as (
    select coalesce(o.${col}, '') as segment, o.currency,
      count(*) filter (where o.created_at >= win.lo and o.created_at < win.hi)::int as created_count,
      count(*) filter (where o.created_at >= win.lo and o.created_at < win.hi and o.status = 'won')::int as created_won,
      count(*) filter (where o.status = 'won' and o.closed_at >= win.lo and o.closed_at < win.hi)::int as won,
      count(*) filter (where o.status = 'lost' and o.closed_at >= win.lo and o.closed_at < win.hi)::int as lost,
      coalesce(sum(o.amount) filter (where o.status = 'won' and o.closed_at >= win.lo and o.closed_at < win.hi), 0) as won_amount
    from opportunities o, win
    where o.owner_id in (select id from people_in) and ${segmentFilter('o', f)} and o.created_at < win.hi and (o.closed_at is null or o.closed_at >= win.lo)
    group by 1, 2
  ),
  l as (
    select coalesce(l.${col}, '') as segment, count(*)::int as leads_created, count(*) filter (where l.converted)::int as leads_converted
    from leads l, win
    where l.owner_id in (select id from people_in) and ${segmentFilter('l', f)} and l.created_at >= win.lo and l.created_at < win.hi
    group by 1
  )
select nullif(coalesce(o.segment, l.segment), '') as segment, coalesce(o.currency, ${org.currency}::text) as currency,
  coalesce(l.leads_created, 0) as leads_created, coalesce(l.leads_converted, 0) as leads_converted,
  coalesce(o.created_count, 0) as created_count, coalesce(o.created_won, 0) as created_won,
  coalesce(o.won, 0) as won, coalesce(o.lost, 0) as lost, coalesce(o.won_amount, 0) as won_amount
-- '' stands for "no segment": FULL JOIN needs an equality condition.
from o full join l on o.segment = l.segment
order by 1 nulls last, 2`,
  )
  return rows.map((r) => ({
    segment: r.segment,
    currency: r.currency,
    leadsCreated: r.leads_created,
    leadsConverted: r.leads_converted,
    leadConversionRate: leadConversionRate(r.leads_created, r.leads_converted),
    opportunitiesCreated: r.created_count,
    won: r.won,
    lost: r.lost,
    winRate: winRate({ won: r.won, lost: r.lost, createdCount: r.created_count, createdWon: r.created_won }, org.convention),
    wonAmount: toNumber(r.won_amount) ?? 0,
  }))
}

export type LifetimeRow = { currency: string; accounts: number; repeatAccounts: number; repeatShare: number | null; avgLifetimeRevenue: number | null; medianLifetimeRevenue: number | null; topAccounts: { account: string; wonAmount: number; deals: number }[] }

/** Customer lifetime revenue: won amount per account over all periods, and the share that bought more than once. */
export async function customerLifetime(db: Db, f: { scope: FunnelScope; teamId?: string; personId?: string }): Promise<LifetimeRow[]> {
  requireFullView(f.scope, 'Customer lifetime revenue')
  const rows = await analyticsRows<{ currency: string; accounts: number; repeat_accounts: number; avg_rev: string | null; median_rev: string | null; top: { account: string; won_amount: string; deals: number }[] | string }>(
    db,
    sql`with acc as (
    select o.currency, o.account, sum(o.amount) as won_amount, count(*)::int as deals
    from opportunities o
    where o.status = 'won' and o.account is not null and o.owner_id in ${filteredPeople(f)}
    group by 1, 2
  )
select currency, count(*)::int as accounts, count(*) filter (where deals > 1)::int as repeat_accounts,
  round(avg(won_amount), 2) as avg_rev,
  round((percentile_cont(0.5) within group (order by won_amount))::numeric, 2) as median_rev,
  (select coalesce(json_agg(json_build_object('account', a2.account, 'won_amount', a2.won_amount, 'deals', a2.deals)), '[]'::json)
     from (select * from acc a2 where a2.currency = acc.currency order by a2.won_amount desc, a2.account limit 5) a2) as top
from acc group by currency order by currency`,
  )
  return rows.map((r) => {
    const top = typeof r.top === 'string' ? (JSON.parse(r.top) as { account: string; won_amount: string; deals: number }[]) : r.top
    return {
      currency: r.currency,
      accounts: r.accounts,
      repeatAccounts: r.repeat_accounts,
      repeatShare: share(r.repeat_accounts, r.accounts),
      avgLifetimeRevenue: toNumber(r.avg_rev),
      medianLifetimeRevenue: toNumber(r.median_rev),
      topAccounts: top.map((t) => ({ account: t.account, wonAmount: toNumber(t.won_amount) ?? 0, deals: t.deals })),
    }
  })
}
