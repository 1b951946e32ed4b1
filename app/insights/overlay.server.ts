/**
 * The home dashboard's data (docs/architecture.md#the-performance-overlay): sentiment and KPI trends on one time axis, response
 * rate, the driver × team heatmap, and the three correlation panels (period, team, rep), for the
 * organisation (hr, leader, admin) or a manager's own teams. Everything here is already filtered
 * by the privacy rules: suppressed cells carry no figure, rep points only where correlation.server
 * allows them. The CSV export and the print view read exactly this object.
 */
import { sql } from 'drizzle-orm'
import { type Db, queryRows, withSharedQueries } from '#db/client'
import type { Role } from '#db/schema/people'
import { type Viewer, forbidden } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { type FunnelRow, orgContext } from '~/funnel/kpi.server'
import { type CoveredWindow, coveringWindow } from '~/responses/buckets'
import { driverFigures } from '~/responses/figures'
import { responseRates, windowCells } from '~/responses/published.server'
import { loadHierarchy } from '~/responses/hierarchy.server'
import { type Scope, viewerScope } from '~/auth/scope.server'
import { type CorrelationOutcome, type SeriesPoint, correlation, kpiRowsFor, kpiValue, publicCorrelation, sentimentSeries } from './correlation.server'
import type { Audience } from './correlation.server'
import type { LinearFit } from './statistics'
import { type DashboardFilters, type Level, resolveDashboardFilters } from './overlay'

export type TrendRow = { period: string; sentiment: SeriesPoint | null; kpi: number | null }
export type HeatCell = { driver: string; teamId: string; mean: number | null; favourableShare: number | null; n: number | null }
export type Panel = ReturnType<typeof publicCorrelation> & { fit: LinearFit | null; threshold: number }

export type OverlayDashboard = {
  kind: 'overlay'
  filters: DashboardFilters
  /** The whole periods the chosen days cover: sentiment is published for whole periods only. */
  window: CoveredWindow
  scopeKind: 'org' | 'teams'
  groupName: string
  currency: string
  teams: { id: string; name: string; depth: number }[]
  leadSources: string[]
  industries: string[]
  trend: TrendRow[]
  responseRate: { invited: number; responded: number; rate: number | null; omittedRounds: number }
  heatmap: { drivers: string[]; teams: { id: string; name: string }[]; cells: HeatCell[] }
  panels: Record<Level, Panel>
  /** level=period for each team in view (with its sub-teams): which team's mood moved with its KPI. */
  teamSeries: { id: string; name: string; panel: Panel }[]
}

function panel(outcome: Awaited<ReturnType<typeof correlation>>): Panel {
  if ('error' in outcome) forbidden()
  const o = outcome as CorrelationOutcome
  return { ...publicCorrelation(o), fit: o.suppressed ? null : o.fit, threshold: o.threshold }
}

/** Which teams a scope lists in the filter, in tree order with their depth for indentation. */
function scopedTeams(hierarchy: Awaited<ReturnType<typeof loadHierarchy>>, scope: Scope) {
  const allowed = (id: string) => scope.kind === 'org' || (scope.kind === 'teams' && scope.teamIds.includes(id))
  const out: { id: string; name: string; depth: number }[] = []
  const visit = (parentId: string | null, depth: number) => {
    for (const t of hierarchy.teams.filter((x) => x.parentId === parentId).sort((a, b) => a.name.localeCompare(b.name))) {
      if (allowed(t.id)) out.push({ id: t.id, name: t.name, depth })
      visit(t.id, allowed(t.id) ? depth + 1 : depth)
    }
  }
  visit(null, 0)
  return out
}

/**
 * The dashboard for someone who may read results (hr/leader/admin: the organisation; a manager:
 * their teams). A manager without a team filter sees their first managed team: the organisation
 * as a whole is not theirs to see. A team outside the scope is refused (403), not silently widened.
 */
export async function overlayDashboard(db: Db, viewer: Pick<Viewer, 'id' | 'role'>, params: URLSearchParams, today: string): Promise<OverlayDashboard | null> {
  const scope = await viewerScope(db, viewer)
  if (scope.kind === 'none') return null
  const hierarchy = await loadHierarchy(db)
  const teams = scopedTeams(hierarchy, scope)
  const filters = resolveDashboardFilters(params, today)
  // Any days are answered by the whole periods they touch, and the filters say so.
  const window = coveringWindow(filters.from, filters.to, filters.period)
  filters.from = window.from
  filters.to = window.to
  if (filters.teamId && scope.kind === 'teams' && !scope.teamIds.includes(filters.teamId)) forbidden()
  if (filters.teamId && !hierarchy.teams.some((t) => t.id === filters.teamId)) forbidden()
  if (!filters.teamId && scope.kind === 'teams' && teams.length) filters.teamId = teams[0].id
  const audience: Audience = { scope, viewerId: viewer.id, role: viewer.role as Role }
  const groupId = filters.teamId ?? 'org'
  const groupName = filters.teamId ? (hierarchy.teams.find((t) => t.id === filters.teamId)?.name ?? '') : hierarchy.orgName
  const org = await orgContext(db)
  const hasGroup = groupId !== 'org' || scope.kind === 'org'

  const request = { sentiment: filters.sentiment, kpi: filters.kpi, period: filters.period, lag: filters.lag, from: filters.from, to: filters.to, teamId: filters.teamId, leadSource: filters.leadSource, industry: filters.industry }
  const [series, kpiRows, responseRate, heatmap, segments, periodPanel, teamPanel, repPanel] = await Promise.all([
    hasGroup ? sentimentSeries(db, filters.sentiment, { from: filters.from, to: filters.to }, filters.period, groupId) : Promise.resolve([]),
    hasGroup ? kpiRowsFor(db, audience, request, { from: filters.from, to: filters.to }, groupId === 'org' ? 'org' : 'team', filters.period) : Promise.resolve([] as FunnelRow[]),
    hasGroup ? groupResponseRate(db, groupId, filters) : Promise.resolve({ invited: 0, responded: 0, rate: null, omittedRounds: 0 }),
    driverHeatmap(db, hierarchy, teams, filters),
    segmentOptions(db),
    correlation(db, audience, { ...request, level: 'period' }),
    correlation(db, audience, { ...request, level: 'team' }),
    correlation(db, audience, { ...request, level: 'rep' }),
  ])
  // The period-level panel of each team in view (at most 12): a drift in one team that the
  // organisation's average hides shows up here, each team judged against its own threshold.
  const seriesTeams = teams.filter((t) => (filters.teamId ? isBelow(hierarchy, t.id, filters.teamId) && hierarchy.teams.find((x) => x.id === t.id)?.parentId === filters.teamId : t.depth === 0)).slice(0, 12)
  const teamSeries = await Promise.all(seriesTeams.map(async (t) => ({ id: t.id, name: t.name, panel: panel(await correlation(db, audience, { ...request, teamId: t.id, level: 'period' })) })))
  const kpiByPeriod = new Map(kpiRows.filter((r) => groupId === 'org' || r.group.id === groupId).map((r) => [r.period, kpiValue(r, filters.kpi)]))
  const seriesByPeriod = new Map(series.map((s) => [s.period, s]))
  const periods = [...new Set([...seriesByPeriod.keys(), ...kpiByPeriod.keys()])].sort()
  return {
    kind: 'overlay',
    filters,
    window,
    scopeKind: scope.kind,
    groupName,
    currency: org.currency,
    teams,
    ...segments,
    trend: periods.map((period) => ({ period, sentiment: seriesByPeriod.get(period) ?? null, kpi: kpiByPeriod.get(period) ?? null })),
    responseRate,
    heatmap,
    panels: { period: panel(periodPanel), team: panel(teamPanel), rep: panel(repPanel) },
    teamSeries,
  }
}

/** Invited and responded over the closed rounds of the window, for the group (counts only, never who, only round-groups shown). */
async function groupResponseRate(db: Db, groupId: string, f: DashboardFilters) {
  const { rates } = await responseRates(db, { unit: f.period, from: f.from, to: f.to, groupKeys: [groupId] })
  const row = rates[0] ?? { invited: 0, responded: 0, omittedRounds: 0 }
  return { invited: row.invited, responded: row.responded, rate: row.invited ? Math.round((row.responded / row.invited) * 1000) / 1000 : null, omittedRounds: row.omittedRounds }
}

/** Driver × team over the window: the sum of each team's published buckets; a team with none keeps no figure. */
async function driverHeatmap(db: Db, hierarchy: Awaited<ReturnType<typeof loadHierarchy>>, teams: { id: string; name: string }[], f: DashboardFilters) {
  const inView = teams.filter((t) => !f.teamId || t.id === f.teamId || isBelow(hierarchy, t.id, f.teamId))
  const { cells: published } = await windowCells(db, { unit: f.period, from: f.from, to: f.to, measures: ['driver:'], groupKeys: inView.map((t) => t.id) })
  const cells: HeatCell[] = published.map((c) => {
    const driver = c.measure.slice('driver:'.length)
    if (!c.shown) return { driver, teamId: c.groupKey, mean: null, favourableShare: null, n: null }
    const figures = driverFigures(c)
    return { driver, teamId: c.groupKey, mean: figures.mean, favourableShare: figures.favourableShare, n: c.n }
  })
  return { drivers: [...new Set(cells.map((c) => c.driver))].sort(), teams: inView.map(({ id, name }) => ({ id, name })), cells }
}

function isBelow(hierarchy: Awaited<ReturnType<typeof loadHierarchy>>, id: string, ancestor: string): boolean {
  for (let t: string | null = hierarchy.teams.find((x) => x.id === id)?.parentId ?? null; t; t = hierarchy.teams.find((x) => x.id === t)?.parentId ?? null) if (t === ancestor) return true
  return false
}

/** The lead sources and industries present in the CRM data, for the filter selects. */
async function segmentOptions(db: Db) {
  const rows = await queryRows<{ kind: 'source' | 'industry'; value: string }>(
    db,
    sql`select distinct 'source' as kind, lead_source as value from opportunities where lead_source is not null
        union select distinct 'industry', industry from opportunities where industry is not null
        order by 1, 2`,
  )
  return { leadSources: rows.filter((r) => r.kind === 'source').map((r) => r.value), industries: rows.filter((r) => r.kind === 'industry').map((r) => r.value) }
}

/** What /, /dashboard/print and the CSV export serve to the signed-in person. */
export async function homeFor(db: Db, viewer: Viewer, params: URLSearchParams, now = new Date()): Promise<OverlayDashboard | null> {
  if (!viewer.isManager && !roleCan(viewer.role, 'results:org')) return null
  // "Today" is the organisation's calendar day, like every period boundary (docs/architecture.md#funnel-kpis).
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: (await orgContext(db)).tz }).format(now)
  // The panels ask for the same aggregates many times over (each team's series computes every team's).
  return withSharedQueries(() => overlayDashboard(db, viewer, params, today))
}
