/**
 * The correlation engine of the performance overlay (docs/architecture.md, "The performance
 * overlay"): sentiment against a funnel KPI per rep, per team or per period, with sentiment read
 * only from the published layer (app/responses/published.server.ts, docs/privacy.md).
 *
 * - The sentiment window is answered by the whole periods it covers (month or quarter of whole
 *   closed rounds); the KPI window is that window moved `lag` periods later.
 * - Team and period points are published cells only: each is a sum of round cells that passed the
 *   threshold, sibling and residual protection when their round closed.
 * - Rep-level sentiment is published for identified surveys only, as named points, to the roles the
 *   survey's privacy statement names. Confidential and anonymous answers never appear per rep, not
 *   even as bands: bands of means over free filters can be differenced back to one person.
 */
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import type { Role } from '#db/schema/people'
import { roleCan } from '~/auth/permissions'
import { type FunnelRow, funnelMetrics, orgContext } from '~/funnel/kpi.server'
import type { FunnelScope } from '~/funnel/scope.server'
import { type CoveredWindow, coveringWindow } from '~/responses/buckets'
import { driverFigures, enpsFigures } from '~/responses/figures'
import { type WindowCell, identifiedRepMeans, periodCells, windowCells } from '~/responses/published.server'
import { type Scope, scopedPersonIds, teamSubtree } from '~/auth/scope.server'
import { getSettings } from '~/settings/settings.server'
import { type LinearFit, correlate, linearFit } from './statistics'
import { type CorrelationRequest, type KpiKey, type Sentiment, kpiWindow, monthsPerPeriod, sentimentKey, shiftMonths } from './overlay'

/** Who is asking: their scope and whether (and for whom) they may see identified answers by name. */
export type Audience = {
  scope: Scope
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
  | { suppressed: true; reason: 'below_threshold' | 'no_data' | 'not_published'; level: CorrelationRequest['level']; threshold: number }
  | ({ suppressed: false; level: 'rep'; threshold: number; drawn: 'points'; points: RepPoint[] } & Statistics)
  | ({ suppressed: false; level: 'team'; threshold: number; drawn: 'points'; points: TeamPoint[] } & Statistics)
  | ({ suppressed: false; level: 'period'; threshold: number; drawn: 'points'; points: PeriodPoint[] } & Statistics)

export type CorrelationError = { error: 'unknown_team' | 'team_out_of_scope' | 'no_scope' }

/** The figure of one KPI in a funnel row (sales_cycle_days is the median, docs/architecture.md#the-performance-overlay). */
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
 * never mixed across currencies (docs/architecture.md#funnel-kpis), so money KPIs read the organisation's currency
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

/**
 * The correlation of one request. The sentiment window is widened to the whole periods it touches
 * (returned as `window`), so that requests a day apart read the same published buckets.
 */
export async function correlation(db: Db, audience: Audience, request: CorrelationRequest): Promise<(CorrelationOutcome & { window: CoveredWindow }) | CorrelationError> {
  const problem = await checkTeam(db, audience, request.teamId)
  if (problem) return problem
  const window = coveringWindow(request.from, request.to, request.period)
  const q = { ...request, from: window.from, to: window.to }
  const threshold = (await getSettings(db)).thresholdScores
  const outcome = q.level === 'rep' ? await repLevel(db, audience, q, threshold) : q.level === 'team' ? await teamLevel(db, audience, q, threshold) : await periodLevel(db, audience, q, threshold)
  return { ...outcome, window }
}

/** The people a scope covers within the selected team (with its sub-teams), by the one scope rule. */
function scopePeople(audience: Audience, teamId: string | undefined) {
  const inTeam = teamId ? sql`p.team_id in ${teamSubtree(teamId)}` : sql`true`
  return sql`(select p.id from people p where p.id in ${scopedPersonIds(audience.scope)} and ${inTeam})`
}

/**
 * level=rep: each rep's mean answer in the identified rounds of the window against the rep's KPI
 * over the window moved by `lag`, drawn as named points to hr/leader/admin or to the manager of
 * every rep drawn. Anyone else, and every confidential or anonymous survey, gets `not_published`.
 */
async function repLevel(db: Db, audience: Audience, q: CorrelationRequest, threshold: number): Promise<CorrelationOutcome> {
  const sentiment = await identifiedRepMeans(db, { measure: sentimentKey(q.sentiment), from: q.from, to: q.to, personIds: scopePeople(audience, q.teamId) })
  if (sentiment.length === 0) return { suppressed: true, reason: 'not_published', level: 'rep', threshold }
  const mayName = roleCan(audience.role, 'results:org') || (audience.viewerId !== null && sentiment.every((s) => s.managerId === audience.viewerId))
  if (!mayName) return { suppressed: true, reason: 'not_published', level: 'rep', threshold }
  const kpis = await kpiRows(db, audience, q, 'rep', 'window')
  const kpiByRep = new Map(kpis.map((r) => [r.group.id, kpiValue(r, q.kpi)]))
  const x = new Map(sentiment.map((s) => [s.id, s.x]))
  // Reps with a KPI but no identified answer count as excluded (missing sentiment), not as points.
  const units = [...new Set([...x.keys(), ...kpiByRep.keys()])].map((id) => ({ id, x: x.get(id) ?? null, y: kpiByRep.get(id) ?? null }))
  const stats = statistics(units, 0)
  if (stats.n < threshold) return { suppressed: true, reason: 'below_threshold', level: 'rep', threshold }
  const label = new Map(sentiment.map((s) => [s.id, s.label]))
  const points = units
    .filter((u): u is { id: string; x: number; y: number } => u.x !== null && u.y !== null && Number.isFinite(u.y))
    .map((u) => ({ id: u.id, label: label.get(u.id)!, x: u.x, y: u.y }))
    .sort((a, b) => a.label.localeCompare(b.label))
  return { suppressed: false, level: 'rep', threshold, drawn: 'points', points, ...stats }
}

/** A window cell's sentiment value: the eNPS score, or the driver's mean answer. */
function valueOf(sentiment: Sentiment, cell: Extract<WindowCell, { shown: true }>): number {
  return sentiment.kind === 'enps' ? enpsFigures(cell).enps : driverFigures(cell).mean
}

/**
 * level=team: one point per leaf team of the selection (so no respondent is in two points) whose
 * published figure over the window exists — every survey mode counts — against the team's KPI
 * over the shifted window.
 */
async function teamLevel(db: Db, audience: Audience, q: CorrelationRequest, threshold: number): Promise<CorrelationOutcome> {
  const teams = await queryRows<{ id: string; name: string; parentId: string | null }>(db, sql`select id::text as id, name, parent_id::text as "parentId" from teams`)
  const inSelection = (id: string): boolean => {
    if (audience.scope.kind === 'teams' && !audience.scope.teamIds.includes(id)) return false
    if (!q.teamId) return true
    const seen = new Set<string>()
    for (let t: string | null = id; t && !seen.has(t); t = teams.find((x) => x.id === t)?.parentId ?? null) {
      if (t === q.teamId) return true
      seen.add(t)
    }
    return false
  }
  const leaves = teams.filter((t) => inSelection(t.id) && !teams.some((c) => c.parentId === t.id))
  if (leaves.length === 0) return { suppressed: true, reason: 'no_data', level: 'team', threshold }
  const { cells } = await windowCells(db, { unit: q.period, from: q.from, to: q.to, measures: [sentimentKey(q.sentiment)], groupKeys: leaves.map((l) => l.id) })
  const shown = cells.filter((c): c is Extract<WindowCell, { shown: true }> => c.shown)
  const belowThreshold = cells.length - shown.length
  if (shown.length === 0) return { suppressed: true, reason: belowThreshold > 0 ? 'below_threshold' : 'no_data', level: 'team', threshold }
  const kpis = await kpiRows(db, audience, q, 'team', 'window')
  const kpiByTeam = new Map(kpis.map((r) => [r.group.id, kpiValue(r, q.kpi)]))
  const units = shown.map((c) => ({ id: c.groupKey, x: valueOf(q.sentiment, c), y: kpiByTeam.get(c.groupKey) ?? null, n: c.n }))
  const stats = statistics(units, belowThreshold)
  const points = units
    .filter((u): u is typeof u & { y: number } => u.y !== null)
    .map((u) => ({ id: u.id, label: teams.find((t) => t.id === u.id)?.name ?? u.id, x: u.x, y: u.y, n: u.n }))
    .sort((a, b) => a.label.localeCompare(b.label))
  return { suppressed: false, level: 'team', threshold, drawn: 'points', points, ...stats }
}

/**
 * level=period: the group's published sentiment in each period (eNPS score or driver mean, periods
 * not shown left out) against its KPI `lag` periods later — a time series of one group.
 */
async function periodLevel(db: Db, audience: Audience, q: CorrelationRequest, threshold: number): Promise<CorrelationOutcome> {
  const groupId = q.teamId ?? 'org'
  if (groupId === 'org' && audience.scope.kind !== 'org') return { suppressed: true, reason: 'no_data', level: 'period', threshold }
  const series = await sentimentSeries(db, q.sentiment, { from: q.from, to: q.to }, q.period, groupId)
  const shown = series.filter((s) => !s.suppressed)
  const belowThreshold = series.length - shown.length
  if (shown.length === 0) return { suppressed: true, reason: belowThreshold > 0 ? 'below_threshold' : 'no_data', level: 'period', threshold }
  const kpis = await kpiRows(db, audience, q, groupId === 'org' ? 'org' : 'team', q.period)
  const kpiByPeriod = new Map(kpis.filter((r) => groupId === 'org' || r.group.id === groupId).map((r) => [r.period, kpiValue(r, q.kpi)]))
  const months = q.lag * monthsPerPeriod[q.period]
  const units = shown.map((s) => {
    const kpiPeriod = shiftMonths(s.period, months)
    return { period: s.period, kpiPeriod, x: s.value as number, y: kpiByPeriod.get(kpiPeriod) ?? null, n: s.n as number }
  })
  const stats = statistics(units, belowThreshold)
  const points = units.filter((u): u is typeof u & { y: number } => u.y !== null)
  return { suppressed: false, level: 'period', threshold, drawn: 'points', points, ...stats }
}

export type SeriesPoint =
  | { period: string; suppressed: false; value: number; low: number | null; high: number | null; n: number; threshold: number }
  | { period: string; suppressed: true; value: null; low: null; high: null; n: null; threshold: number }

/** One group's published sentiment per period (months or quarters of whole closed rounds). */
export async function sentimentSeries(db: Db, sentiment: Sentiment, selection: { from: string; to: string }, unit: 'month' | 'quarter', groupId: string): Promise<SeriesPoint[]> {
  const threshold = (await getSettings(db)).thresholdScores
  const { cells } = await periodCells(db, { unit, from: selection.from, to: selection.to, measures: [sentimentKey(sentiment)], groupKeys: [groupId] })
  return cells.map((c) => {
    if (!c.shown) return { period: c.bucket, suppressed: true, value: null, low: null, high: null, n: null, threshold }
    if (sentiment.kind === 'enps') {
      const f = enpsFigures(c)
      return { period: c.bucket, suppressed: false, value: f.enps, low: f.ciLow, high: f.ciHigh, n: f.n, threshold }
    }
    return { period: c.bucket, suppressed: false, value: driverFigures(c).mean, low: null, high: null, n: c.n, threshold }
  })
}

/** The public shape of a result (API, loader data, export): internal fields dropped. */
export function publicCorrelation(outcome: CorrelationOutcome) {
  if (outcome.suppressed) return { suppressed: true as const, reason: outcome.reason }
  const base = { n: outcome.n, excluded: outcome.excluded, pearson: outcome.pearson, spearman: outcome.spearman, threshold: outcome.threshold }
  return { ...base, points: outcome.points }
}
