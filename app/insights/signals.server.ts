/**
 * Early-warning signals (issue 7, part 2): detection, listing, dismissing and the notification
 * claim. Detection reads only figures the screens would show:
 *
 * - eNPS per team and period comes from the results engine (each person's latest answer in the
 *   period, thresholds frozen into the rounds) through `applyThresholds`, so a team-period below
 *   the threshold — or hidden by sibling protection — has no value and can raise nothing;
 * - KPIs per team and period come from the funnel engine (`kpiRowsFor`, money in the
 *   organisation's currency);
 * - response rates per team and round are those the results screen shows: only where the team's
 *   respondents in the round pass the threshold;
 * - overdue 1:1s use the cadence rule of the 1:1 health screen (no held meeting within the pair's
 *   cadence), over the pairs that exist.
 *
 * A signal is keyed by (team, kind, unit, period), so running detection any number of times, on
 * any number of workers, raises it once (INSERT … ON CONFLICT DO NOTHING).
 */
import { createHash } from 'node:crypto'
import { type SQL, sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { signals } from '#db/schema'
import type { Role } from '#db/schema/people'
import { teamInScope } from '~/auth/scope.server'
import type { AppContext } from '~/context'
import { orgContext } from '~/funnel/kpi.server'
import { cadenceInterval } from '~/one-on-ones/one-on-ones.server'
import { enpsFigures } from '~/responses/figures'
import { periodCells, roundGroups } from '~/responses/published.server'
import { getSettings } from '~/settings/settings.server'
import { kpiRowsFor, kpiValue } from './correlation.server'
import { monthsPerPeriod, periodStart, shiftMonths } from './overlay'
import {
  type OverdueDetails,
  type ResponseRateDetails,
  SIGNAL_KPIS,
  SIGNAL_KPI_MIN_BASE,
  type SignalDetails,
  type SignalKind,
  type SignalKpi,
  type SignalStatus,
  type SignalUnit,
  type SignalView,
  overdueBuildUp,
  sentimentKpiDrop,
} from './signals'

export type DetectOptions = {
  unit?: SignalUnit
  now?: Date
  /** How many periods, ending with the current one, may raise a signal (the previous one is needed for a KPI that falls a period later). */
  lookback?: number
}

type NewSignal = { teamId: string; kind: SignalKind; periodUnit: SignalUnit; period: string; details: SignalDetails }

function localDay(now: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** Runs the three detections and stores what is new; returns the signals created by this run. */
export async function detectSignals(db: Db, options: DetectOptions = {}) {
  const unit = options.unit ?? 'quarter'
  const now = options.now ?? new Date()
  const lookback = Math.max(1, options.lookback ?? 2)
  const settings = await getSettings(db)
  const today = localDay(now, settings.timezone)
  const step = monthsPerPeriod[unit]
  const current = periodStart(today, unit)
  // Every period start from the one before the first evaluated period up to the current one.
  const periods = Array.from({ length: lookback + 1 }, (_, i) => shiftMonths(current, -(lookback - i) * step))
  const evaluated = periods.slice(1)
  const window = { from: periods[0], to: today }

  const found: NewSignal[] = [
    ...(await sentimentAndKpi(db, { unit, periods, evaluated, window, current, enpsDrop: settings.signalEnpsDrop, kpiDropPct: settings.signalKpiDropPct })),
    ...(await responseRateCollapse(db, { unit, now, window, drop: settings.signalResponseRateDrop })),
    ...(await overdueOneOnOnes(db, { unit, now, current })),
  ]
  if (found.length === 0) return []
  return db.insert(signals).values(found).onConflictDoNothing().returning({ id: signals.id, teamId: signals.teamId, kind: signals.kind, period: signals.period })
}

async function sentimentAndKpi(
  db: Db,
  p: { unit: SignalUnit; periods: string[]; evaluated: string[]; window: { from: string; to: string }; current: string; enpsDrop: number; kpiDropPct: number },
): Promise<NewSignal[]> {
  // Published quarter (or month) buckets only: a period with any round-group below the threshold raises nothing.
  const { cells } = await periodCells(db, { unit: p.unit, from: p.window.from, to: p.window.to, measures: ['enps'] })
  const enps = new Map<string, Map<string, number>>()
  const existing = new Set((await queryRows<{ id: string }>(db, sql`select id::text as id from teams`)).map((t) => t.id))
  for (const v of cells) {
    if (!v.shown || !existing.has(v.groupKey)) continue
    const byPeriod = enps.get(v.groupKey) ?? new Map<string, number>()
    byPeriod.set(v.bucket, enpsFigures(v).enps)
    enps.set(v.groupKey, byPeriod)
  }
  if (enps.size === 0) return []
  const org = await orgContext(db)
  const audience = { scope: { kind: 'org' as const }, viewerId: null, role: 'admin' as Role }
  const kpis = new Map<string, Map<SignalKpi, Map<string, number>>>()
  for (const kpi of SIGNAL_KPIS) {
    for (const row of await kpiRowsFor(db, audience, { kpi }, p.window, 'team', p.unit)) {
      const value = kpiValue(row, kpi)
      if (value === null) continue
      if (kpi === 'lead_conversion_rate' && row.period === p.current) continue
      const base = kpi === 'win_rate' ? (org.convention === 'created' ? row.opportunitiesCreated : row.won + row.lost) : kpi === 'avg_deal_size' ? row.won : row.leadsCreated
      if (base < SIGNAL_KPI_MIN_BASE[kpi]) continue
      const byKpi = kpis.get(row.group.id) ?? new Map<SignalKpi, Map<string, number>>()
      const byPeriod = byKpi.get(kpi) ?? new Map<string, number>()
      byPeriod.set(row.period, value)
      byKpi.set(kpi, byPeriod)
      kpis.set(row.group.id, byKpi)
    }
  }
  const out: NewSignal[] = []
  for (const [teamId, values] of enps) {
    for (const period of p.evaluated) {
      const details = sentimentKpiDrop({ periods: p.periods, period, enps: values, kpis: kpis.get(teamId) ?? new Map(), enpsDrop: p.enpsDrop, kpiDropPct: p.kpiDropPct, currency: org.currency })
      if (details) out.push({ teamId, kind: 'sentiment_and_kpi', periodUnit: p.unit, period, details })
    }
  }
  return out
}

/**
 * The response rate of a team fell by at least `drop` points between two consecutive rounds of a
 * survey (closed rounds with invitations), both rates being ones the results screen shows.
 */
async function responseRateCollapse(db: Db, p: { unit: SignalUnit; now: Date; window: { from: string; to: string }; drop: number }): Promise<NewSignal[]> {
  const { tz } = await orgContext(db)
  const pairs = await queryRows<{ id: string; prevId: string; surveyId: string; title: string; opensOn: string; prevOpensOn: string }>(
    db,
    sql`with rounds as (
          select sr.id, sr.survey_id, s.title, to_char((sr.opens_at at time zone ${tz}::text)::date, 'YYYY-MM-DD') as opens_on,
                 lag(sr.id) over w as prev_id,
                 lag(to_char((sr.opens_at at time zone ${tz}::text)::date, 'YYYY-MM-DD')) over w as prev_opens_on
            from survey_rounds sr join surveys s on s.id = sr.survey_id
           where not sr.imported and sr.closes_at <= ${p.now.toISOString()}::timestamptz
             and exists (select 1 from invitations i where i.round_id = sr.id)
          window w as (partition by sr.survey_id order by sr.opens_at, sr.id)
        )
        select id::text as id, prev_id::text as "prevId", survey_id::text as "surveyId", title, opens_on as "opensOn", prev_opens_on as "prevOpensOn"
          from rounds where prev_id is not null and opens_on between ${p.window.from} and ${p.window.to}`,
  )
  if (pairs.length === 0) return []
  const roundIds = [...new Set(pairs.flatMap((r) => [r.id, r.prevId]))]
  // Rates of published round-groups only (frozen at close, respondents shown).
  const groups = await roundGroups(db, roundIds)
  const rate = (roundId: string, teamId: string): number | null => {
    const g = groups.find((x) => x.roundId === roundId && x.groupKey === teamId)
    if (!g || !g.respondents.shown || g.invited === 0) return null
    return Math.round((g.respondents.n / g.invited) * 1000) / 1000
  }
  // Teams that still exist: a deleted team keeps its history, but a signal needs a team to be about.
  const existing = new Set((await queryRows<{ id: string }>(db, sql`select id::text as id from teams`)).map((t) => t.id))
  const teams = [...new Set(groups.filter((g) => g.kind === 'team' && existing.has(g.groupKey)).map((g) => g.groupKey))].map((id) => ({ id }))
  const best = new Map<string, NewSignal & { details: ResponseRateDetails }>()
  for (const pair of pairs) {
    for (const team of teams) {
      const before = rate(pair.prevId, team.id)
      const after = rate(pair.id, team.id)
      if (before === null || after === null) continue
      const drop = Math.round((before - after) * 1000) / 10
      if (drop < p.drop) continue
      const period = periodStart(pair.opensOn, p.unit)
      const key = `${team.id}\u0000${period}`
      if ((best.get(key)?.details.drop ?? -Infinity) >= drop) continue
      best.set(key, {
        teamId: team.id,
        kind: 'response_rate',
        periodUnit: p.unit,
        period,
        details: { surveyId: pair.surveyId, surveyTitle: pair.title, roundBefore: pair.prevId, roundAfter: pair.id, opensBefore: pair.prevOpensOn, opensAfter: pair.opensOn, rateBefore: before, rateAfter: after, drop },
      })
    }
  }
  return [...best.values()]
}

/**
 * Overdue 1:1s per team, by the 1:1 health rule (no held meeting within the pair's cadence), over
 * the existing pairs of active reports with their current manager: a team that does not run its
 * 1:1s in Pulseboard has no pairs and raises nothing. See OVERDUE_MIN for the build-up rule.
 */
async function overdueOneOnOnes(db: Db, p: { unit: SignalUnit; now: Date; current: string }): Promise<NewSignal[]> {
  const rows = await queryRows<{ teamId: string; reports: number; overdue: number }>(
    db,
    sql`with status as (
          select r.team_id,
                 coalesce((select max(o.held_at) from one_on_ones o where o.pair_id = pr.id), '-infinity'::timestamptz)
                   < ${p.now.toISOString()}::timestamptz - ${cadenceInterval} as overdue
            from people r
            join one_on_one_pairs pr on pr.report_id = r.id and pr.manager_id = r.manager_id
           where r.active and r.team_id is not null
        )
        select team_id::text as "teamId", count(*)::int as reports, count(*) filter (where overdue)::int as overdue
          from status group by team_id`,
  )
  return rows
    .filter((r) => overdueBuildUp(r.overdue, r.reports))
    .map((r) => ({ teamId: r.teamId, kind: 'overdue_one_on_ones' as const, periodUnit: p.unit, period: p.current, details: { overdue: r.overdue, reports: r.reports } satisfies OverdueDetails }))
}

/** Who is looking: a person (scope by role and managed teams) or an API key (its role only). */
export type SignalViewer = { id: string | null; role: Role }

/** The signals a viewer may see, as SQL over alias s: all for signals:org, else the teams they manage with their sub-teams. */
function scopeSql(viewer: SignalViewer): SQL {
  return teamInScope(sql`s.team_id`, { viewer }, 'signals:org')
}

type SignalRow = {
  id: string
  teamId: string
  teamName: string
  kind: SignalKind
  periodUnit: 'week' | 'month' | 'quarter'
  period: string
  status: SignalStatus
  details: SignalDetails | string
  dismissedReason: string | null
  dismissedAt: string | Date | null
  dismissedBy: string | null
  createdAt: string | Date
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString())

function toView(r: SignalRow): SignalView {
  return {
    id: r.id,
    team: { id: r.teamId, name: r.teamName },
    kind: r.kind,
    periodUnit: r.periodUnit,
    period: r.period,
    status: r.status,
    details: typeof r.details === 'string' ? (JSON.parse(r.details) as SignalDetails) : r.details,
    dismissedReason: r.dismissedReason,
    dismissedAt: iso(r.dismissedAt),
    dismissedBy: r.dismissedBy,
    createdAt: iso(r.createdAt)!,
  }
}

/** The signals in the viewer's scope, newest period first; the scope is part of the WHERE clause. */
export async function listSignals(db: Db, viewer: SignalViewer, filter: { status?: SignalStatus | 'all'; teamId?: string; ids?: string[]; limit?: number } = {}): Promise<SignalView[]> {
  const conditions: SQL[] = [scopeSql(viewer)]
  if (filter.status && filter.status !== 'all') conditions.push(sql`s.status = ${filter.status}`)
  if (filter.teamId) conditions.push(sql`s.team_id = ${filter.teamId}::uuid`)
  if (filter.ids) conditions.push(filter.ids.length ? sql`s.id in (${sql.join(filter.ids.map((id) => sql`${id}::uuid`), sql`, `)})` : sql`false`)
  const rows = await queryRows<SignalRow>(
    db,
    sql`select s.id::text as id, s.team_id::text as "teamId", t.name as "teamName", s.kind, s.period_unit as "periodUnit",
               to_char(s.period, 'YYYY-MM-DD') as period, s.status, s.details, s.dismissed_reason as "dismissedReason",
               s.dismissed_at as "dismissedAt", d.name as "dismissedBy", s.created_at as "createdAt"
          from signals s join teams t on t.id = s.team_id left join people d on d.id = s.dismissed_by_id
         where ${sql.join(conditions, sql` and `)}
         order by s.period desc, t.name, s.kind
         ${filter.limit ? sql`limit ${filter.limit}` : sql``}`,
  )
  return rows.map(toView)
}

/** Whether the team is one the viewer may see signals for (a filter on another team is refused, not widened). */
export async function teamInSignalScope(db: Db, viewer: SignalViewer, teamId: string): Promise<boolean> {
  const rows = await queryRows<{ ok: boolean }>(db, sql`select true as ok from (select ${teamId}::uuid as team_id) s where ${scopeSql(viewer)} and exists (select 1 from teams where id = ${teamId}::uuid)`)
  return rows.length > 0
}

export type DismissOutcome = 'dismissed' | 'not-found' | 'not-open'

/** Sets an open signal in the viewer's scope aside with a reason; anything else changes nothing. */
export async function dismissSignal(db: Db, viewer: { id: string; role: Role }, input: { signalId: string; reason: string }): Promise<DismissOutcome> {
  const reason = input.reason.trim()
  if (!reason) throw new RangeError('a dismissal needs a reason')
  const updated = await queryRows<{ id: string }>(
    db,
    sql`update signals s set status = 'dismissed', dismissed_reason = ${reason}, dismissed_by_id = ${viewer.id}::uuid, dismissed_at = now()
         where s.id = ${input.signalId}::uuid and s.status = 'open' and ${scopeSql(viewer)}
     returning s.id::text as id`,
  )
  if (updated.length) return 'dismissed'
  const [existing] = await listSignals(db, viewer, { ids: [input.signalId] })
  return existing ? 'not-open' : 'not-found'
}

/**
 * Claims the open signals nobody was told about yet, in one statement (UPDATE … WHERE notified_at
 * IS NULL RETURNING), so two workers never claim the same signal; then groups them by recipient:
 * every active hr and leader gets all of them, a team's manager those of their team. Each
 * recipient gets one email job listing their signals.
 */
export async function claimSignalNotifications(ctx: Pick<AppContext, 'db' | 'jobs'>): Promise<{ personId: string; signalIds: string[] }[]> {
  const claimed = await queryRows<{ id: string; teamId: string }>(
    ctx.db,
    sql`update signals set notified_at = now() where notified_at is null and status = 'open' returning id::text as id, team_id::text as "teamId"`,
  )
  if (claimed.length === 0) return []
  const teamIds = [...new Set(claimed.map((c) => c.teamId))]
  const recipients = await queryRows<{ personId: string; teamId: string | null }>(
    ctx.db,
    sql`select p.id::text as "personId", null::text as "teamId" from people p where p.active and p.role in ('hr', 'leader')
        union
        select t.manager_id::text, t.id::text from teams t join people m on m.id = t.manager_id and m.active
         where t.id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)})`,
  )
  const byPerson = new Map<string, Set<string>>()
  for (const r of recipients) {
    const set = byPerson.get(r.personId) ?? new Set<string>()
    for (const c of claimed) if (r.teamId === null || c.teamId === r.teamId) set.add(c.id)
    byPerson.set(r.personId, set)
  }
  const out = [...byPerson.entries()].map(([personId, ids]) => ({ personId, signalIds: [...ids].sort() }))
  for (const batch of out) {
    const key = createHash('sha256').update(batch.signalIds.join(',')).digest('hex').slice(0, 24)
    await ctx.jobs.send('signals.alert-email', batch, { singletonKey: `signals:${batch.personId}:${key}` })
  }
  return out
}

/** The teams whose signals the viewer may see, for the team filter. */
export async function signalTeams(db: Db, viewer: SignalViewer): Promise<{ id: string; name: string }[]> {
  return queryRows<{ id: string; name: string }>(db, sql`select s.team_id::text as id, t.name from (select id as team_id from teams) s join teams t on t.id = s.team_id where ${scopeSql(viewer)} order by t.name`)
}
