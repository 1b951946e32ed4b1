/**
 * The scheduled reports: the weekly digest for managers and the monthly leadership report for hr
 * and leaders. Every survey figure comes from the results engine's aggregates through
 * applyThresholds (the same decision as the screens, sibling protection included); every funnel
 * figure from the KPI engine; associations from the overlay's correlation engine.
 *
 * Actions and signals are read from their tables here, through small scoped queries, so the
 * reports do not depend on how those screens are built.
 */
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { type ActionStatus, type SignalKind } from '#db/schema/loop'
import type { Locale } from '#db/schema/settings'
import { listBenchmarks } from '~/funnel/benchmarks.server'
import { type FunnelRow, funnelMetrics } from '~/funnel/kpi.server'
import type { FunnelScope } from '~/funnel/scope.server'
import { listMyReports } from '~/one-on-ones/one-on-ones.server'
import { type EnpsFigures, driverFigures, enpsFigures } from '~/responses/figures'
import { driverMetrics, enpsMetrics } from '~/responses/metrics-api.server'
import { latestRounds, roundCells, roundGroups } from '~/responses/published.server'
import { viewerScope } from '~/auth/scope.server'
import { correlation } from './correlation.server'
import { KPI_KEYS, type KpiKey, shiftMonths } from './overlay'

export type ReportKind = 'weekly_digest' | 'leadership_report'

/** A KPI change is notable when it moved by at least this share of its previous value. */
export const NOTABLE_CHANGE = 0.1

/** The KPIs the digest compares month to date against the same days of the previous month. */
export const DIGEST_KPIS = ['leadsCreated', 'opportunitiesCreated', 'won', 'wonAmount', 'winRate'] as const
export type DigestKpi = (typeof DIGEST_KPIS)[number]

/** How many associations the leadership report lists (the strongest by |r|). */
export const TOP_ASSOCIATIONS = 3

const isoDay = (d: Date) => d.toISOString().slice(0, 10)
const addDays = (date: string, days: number) => isoDay(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000))
const lastDayOfMonth = (monthStart: string) => addDays(shiftMonths(monthStart, 1), -1)

// ---------------------------------------------------------------------------------------------
// Periods and recipients
// ---------------------------------------------------------------------------------------------

/**
 * The period a report run covers, in the organisation's time zone: the digest reports on the week
 * that ended (its Monday), the leadership report on the month that ended (its 1st).
 */
export async function reportPeriod(db: Db, kind: ReportKind, now: Date): Promise<string> {
  const unit = kind === 'weekly_digest' ? 'week' : 'month'
  const step = kind === 'weekly_digest' ? sql`interval '7 days'` : sql`interval '1 month'`
  const [row] = await queryRows<{ period: string }>(
    db,
    sql`select to_char((date_trunc(${unit}, (${now.toISOString()}::timestamptz at time zone s.timezone)) - ${step})::date, 'YYYY-MM-DD') as period
        from settings s where s.id = 1`,
  )
  return row.period
}

export type Recipient = { id: string; name: string; email: string; locale: Locale; timezone: string }

/**
 * Who receives a report. The digest: active managers (a person with an active direct report or
 * managing a team) who did not opt out. The leadership report: active hr and leaders.
 */
export async function reportRecipients(db: Db, kind: ReportKind): Promise<Recipient[]> {
  const who =
    kind === 'weekly_digest'
      ? sql`p.weekly_digest and (exists (select 1 from people r where r.manager_id = p.id and r.active) or exists (select 1 from teams t where t.manager_id = p.id))`
      : sql`p.role in ('hr', 'leader')`
  return queryRows<Recipient>(
    db,
    sql`select p.id::text as id, p.name, p.email, coalesce(p.locale, s.default_locale) as locale, coalesce(p.timezone, s.timezone) as timezone
        from people p cross join settings s
        where s.id = 1 and p.active and ${who}
        order by p.email`,
  )
}

export async function reportRecipient(db: Db, kind: ReportKind, personId: string): Promise<Recipient | null> {
  return (await reportRecipients(db, kind)).find((r) => r.id === personId) ?? null
}

/**
 * Claims the delivery of one report to one person for one period. INSERT … ON CONFLICT DO NOTHING
 * RETURNING: of any number of workers or runs, exactly one gets the row and sends.
 */
export async function claimDelivery(db: Db, input: { kind: ReportKind; period: string; personId: string }): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into report_deliveries (kind, period, person_id) values (${input.kind}, ${input.period}::date, ${input.personId}::uuid)
        on conflict (kind, period, person_id) do nothing returning id`,
  )
  return rows.length === 1
}

/** Gives a claim back when sending failed, so the retried job can claim and send again. */
export async function releaseDelivery(db: Db, input: { kind: ReportKind; period: string; personId: string }): Promise<void> {
  await queryRows(db, sql`delete from report_deliveries where kind = ${input.kind} and period = ${input.period}::date and person_id = ${input.personId}::uuid returning id`)
}

// ---------------------------------------------------------------------------------------------
// Opt-out
// ---------------------------------------------------------------------------------------------

export async function getWeeklyDigest(db: Db, personId: string): Promise<boolean> {
  const [row] = await queryRows<{ on: boolean }>(db, sql`select weekly_digest as "on" from people where id = ${personId}::uuid`)
  return Boolean(row?.on)
}

/** Whether the digest applies to a person: they manage a team or have an active direct report. */
export async function managesPeople(db: Db, personId: string): Promise<boolean> {
  const [row] = await queryRows<{ yes: boolean }>(
    db,
    sql`select (exists (select 1 from people r where r.manager_id = ${personId}::uuid and r.active) or exists (select 1 from teams t where t.manager_id = ${personId}::uuid)) as yes`,
  )
  return Boolean(row?.yes)
}

export async function setWeeklyDigest(db: Db, personId: string, on: boolean): Promise<void> {
  await queryRows(db, sql`update people set weekly_digest = ${on}, updated_at = now() where id = ${personId}::uuid returning id`)
}

// ---------------------------------------------------------------------------------------------
// Actions and signals (read from their tables, scoped)
// ---------------------------------------------------------------------------------------------

export type OpenAction = { title: string; teamName: string | null; ownerName: string | null; dueOn: string | null; status: ActionStatus }
export type RecentSignal = { teamName: string; kind: SignalKind; periodUnit: string; period: string; createdAt: string }

/** Open actions (status ≠ done) of the given teams, or of the whole organisation when teamIds is 'all'. */
export async function openActions(db: Db, teamIds: string[] | 'all'): Promise<OpenAction[]> {
  if (teamIds !== 'all' && teamIds.length === 0) return []
  const scope = teamIds === 'all' ? sql`true` : sql`a.team_id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)})`
  return queryRows<OpenAction>(
    db,
    sql`select a.title, t.name as "teamName", o.name as "ownerName", to_char(a.due_on, 'YYYY-MM-DD') as "dueOn", a.status
        from actions a left join teams t on t.id = a.team_id left join people o on o.id = a.owner_id
        where a.status <> 'done' and ${scope}
        order by a.due_on nulls last, a.created_at, a.title
        limit 50`,
  )
}

/** Open signals of the given teams (or all), raised since `since` when given. */
export async function openSignals(db: Db, teamIds: string[] | 'all', since?: Date): Promise<RecentSignal[]> {
  if (teamIds !== 'all' && teamIds.length === 0) return []
  const scope = teamIds === 'all' ? sql`true` : sql`s.team_id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)})`
  const recent = since ? sql`s.created_at >= ${since.toISOString()}::timestamptz` : sql`true`
  return queryRows<RecentSignal>(
    db,
    sql`select t.name as "teamName", s.kind, s.period_unit as "periodUnit", to_char(s.period, 'YYYY-MM-DD') as period, s.created_at::text as "createdAt"
        from signals s join teams t on t.id = s.team_id
        where s.status = 'open' and ${scope} and ${recent}
        order by s.created_at desc, t.name
        limit 50`,
  )
}

// ---------------------------------------------------------------------------------------------
// The weekly digest
// ---------------------------------------------------------------------------------------------

export type DriverLine = { driver: string; mean: number; favourableShare: number }
export type TeamResult =
  | { suppressed: false; surveyTitle: string; roundOn: string; respondents: number; enps: EnpsFigures | null; drivers: DriverLine[] }
  | { suppressed: true; surveyTitle: string; roundOn: string }
export type KpiChange = { kpi: DigestKpi; currency: string | null; previous: number; current: number; change: number }
export type DigestTeam = { id: string; name: string; result: TeamResult | null; kpiChanges: KpiChange[] }

export type DigestData = {
  period: string
  currentWindow: { from: string; to: string }
  previousWindow: { from: string; to: string }
  teams: DigestTeam[]
  overdueOneOnOnes: { name: string; lastHeldAt: string | null }[]
  actions: OpenAction[]
  signals: RecentSignal[]
}

/**
 * The windows of the digest's KPI comparison: the month to date through the last day of the
 * reported week, against the same days of the previous month (a whole month when the week ended
 * on a month's last day). Counts over equal spans compare fairly.
 */
export function kpiWindows(period: string): { current: { from: string; to: string }; previous: { from: string; to: string } } {
  const asOf = addDays(period, 6)
  const monthStart = `${asOf.slice(0, 7)}-01`
  const previousStart = shiftMonths(monthStart, -1)
  const wholeMonth = asOf === lastDayOfMonth(monthStart)
  const span = Number(asOf.slice(8, 10)) - 1
  const previousEnd = wholeMonth ? lastDayOfMonth(previousStart) : [addDays(previousStart, span), lastDayOfMonth(previousStart)].sort()[0]
  return { current: { from: monthStart, to: asOf }, previous: { from: previousStart, to: previousEnd } }
}

/** Relative change, or null when there is no base to compare to. */
export function relativeChange(previous: number | null, current: number | null): number | null {
  if (previous === null || current === null || previous === 0) return null
  return (current - previous) / Math.abs(previous)
}

function kpiChanges(previous: FunnelRow[], current: FunnelRow[]): Map<string, KpiChange[]> {
  const byTeam = new Map<string, KpiChange[]>()
  const key = (r: FunnelRow) => `${r.group.id}\u0000${r.currency}`
  const before = new Map(previous.map((r) => [key(r), r]))
  for (const row of current) {
    const old = before.get(key(row))
    if (!old) continue
    for (const kpi of DIGEST_KPIS) {
      const change = relativeChange(old[kpi], row[kpi])
      if (change === null || Math.abs(change) < NOTABLE_CHANGE) continue
      // Lead and deal counts repeat on every currency row of a team: list them once.
      const currency = kpi === 'wonAmount' ? row.currency : null
      const list = byTeam.get(row.group.id) ?? []
      if (list.some((c) => c.kpi === kpi && c.currency === currency)) continue
      list.push({ kpi, currency, previous: old[kpi] as number, current: row[kpi] as number, change: Math.round(change * 1000) / 1000 })
      byTeam.set(row.group.id, list)
    }
  }
  return byTeam
}

/**
 * The latest closed round with responses from each team (its sub-teams included), with the team's
 * figures of that round as the results screen shows them, or the "not enough responses" notice.
 */
async function latestTeamResults(db: Db, teamIds: string[]): Promise<Map<string, TeamResult>> {
  const out = new Map<string, TeamResult>()
  const latest = await latestRounds(db, teamIds)
  if (latest.length === 0) return out
  const roundIds = [...new Set(latest.map((l) => l.roundId))]
  const [groups, cells] = await Promise.all([roundGroups(db, roundIds), roundCells(db, roundIds, { groupKeys: teamIds })])
  for (const l of latest) {
    const who = groups.find((g) => g.roundId === l.roundId && g.groupKey === l.groupKey)
    if (!who || !who.respondents.shown) {
      out.set(l.groupKey, { suppressed: true, surveyTitle: l.surveyTitle, roundOn: l.opensOn })
      continue
    }
    const mine = cells.filter((c) => c.bucket === l.roundId && c.groupKey === l.groupKey)
    const score = mine.find((c) => c.measure === 'enps')
    out.set(l.groupKey, {
      suppressed: false,
      surveyTitle: l.surveyTitle,
      roundOn: l.opensOn,
      respondents: who.respondents.n,
      enps: score && score.shown ? enpsFigures(score) : null,
      drivers: mine
        .flatMap((d) => (d.shown && d.measure.startsWith('driver:') ? [{ driver: d.measure.slice('driver:'.length), ...driverFigures(d) }] : []))
        .map((d) => ({ driver: d.driver, mean: d.mean, favourableShare: d.favourableShare }))
        .sort((a, b) => a.driver.localeCompare(b.driver)),
    })
  }
  return out
}

/**
 * Everything a manager's digest holds, for the teams they manage and their sub-teams only (their
 * role does not widen it: an hr person who manages a team gets that team's digest), plus their own
 * direct reports' overdue 1:1s.
 */
export async function digestFor(db: Db, managerId: string, period: string, now: Date): Promise<DigestData> {
  // The digest is about the teams a person manages, so scope as a manager whatever the role.
  const scope = await viewerScope(db, { id: managerId, role: 'employee' })
  const teamIds = scope.kind === 'teams' ? scope.teamIds : []
  const funnelScope: FunnelScope = { viewer: { id: managerId, role: 'employee' } }
  const windows = kpiWindows(period)
  const [teamRows, results, before, after, reports, actions, signals] = await Promise.all([
    teamIds.length
      ? queryRows<{ id: string; name: string }>(
          db,
          sql`select id::text as id, name from teams where id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)}) order by name`,
        )
      : Promise.resolve([]),
    latestTeamResults(db, teamIds),
    teamIds.length ? funnelMetrics(db, { scope: funnelScope, groupBy: 'team', period: 'window', ...windows.previous }) : Promise.resolve([]),
    teamIds.length ? funnelMetrics(db, { scope: funnelScope, groupBy: 'team', period: 'window', ...windows.current }) : Promise.resolve([]),
    listMyReports(db, managerId),
    openActions(db, teamIds),
    openSignals(db, teamIds, new Date(now.getTime() - 7 * 86_400_000)),
  ])
  const changes = kpiChanges(before, after)
  return {
    period,
    currentWindow: windows.current,
    previousWindow: windows.previous,
    teams: teamRows.map((t) => ({ id: t.id, name: t.name, result: results.get(t.id) ?? null, kpiChanges: changes.get(t.id) ?? [] })),
    overdueOneOnOnes: reports.filter((r) => r.overdue).map((r) => ({ name: r.name, lastHeldAt: r.lastHeldAt })),
    actions,
    signals,
  }
}

// ---------------------------------------------------------------------------------------------
// The monthly leadership report
// ---------------------------------------------------------------------------------------------

/** figures null: no answers that month (suppressed false) or too few respondents (suppressed true). */
export type TrendPoint = { period: string; figures: EnpsFigures | null; suppressed: boolean }
export type DriverTrend = { driver: string; points: { period: string; mean: number | null }[] }
export type FunnelLine = {
  currency: string
  leadsCreated: number
  opportunitiesCreated: number
  won: number
  wonAmount: number
  target: number | null
  quotaAttainment: number | null
  winRate: number | null
  leadConversionRate: number | null
  salesCycleDaysMedian: number | null
}
export type BenchmarkLine = { metric: 'winRate' | 'salesCycleDaysMedian' | 'leadConversionRate'; value: number; source: string; year: number | null }
export type Association = { kpi: KpiKey; r: number; p: number | null; n: number }

export type LeadershipData = {
  period: string
  window: { from: string; to: string }
  months: string[]
  enpsTrend: TrendPoint[]
  driverTrends: DriverTrend[]
  teams: { name: string; figures: EnpsFigures }[]
  hiddenTeams: number
  funnel: FunnelLine[]
  benchmarks: BenchmarkLine[]
  associations: Association[]
  signals: RecentSignal[]
  actions: OpenAction[]
}

/**
 * The leadership report of one month: the organisation's eNPS (with its 95% interval) and driver
 * means over the six months ending with it, each team's eNPS for the month when it passes the
 * threshold (hidden teams are only counted), the month's funnel KPIs beside their target and the
 * published benchmarks, the strongest team-level eNPS–KPI associations over the six months, and
 * the open signals and actions.
 */
export async function leadershipReport(db: Db, period: string): Promise<LeadershipData> {
  const from = shiftMonths(period, -5)
  const to = lastDayOfMonth(period)
  const months = Array.from({ length: 6 }, (_, i) => shiftMonths(from, i))
  const monthQuery = { groupBy: 'org' as const, period: 'month' as const, from, to }
  const [enps, drivers, teamEnps, funnel, benchmarks, associations, signals, actions] = await Promise.all([
    enpsMetrics(db, monthQuery),
    driverMetrics(db, monthQuery),
    enpsMetrics(db, { groupBy: 'team', period: 'month', from: period, to }),
    funnelMetrics(db, { scope: { all: true }, groupBy: 'org', period: 'month', from: period, to }),
    listBenchmarks(db),
    strongestAssociations(db, { from, to }),
    openSignals(db, 'all'),
    openActions(db, 'all'),
  ])
  const enpsRows = enps.status === 'ok' ? enps.rows : []
  const driverRows = drivers.status === 'ok' ? drivers.rows : []
  const teamRows = teamEnps.status === 'ok' ? teamEnps.rows : []
  const driverKeys = [...new Set(driverRows.map((r) => r.driver))].sort()
  return {
    period,
    window: { from, to },
    months,
    enpsTrend: months.map((m) => {
      const row = enpsRows.find((r) => r.period === m)
      if (!row || 'suppressed' in row) return { period: m, figures: null, suppressed: Boolean(row) }
      return { period: m, suppressed: false, figures: { n: row.n, promoters: row.promoters, passives: row.passives, detractors: row.detractors, enps: row.enps, ciLow: row.ciLow, ciHigh: row.ciHigh } }
    }),
    driverTrends: driverKeys.map((driver) => ({
      driver,
      points: months.map((m) => {
        const row = driverRows.find((r) => r.period === m && r.driver === driver)
        return { period: m, mean: row && !('suppressed' in row) ? row.mean : null }
      }),
    })),
    teams: teamRows
      .flatMap((r) => ('suppressed' in r ? [] : [{ name: r.group.name, figures: { n: r.n, promoters: r.promoters, passives: r.passives, detractors: r.detractors, enps: r.enps, ciLow: r.ciLow, ciHigh: r.ciHigh } }]))
      .sort((a, b) => a.name.localeCompare(b.name)),
    hiddenTeams: teamRows.filter((r) => 'suppressed' in r).length,
    funnel: funnel.map((r) => ({
      currency: r.currency,
      leadsCreated: r.leadsCreated,
      opportunitiesCreated: r.opportunitiesCreated,
      won: r.won,
      wonAmount: r.wonAmount,
      target: r.target,
      quotaAttainment: r.quotaAttainment,
      winRate: r.winRate,
      leadConversionRate: r.leadConversionRate,
      salesCycleDaysMedian: r.salesCycleDaysMedian,
    })),
    benchmarks: benchmarks
      .filter((b): b is typeof b & { metric: BenchmarkLine['metric'] } => ['winRate', 'salesCycleDaysMedian', 'leadConversionRate'].includes(b.metric))
      .map((b) => ({ metric: b.metric, value: b.value, source: b.source, year: b.year })),
    associations,
    signals,
    actions,
  }
}

/**
 * The strongest associations between eNPS and each overlay KPI across teams (one point per leaf
 * team that passes the threshold, over the window, no lag), by |Pearson r|. Correlations the
 * engine suppresses, or with fewer than three teams, are left out.
 */
export async function strongestAssociations(db: Db, window: { from: string; to: string }): Promise<Association[]> {
  const audience = { scope: { kind: 'org' as const }, viewerId: null, role: 'hr' as const }
  const found: Association[] = []
  for (const kpi of KPI_KEYS) {
    const outcome = await correlation(db, audience, { sentiment: { kind: 'enps' }, kpi, level: 'team', period: 'month', lag: 0, from: window.from, to: window.to })
    if ('error' in outcome || outcome.suppressed || outcome.pearson.r === null || outcome.n < 3) continue
    found.push({ kpi, r: Math.round(outcome.pearson.r * 100) / 100, p: outcome.pearson.p === null ? null : Math.round(outcome.pearson.p * 1000) / 1000, n: outcome.n })
  }
  return found.sort((a, b) => Math.abs(b.r) - Math.abs(a.r) || a.kpi.localeCompare(b.kpi)).slice(0, TOP_ASSOCIATIONS)
}
