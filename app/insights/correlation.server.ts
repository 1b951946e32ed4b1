/**
 * The correlation engine of the performance overlay (DESIGN.md §7): sentiment against a funnel KPI
 * per rep, per team or per period, with the privacy rules of DESIGN.md §5 applied before anything
 * leaves this module.
 *
 * - Raw rows are aggregated in SQL (per-rep means GROUP BY person_id, team and period aggregates
 *   from the results engine, KPIs from the funnel engine); only the ≤ few-thousand unit values
 *   reach JavaScript, where the pure statistics run.
 * - Statistics are computed on the individual units' values. What is *drawn* depends on who asks:
 *   individual rep points only when every round used is identified and the viewer may see names
 *   (hr, leader, admin, or the manager of every rep drawn); otherwise bands of ≥ threshold reps.
 * - A rep-level result resting on fewer reps than the threshold (max of the frozen thresholds of
 *   the rounds used) is suppressed entirely: no n, no statistic, no band.
 */
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import type { Role } from '#db/schema/people'
import { roleCan } from '~/auth/permissions'
import { type FunnelRow, funnelMetrics, orgContext } from '~/funnel/kpi.server'
import type { FunnelScope } from '~/funnel/scope.server'
import { driverAggregates, enpsAggregates } from '~/responses/metrics.server'
import { applyThresholds, loadHierarchy } from '~/responses/results-privacy.server'
import { enpsFigures } from '~/responses/results.server'
import type { ViewerScope } from '~/responses/scope.server'
import { getSettings } from '~/settings/settings.server'
import { type LinearFit, correlate, linearFit } from './statistics'
import { type Band, type CorrelationRequest, type KpiKey, type Sentiment, kpiWindow, monthsPerPeriod, shiftMonths, toBands } from './overlay'

/** Who is asking: their scope and whether (and for whom) they may see identified answers by name. */
export type Audience = {
  scope: ViewerScope
  /** The signed-in person (null for an API key). */
  viewerId: string | null
  role: Role
}

export type RepPoint = { id: string; label: string; x: number; y: number }
export type TeamPoint = { id: string; label: string; x: number; y: number; n: number }
export type PeriodPoint = { period: string; kpiPeriod: string; x: number; y: number; n: number }

export type Statistics = {
  n: number
  excluded: { total: number; missingSentiment: number; missingKpi: number; nonFinite: number; belowThreshold: number }
  pearson: { r: number | null; t: number | null; p: number | null; ciLow: number | null; ciHigh: number | null }
  spearman: { rho: number | null; p: number | null }
  fit: LinearFit | null
}

export type CorrelationOutcome =
  | { suppressed: true; reason: 'below_threshold' | 'no_data'; level: CorrelationRequest['level']; threshold: number }
  | ({ suppressed: false; level: 'rep'; threshold: number; drawn: 'points'; points: RepPoint[] } & Statistics)
  | ({ suppressed: false; level: 'rep'; threshold: number; drawn: 'bands'; bands: Band[] } & Statistics)
  | ({ suppressed: false; level: 'team'; threshold: number; drawn: 'points'; points: TeamPoint[] } & Statistics)
  | ({ suppressed: false; level: 'period'; threshold: number; drawn: 'points'; points: PeriodPoint[] } & Statistics)

export type CorrelationError = { error: 'unknown_team' | 'team_out_of_scope' | 'no_scope' }

/** The figure of one KPI in a funnel row (sales_cycle_days is the median, DESIGN.md §7). */
export function kpiValue(row: FunnelRow, kpi: KpiKey): number | null {
  switch (kpi) {
    case 'lead_conversion_rate':
      return row.leadConversionRate
    case 'win_rate':
      return row.winRate
    case 'avg_deal_size':
      return row.avgDealSize
    case 'sales_cycle_days':
      return row.salesCycleDaysMedian
    case 'pipeline_value':
      return row.pipelineValue
    case 'pipeline_velocity':
      return row.pipelineVelocity
    case 'quota_attainment':
      return row.quotaAttainment
    case 'opportunities_created':
      return row.opportunitiesCreated
    case 'won':
      return row.won
  }
}

function funnelScope(audience: Audience): FunnelScope {
  return audience.scope.kind === 'org' || !audience.viewerId ? { all: true } : { viewer: { id: audience.viewerId, role: audience.role } }
}

/** The people a scope covers, as SQL over alias p (managers: their teams' members and their direct reports). */
function scopePeople(audience: Audience) {
  const scope = audience.scope
  if (scope.kind === 'org') return sql`true`
  if (scope.kind === 'none') return sql`false`
  const teams = scope.teamIds.length ? sql`p.team_id in (${sql.join(scope.teamIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql`false`
  return sql`(${teams} or p.manager_id = ${audience.viewerId}::uuid)`
}

function subtree(teamId: string | undefined) {
  if (!teamId) return sql`true`
  return sql`p.team_id in (with recursive sub(id) as (
      select id from teams where id = ${teamId}::uuid
      union select t.id from teams t join sub on t.parent_id = sub.id
    ) select id from sub)`
}

function measureSql(sentiment: Sentiment) {
  return sentiment.kind === 'enps' ? sql`a.type = 'enps'` : sql`a.type = 'agreement' and a.driver = ${sentiment.driver}`
}

function statistics(pairs: { x: number | null; y: number | null }[], belowThreshold: number): Statistics {
  const report = correlate(pairs)
  const complete = pairs.filter((p): p is { x: number; y: number } => p.x !== null && p.y !== null && Number.isFinite(p.x) && Number.isFinite(p.y))
  return {
    n: report.n,
    excluded: { ...report.excluded, total: report.excluded.total + belowThreshold, belowThreshold },
    pearson: { r: report.pearson.r, t: report.pearson.t, p: report.pearson.p, ciLow: report.pearson.ciLow, ciHigh: report.pearson.ciHigh },
    spearman: { rho: report.spearman.rho, p: report.spearman.p },
    fit: linearFit(
      complete.map((p) => p.x),
      complete.map((p) => p.y),
    ),
  }
}

const MONEY_KPIS: readonly KpiKey[] = ['avg_deal_size', 'pipeline_value', 'pipeline_velocity', 'quota_attainment']

/**
 * One funnel row per group (and period). The engine splits every group by currency; amounts are
 * never mixed across currencies (DESIGN.md §6), so money KPIs read the organisation's currency
 * only. Counts and rates do not depend on currency, so a group that sells in a single other
 * currency (the demo's London, in GBP) keeps its row; a group with several currencies uses its
 * organisation-currency row.
 */
function pickRows(rows: FunnelRow[], kpi: KpiKey, orgCurrency: string): FunnelRow[] {
  const byKey = new Map<string, FunnelRow[]>()
  for (const r of rows) {
    const key = `${r.group.id}\u0000${r.period}`
    byKey.set(key, [...(byKey.get(key) ?? []), r])
  }
  const out: FunnelRow[] = []
  for (const list of byKey.values()) {
    const own = list.find((r) => r.currency === orgCurrency)
    if (own) out.push(own)
    else if (!MONEY_KPIS.includes(kpi) && list.length === 1) out.push(list[0])
  }
  return out
}

export async function kpiRowsFor(db: Db, audience: Audience, q: Pick<CorrelationRequest, 'kpi' | 'teamId' | 'leadSource' | 'industry'>, window: { from: string; to: string }, groupBy: 'rep' | 'team' | 'org', period: 'window' | 'month' | 'quarter') {
  const [rows, org] = await Promise.all([
    funnelMetrics(db, { scope: funnelScope(audience), groupBy, period, from: window.from, to: window.to, teamId: q.teamId, leadSource: q.leadSource, industry: q.industry, median: q.kpi === 'sales_cycle_days' }),
    orgContext(db),
  ])
  return pickRows(rows, q.kpi, org.currency)
}

async function kpiRows(db: Db, audience: Audience, q: CorrelationRequest, groupBy: 'rep' | 'team' | 'org', period: 'window' | 'month' | 'quarter') {
  return kpiRowsFor(db, audience, q, kpiWindow(q), groupBy, period)
}

async function checkTeam(db: Db, audience: Audience, teamId: string | undefined): Promise<CorrelationError | null> {
  if (audience.scope.kind === 'none') return { error: 'no_scope' }
  if (!teamId) return null
  const [team] = await queryRows<{ id: string }>(db, sql`select id::text as id from teams where id = ${teamId}::uuid`)
  if (!team) return { error: 'unknown_team' }
  if (audience.scope.kind === 'teams' && !audience.scope.teamIds.includes(teamId)) return { error: 'team_out_of_scope' }
  return null
}

export async function correlation(db: Db, audience: Audience, q: CorrelationRequest): Promise<CorrelationOutcome | CorrelationError> {
  const problem = await checkTeam(db, audience, q.teamId)
  if (problem) return problem
  if (q.level === 'rep') return repLevel(db, audience, q)
  if (q.level === 'team') return teamLevel(db, audience, q)
  return periodLevel(db, audience, q)
}

/**
 * level=rep: each rep's mean answer over from..to (confidential and identified surveys only —
 * anonymous responses carry no person) against the rep's KPI over the window shifted by `lag`.
 */
async function repLevel(db: Db, audience: Audience, q: CorrelationRequest): Promise<CorrelationOutcome> {
  const sentiment = await queryRows<{ id: string; label: string; managerId: string | null; x: number; identified: boolean; threshold: number }>(
    db,
    sql`select r.person_id::text as id, p.name as label, p.manager_id::text as "managerId",
               avg(a.value_number)::float8 as x,
               bool_and(sr.privacy = 'identified') as identified,
               max(sr.threshold_scores)::int as threshold
        from responses r
        join survey_rounds sr on sr.id = r.round_id
        join answers a on a.response_id = r.id and ${measureSql(q.sentiment)} and a.value_number is not null
        join people p on p.id = r.person_id
        where r.person_id is not null and sr.privacy <> 'anonymous'
          and r.submitted_on between ${q.from}::date and ${q.to}::date
          and ${scopePeople(audience)} and ${subtree(q.teamId)}
        group by r.person_id, p.name, p.manager_id`,
  )
  const settings = await getSettings(db)
  const threshold = Math.max(settings.thresholdScores, ...sentiment.map((s) => s.threshold))
  if (sentiment.length === 0) return { suppressed: true, reason: 'no_data', level: 'rep', threshold }
  const kpis = await kpiRows(db, audience, q, 'rep', 'window')
  const kpiByRep = new Map(kpis.map((r) => [r.group.id, kpiValue(r, q.kpi)]))
  const bySentiment = new Map(sentiment.map((s) => [s.id, s]))
  const ids = new Set([...sentiment.map((s) => s.id), ...kpiByRep.keys()])
  const units = [...ids].map((id) => ({ id, x: bySentiment.get(id)?.x ?? null, y: kpiByRep.get(id) ?? null }))
  const stats = statistics(units, 0)
  if (stats.n < threshold) return { suppressed: true, reason: 'below_threshold', level: 'rep', threshold }
  const complete = units.filter((u): u is { id: string; x: number; y: number } => u.x !== null && u.y !== null && Number.isFinite(u.y))
  // Names are drawn only for identified answers, and only to the roles told about in the survey's
  // privacy statement: hr/leader/admin, or the manager of every rep on the chart.
  const drawnReps = complete.map((u) => bySentiment.get(u.id)!)
  const identified = drawnReps.every((s) => s.identified)
  const mayName = roleCan(audience.role, 'results:org') || (audience.viewerId !== null && drawnReps.every((s) => s.managerId === audience.viewerId))
  if (identified && mayName) {
    return {
      suppressed: false,
      level: 'rep',
      threshold,
      drawn: 'points',
      points: complete.map((u) => ({ id: u.id, label: bySentiment.get(u.id)!.label, x: u.x, y: u.y })).sort((a, b) => a.label.localeCompare(b.label)),
      ...stats,
    }
  }
  return { suppressed: false, level: 'rep', threshold, drawn: 'bands', bands: toBands(complete, threshold), ...stats }
}

/**
 * level=team: one point per team (with its sub-teams) whose sentiment passes the threshold — every
 * survey mode counts, anonymous included — against the team's KPI over the shifted window. The
 * points are the leaf teams of the selection, so no respondent is counted in two points; the
 * team aggregates go through applyThresholds, whose sibling protection hides a second team when
 * one team's figure could otherwise be recovered by subtraction.
 */
async function teamLevel(db: Db, audience: Audience, q: CorrelationRequest): Promise<CorrelationOutcome> {
  const hierarchy = await loadHierarchy(db)
  const inSelection = (id: string): boolean => {
    if (audience.scope.kind === 'teams' && !audience.scope.teamIds.includes(id)) return false
    if (!q.teamId) return true
    for (let t: string | null = id; t; t = hierarchy.teams.find((x) => x.id === t)?.parentId ?? null) if (t === q.teamId) return true
    return false
  }
  const leaves = hierarchy.teams.filter((t) => inSelection(t.id) && !hierarchy.teams.some((c) => c.parentId === t.id))
  const selection = { from: q.from, to: q.to }
  const values = new Map<string, { x: number; n: number; threshold: number }>()
  let threshold = (await getSettings(db)).thresholdScores
  let belowThreshold = 0
  if (q.sentiment.kind === 'enps') {
    const rows = await enpsAggregates(db, selection, { by: 'all' })
    for (const v of applyThresholds(rows, hierarchy, { threshold: (r) => r.threshold })) {
      const row = rows.find((r) => r.groupId === v.groupId)!
      threshold = Math.max(threshold, row.threshold)
      if (!leaves.some((l) => l.id === v.groupId)) continue
      if (v.suppressed) belowThreshold++
      else values.set(v.groupId, { x: enpsFigures(v).enps, n: v.n, threshold: v.threshold })
    }
  } else {
    const driver = q.sentiment.driver
    const rows = (await driverAggregates(db, selection, { by: 'all' })).filter((r) => r.driver === driver)
    for (const v of applyThresholds(rows, hierarchy, { threshold: (r) => r.threshold })) {
      const row = rows.find((r) => r.groupId === v.groupId)!
      threshold = Math.max(threshold, row.threshold)
      if (!leaves.some((l) => l.id === v.groupId)) continue
      if (v.suppressed) belowThreshold++
      else values.set(v.groupId, { x: Math.round(Number(v.mean) * 100) / 100, n: v.n, threshold: v.threshold })
    }
  }
  if (values.size === 0) return { suppressed: true, reason: belowThreshold > 0 ? 'below_threshold' : 'no_data', level: 'team', threshold }
  const kpis = await kpiRows(db, audience, q, 'team', 'window')
  const kpiByTeam = new Map(kpis.map((r) => [r.group.id, kpiValue(r, q.kpi)]))
  const units = [...values.entries()].map(([id, v]) => ({ id, x: v.x, y: kpiByTeam.get(id) ?? null, n: v.n }))
  const stats = statistics(units, belowThreshold)
  const points = units
    .filter((u): u is typeof u & { y: number } => u.y !== null)
    .map((u) => ({ id: u.id, label: hierarchy.teams.find((t) => t.id === u.id)?.name ?? u.id, x: u.x, y: u.y, n: u.n }))
    .sort((a, b) => a.label.localeCompare(b.label))
  return { suppressed: false, level: 'team', threshold, drawn: 'points', points, ...stats }
}

/**
 * level=period: the group's sentiment in each period (eNPS score or driver mean, periods below the
 * threshold left out) against its KPI `lag` periods later — a time series of one group.
 */
async function periodLevel(db: Db, audience: Audience, q: CorrelationRequest): Promise<CorrelationOutcome> {
  const groupId = q.teamId ?? 'org'
  const settings = await getSettings(db)
  if (groupId === 'org' && audience.scope.kind !== 'org') return { suppressed: true, reason: 'no_data', level: 'period', threshold: settings.thresholdScores }
  const series = await sentimentSeries(db, q.sentiment, { from: q.from, to: q.to }, q.period, groupId)
  const threshold = Math.max(settings.thresholdScores, ...series.map((s) => s.threshold))
  const shown = series.filter((s) => !s.suppressed)
  const belowThreshold = series.length - shown.length
  if (shown.length === 0) return { suppressed: true, reason: belowThreshold > 0 ? 'below_threshold' : 'no_data', level: 'period', threshold }
  const kpis = await kpiRows(db, audience, q, groupId === 'org' ? 'org' : 'team', q.period)
  const kpiByPeriod = new Map(kpis.filter((r) => groupId === 'org' || r.group.id === groupId).map((r) => [r.period, kpiValue(r, q.kpi)]))
  const months = q.lag * monthsPerPeriod[q.period]
  const units = shown.map((s) => {
    const kpiPeriod = shiftMonths(s.period, months)
    return { period: s.period, kpiPeriod, x: s.value as number, y: kpiByPeriod.get(kpiPeriod) ?? null, n: s.n }
  })
  const stats = statistics(units, belowThreshold)
  const points = units.filter((u): u is typeof u & { y: number } => u.y !== null)
  return { suppressed: false, level: 'period', threshold, drawn: 'points', points, ...stats }
}

export type SeriesPoint =
  | { period: string; suppressed: false; value: number; low: number | null; high: number | null; n: number; threshold: number }
  | { period: string; suppressed: true; value: null; low: null; high: null; n: null; threshold: number }

/**
 * One group's sentiment per period with the results engine's threshold decision (including
 * sibling protection against the other teams of the same period).
 */
export async function sentimentSeries(db: Db, sentiment: Sentiment, selection: { from: string; to: string }, unit: 'month' | 'quarter', groupId: string): Promise<SeriesPoint[]> {
  const hierarchy = await loadHierarchy(db)
  const bucketing = { by: 'period' as const, unit }
  // The organisation has no siblings to protect: its series needs no team figures.
  const groups = groupId === 'org' ? 'org' : 'all'
  if (sentiment.kind === 'enps') {
    const rows = await enpsAggregates(db, selection, bucketing, groups)
    return applyThresholds(rows, hierarchy, { threshold: (r) => r.threshold })
      .filter((v) => v.groupId === groupId)
      .map((v) => {
        const threshold = rows.find((r) => r.bucket === v.bucket && r.groupId === groupId)!.threshold
        if (v.suppressed) return { period: v.bucket, suppressed: true, value: null, low: null, high: null, n: null, threshold }
        const f = enpsFigures(v)
        return { period: v.bucket, suppressed: false, value: f.enps, low: f.ciLow, high: f.ciHigh, n: f.n, threshold }
      })
  }
  const driver = sentiment.driver
  const rows = (await driverAggregates(db, selection, bucketing, groups)).filter((r) => r.driver === driver)
  return applyThresholds(rows, hierarchy, { threshold: (r) => r.threshold })
    .filter((v) => v.groupId === groupId)
    .map((v) => {
      const threshold = rows.find((r) => r.bucket === v.bucket && r.groupId === groupId)!.threshold
      if (v.suppressed) return { period: v.bucket, suppressed: true, value: null, low: null, high: null, n: null, threshold }
      return { period: v.bucket, suppressed: false, value: Math.round(Number(v.mean) * 100) / 100, low: null, high: null, n: v.n, threshold }
    })
}

/** The public shape of a result (API, loader data, export): internal fields dropped. */
export function publicCorrelation(outcome: CorrelationOutcome) {
  if (outcome.suppressed) return { suppressed: true as const, reason: outcome.reason }
  const base = { n: outcome.n, excluded: outcome.excluded, pearson: outcome.pearson, spearman: outcome.spearman, threshold: outcome.threshold }
  if (outcome.level === 'rep' && outcome.drawn === 'bands') return { ...base, bands: outcome.bands }
  return { ...base, points: outcome.points }
}
