import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { type Db, queryRows } from '#db/client'
import type { Viewer } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { type BenchmarkView, listBenchmarks } from './benchmarks.server'
import { type CampaignRow, campaignMetrics } from './campaigns.server'
import { type ForecastRow, forecast } from './forecast.server'
import { periodCount, periodUnits } from './kpi'
import {
  type FunnelRow,
  type LeadRow,
  type LeadSegmentRow,
  type LifetimeRow,
  type SegmentRow,
  type StageConversionRow,
  customerLifetime,
  funnelMetrics,
  leadFunnel,
  leadSegments,
  segmentBreakdown,
  stageConversion,
} from './kpi.server'
import { resolveWindow, teamExists } from './metrics-api.server'
import { personInScope, scopedTeamIds } from '~/auth/scope.server'
import { type FunnelScope, funnelOrgRight, funnelView } from './scope.server'

import { type RepSortKey, repSortKeys } from './rep-sort'

export { type RepSortKey, repSortKeys }

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => new Date(`${v}T00:00:00Z`).toISOString().startsWith(v))
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v)

/** The dashboard's URL parameters: bad or missing ones fall back to their defaults (a page never 400s on a stale link). */
export const dashboardQuerySchema = z.object({
  period: z.preprocess(blankToUndefined, z.enum(periodUnits).catch('month').default('month')),
  from: z.preprocess(blankToUndefined, isoDate.optional().catch(undefined)),
  to: z.preprocess(blankToUndefined, isoDate.optional().catch(undefined)),
  team: z.preprocess(blankToUndefined, z.uuid().optional().catch(undefined)),
  leadSource: z.preprocess(blankToUndefined, z.string().trim().max(200).optional().catch(undefined)),
  industry: z.preprocess(blankToUndefined, z.string().trim().max(200).optional().catch(undefined)),
  sort: z.preprocess(blankToUndefined, z.enum(repSortKeys).catch('wonAmount').default('wonAmount')),
  dir: z.preprocess(blankToUndefined, z.enum(['asc', 'desc']).catch('desc').default('desc')),
})
export type DashboardQuery = z.output<typeof dashboardQuerySchema>

export function parseDashboardQuery(url: URL): DashboardQuery {
  return dashboardQuerySchema.parse(Object.fromEntries(url.searchParams))
}

/** A signed-in reader's funnel scope: decided by the scope rule inside each query. */
function readerScope(viewer: Pick<Viewer, 'id' | 'role'>): FunnelScope {
  return { viewer: { id: viewer.id, role: viewer.role } }
}

/** Sorts the rep table (a few dozen already-aggregated rows); figures with nothing to measure go last. */
export function sortRows(rows: FunnelRow[], key: RepSortKey, dir: 'asc' | 'desc'): FunnelRow[] {
  const sign = dir === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    if (key === 'name') return sign * a.group.name.localeCompare(b.group.name) || a.currency.localeCompare(b.currency)
    const x = a[key]
    const y = b[key]
    if (x == null && y == null) return a.group.name.localeCompare(b.group.name)
    if (x == null) return 1
    if (y == null) return -1
    return sign * (x - y) || a.group.name.localeCompare(b.group.name)
  })
}

async function resolveFilters(db: Db, scope: FunnelScope, q: DashboardQuery) {
  // A team outside the viewer's scope (or unknown) is ignored rather than leaking that it exists.
  let team = q.team
  if (team) {
    const ok = await queryRows<{ id: string }>(db, sql`select id from teams where id = ${team} and id in ${scopedTeamIds(scope, funnelOrgRight)}`)
    if (!ok.length || !(await teamExists(db, team))) team = undefined
  }
  let window = await resolveWindow(db, q.period, q.from, q.to)
  if (window.from > window.to || periodCount(q.period, window.from, window.to) > 260) window = await resolveWindow(db, q.period, undefined, q.to)
  return { ...window, team }
}

export type DashboardData = {
  view: 'full'
  period: DashboardQuery['period']
  from: string
  to: string
  team: string | null
  leadSource: string | null
  industry: string | null
  sort: RepSortKey
  dir: 'asc' | 'desc'
  trend: FunnelRow[]
  reps: FunnelRow[]
  teams: FunnelRow[]
  stages: StageConversionRow[]
  bySource: SegmentRow[]
  byIndustry: SegmentRow[]
  forecast: ForecastRow[]
  campaigns: CampaignRow[] | null
  lifetime: LifetimeRow[]
  benchmarks: BenchmarkView[]
  options: { teams: { id: string; name: string }[]; leadSources: string[]; industries: string[] }
}

/** What /funnel shows the top-of-funnel view (marketing): leads, their conversion and campaigns, organisation-wide. */
export type TopDashboardData = {
  view: 'top'
  period: DashboardQuery['period']
  from: string
  to: string
  leadSource: string | null
  industry: string | null
  trend: LeadRow[]
  bySource: LeadSegmentRow[]
  byIndustry: LeadSegmentRow[]
  campaigns: CampaignRow[] | null
  benchmarks: BenchmarkView[]
  options: { leadSources: string[]; industries: string[] }
}

/**
 * Everything /funnel shows, each figure from the one KPI engine, scoped to the viewer inside SQL;
 * the top-of-funnel view gets its own, smaller set (no team filter: it is organisation-wide).
 */
export async function funnelDashboard(db: Db, viewer: Pick<Viewer, 'id' | 'role'>, q: DashboardQuery): Promise<DashboardData | TopDashboardData> {
  const scope = readerScope(viewer)
  if (funnelView(scope) === 'top') return topDashboard(db, scope, viewer, q)
  const { from, to, team } = await resolveFilters(db, scope, q)
  const base = { scope, from, to, teamId: team, leadSource: q.leadSource, industry: q.industry }
  const marketing = roleCan(viewer.role, 'marketing:view')
  const [trend, reps, teams, stages, bySource, byIndustry, fc, campaigns, lifetime, benchmarks, options] = await Promise.all([
    funnelMetrics(db, { ...base, groupBy: 'org', period: q.period }),
    funnelMetrics(db, { ...base, groupBy: 'rep', period: 'window' }),
    funnelMetrics(db, { ...base, groupBy: 'team', period: 'window' }),
    stageConversion(db, base),
    segmentBreakdown(db, { ...base, dimension: 'lead_source' }),
    segmentBreakdown(db, { ...base, dimension: 'industry' }),
    forecast(db, { scope, groupBy: 'org', period: q.period === 'quarter' ? 'quarter' : 'month', teamId: team }),
    marketing ? campaignMetrics(db, { scope, from, to, teamId: team, leadSource: q.leadSource, industry: q.industry }) : Promise.resolve(null),
    customerLifetime(db, { scope, teamId: team }),
    listBenchmarks(db),
    dashboardOptions(db, scope),
  ])
  return {
    view: 'full',
    period: q.period,
    from,
    to,
    team: team ?? null,
    leadSource: q.leadSource ?? null,
    industry: q.industry ?? null,
    sort: q.sort,
    dir: q.dir,
    trend,
    reps: sortRows(reps, q.sort, q.dir),
    teams,
    stages,
    bySource,
    byIndustry,
    forecast: fc,
    campaigns,
    lifetime,
    benchmarks,
    options,
  }
}

async function topDashboard(db: Db, scope: FunnelScope, viewer: Pick<Viewer, 'role'>, q: DashboardQuery): Promise<TopDashboardData> {
  let window = await resolveWindow(db, q.period, q.from, q.to)
  if (window.from > window.to || periodCount(q.period, window.from, window.to) > 260) window = await resolveWindow(db, q.period, undefined, q.to)
  const base = { scope, ...window, leadSource: q.leadSource, industry: q.industry }
  const [trend, bySource, byIndustry, campaigns, benchmarks, options] = await Promise.all([
    leadFunnel(db, { ...base, period: q.period }),
    leadSegments(db, { ...base, dimension: 'lead_source' }),
    leadSegments(db, { ...base, dimension: 'industry' }),
    roleCan(viewer.role, 'marketing:view') ? campaignMetrics(db, base) : Promise.resolve(null),
    listBenchmarks(db),
    segmentOptions(db),
  ])
  return {
    view: 'top',
    period: q.period,
    ...window,
    leadSource: q.leadSource ?? null,
    industry: q.industry ?? null,
    trend,
    bySource,
    byIndustry,
    campaigns,
    // The published figure that stands beside the top of the funnel.
    benchmarks: benchmarks.filter((b) => b.metric === 'leadConversionRate'),
    options,
  }
}

async function segmentOptions(db: Db) {
  const [sources, industries] = await Promise.all([
    queryRows<{ v: string }>(db, sql`select distinct lead_source as v from opportunities where lead_source is not null union select distinct lead_source from leads where lead_source is not null order by 1 limit 100`),
    queryRows<{ v: string }>(db, sql`select distinct industry as v from opportunities where industry is not null union select distinct industry from leads where industry is not null order by 1 limit 100`),
  ])
  return { leadSources: sources.map((s) => s.v), industries: industries.map((s) => s.v) }
}

async function dashboardOptions(db: Db, scope: FunnelScope) {
  const [teams, segments] = await Promise.all([
    queryRows<{ id: string; name: string }>(db, sql`select id::text as id, name from teams where id in ${scopedTeamIds(scope, funnelOrgRight)} order by name`),
    segmentOptions(db),
  ])
  return { teams, ...segments }
}

export type RepDashboard =
  | { status: 'not_found' }
  | { status: 'forbidden' }
  | {
      status: 'ok'
      person: { id: string; name: string; email: string; teamName: string | null }
      period: DashboardQuery['period']
      from: string
      to: string
      trend: FunnelRow[]
      stages: StageConversionRow[]
      forecast: ForecastRow[]
      benchmarks: BenchmarkView[]
    }

/** One rep's trends: 404 for an unknown person, 403 outside the viewer's scope. */
export async function repDashboard(db: Db, viewer: Pick<Viewer, 'id' | 'role'>, personId: string, q: DashboardQuery): Promise<RepDashboard> {
  if (!z.uuid().safeParse(personId).success) return { status: 'not_found' }
  const scope = readerScope(viewer)
  const [person] = await queryRows<{ id: string; name: string; email: string; team_name: string | null; in_scope: boolean }>(
    db,
    sql`select p.id, p.name, p.email, t.name as team_name, ${personInScope(sql`p.id`, scope, funnelOrgRight)} as in_scope
      from people p left join teams t on t.id = p.team_id where p.id = ${personId}`,
  )
  if (!person) return { status: 'not_found' }
  // Outside the scope, or a top-of-funnel reader (no per-rep figures): refused.
  if (!person.in_scope || funnelView(scope) === 'top') return { status: 'forbidden' }
  const window = await resolveWindow(db, q.period, q.from, q.to)
  const base = { scope, ...window, personId, leadSource: q.leadSource, industry: q.industry }
  const [trend, stages, fc, benchmarks] = await Promise.all([
    funnelMetrics(db, { ...base, groupBy: 'rep', period: q.period }),
    stageConversion(db, base),
    forecast(db, { scope, groupBy: 'rep', period: q.period === 'quarter' ? 'quarter' : 'month', personId }),
    listBenchmarks(db),
  ])
  return {
    status: 'ok',
    person: { id: person.id, name: person.name, email: person.email, teamName: person.team_name },
    period: q.period,
    ...window,
    trend,
    stages,
    forecast: fc,
    benchmarks,
  }
}
