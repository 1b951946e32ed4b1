import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { type FunnelRow, funnelMetrics } from '~/funnel/kpi.server'
import { enpsAggregates } from '~/responses/metrics.server'
import { applyThresholds, loadHierarchy } from '~/responses/results-privacy.server'
import { enpsFigures } from '~/responses/results.server'
import { getSettings } from '~/settings/settings.server'
import { type OverdueDeal, type PeriodFigures, type Suggestion, suggestTalkingPoints } from './suggestions'

/**
 * The figures of the manager's prep panel. Quarter KPIs come from the shared KPI engine
 * (funnelMetrics: the organisation's time zone and win-rate convention, targets, one row per
 * currency); the list of open deals past their expected close, which the engine does not offer,
 * is a small query of its own here.
 */
export type PrepFigures = PeriodFigures & { wonAmount: number | null; target: number | null; attainment: number | null }

export type PrepPanel = {
  currency: string
  currentQuarterStart: string
  previousQuarterStart: string
  current: PrepFigures
  previous: PrepFigures
  overdueDeals: OverdueDeal[]
  suggestions: Suggestion[]
  teamSentiment: TeamSentiment
}

/** The report's team eNPS over the last 90 days: the team aggregate only, and only above its threshold. */
export type TeamSentiment = null | { teamName: string; shown: false } | { teamName: string; shown: true; enps: number; n: number; ciLow: number; ciHigh: number }

export const SENTIMENT_DAYS = 90

/**
 * Never an individual answer: the survey results module's team aggregate, through its threshold
 * and sibling-protection rules (applyThresholds), exactly as the results screens show it.
 */
export async function teamSentiment(db: Db, input: { teamId: string | null; today: string }): Promise<TeamSentiment> {
  if (!input.teamId) return null
  const hierarchy = await loadHierarchy(db)
  const team = hierarchy.teams.find((t) => t.id === input.teamId)
  if (!team) return null
  const [range] = await queryRows<{ from: string }>(db, sql`select to_char(${input.today}::date - ${SENTIMENT_DAYS - 1}::int, 'YYYY-MM-DD') as from`)
  const rows = await enpsAggregates(db, { from: range.from, to: input.today }, { by: 'all' })
  const visible = applyThresholds(rows, hierarchy, { threshold: (r) => r.threshold }).find((r) => r.groupId === team.id)
  if (!visible || visible.suppressed) return { teamName: team.name, shown: false }
  const figures = enpsFigures(visible)
  return { teamName: team.name, shown: true, enps: figures.enps, n: figures.n, ciLow: figures.ciLow, ciHigh: figures.ciHigh }
}

const empty: PrepFigures = { won: 0, lost: 0, winRate: null, salesCycleDaysMedian: null, wonAmount: null, target: null, attainment: null }

export async function prepPanel(db: Db, input: { personId: string; teamId: string | null; now?: Date }): Promise<PrepPanel> {
  const settings = await getSettings(db)
  const tz = settings.timezone
  const now = (input.now ?? new Date()).toISOString()
  const [bounds] = await queryRows<{ cur: string; prev: string; today: string }>(
    db,
    sql`select to_char(date_trunc('quarter', ${now}::timestamptz at time zone ${tz}), 'YYYY-MM-DD') as cur,
               to_char(date_trunc('quarter', ${now}::timestamptz at time zone ${tz}) - interval '3 months', 'YYYY-MM-DD') as prev,
               to_char(${now}::timestamptz at time zone ${tz}, 'YYYY-MM-DD') as today`,
  )
  // The quarter so far against the whole previous quarter, for this one rep.
  const rows = await funnelMetrics(db, { scope: { all: true }, groupBy: 'rep', period: 'quarter', from: bounds.prev, to: bounds.today, personId: input.personId })
  // Money is never summed across currencies: the panel shows the organisation's currency row, or
  // the rep's only currency when they sell in another one.
  const currencies = [...new Set(rows.map((r) => r.currency))]
  const currency = currencies.includes(settings.currency) || currencies.length !== 1 ? settings.currency : currencies[0]
  const figures = (period: string): PrepFigures => {
    const r: FunnelRow | undefined = rows.find((x) => x.period === period && x.currency === currency)
    if (!r) return empty
    return {
      won: r.won,
      lost: r.lost,
      winRate: r.winRate,
      salesCycleDaysMedian: r.salesCycleDaysMedian === null ? null : Math.round(r.salesCycleDaysMedian * 10) / 10,
      wonAmount: r.wonAmount,
      target: r.target,
      attainment: r.quotaAttainment,
    }
  }
  // Open deals past their expected close, and the rep's average won deal over the last four quarters as the "large" bar.
  const overdue = await queryRows<{ id: string; name: string | null; account: string | null; amount: string; currency: string; expected: string }>(
    db,
    sql`select o.id, o.name, o.account, o.amount::text as amount, o.currency, to_char(o.expected_close_on, 'YYYY-MM-DD') as expected
          from opportunities o
         where o.owner_id = ${input.personId} and o.status = 'open' and o.currency = ${currency}
           and o.expected_close_on < (${now}::timestamptz at time zone ${tz})::date
         order by o.amount desc, o.expected_close_on
         limit 20`,
  )
  const [avg] = await queryRows<{ avg: string | null }>(
    db,
    sql`select round(avg(o.amount), 2)::text as avg from opportunities o
         where o.owner_id = ${input.personId} and o.status = 'won' and o.currency = ${currency}
           and o.closed_at >= ${now}::timestamptz - interval '12 months'`,
  )
  const overdueDeals: OverdueDeal[] = overdue.map((d) => ({ id: d.id, name: d.name ?? d.account ?? d.id, amount: Number(d.amount), currency: d.currency, expectedCloseOn: d.expected }))
  const current = figures(bounds.cur)
  const previous = figures(bounds.prev)
  return {
    currency,
    currentQuarterStart: bounds.cur,
    previousQuarterStart: bounds.prev,
    current,
    previous,
    overdueDeals: overdueDeals.slice(0, 5),
    suggestions: suggestTalkingPoints({ current, previous, overdueDeals, largeDealMin: avg?.avg === null || avg === undefined ? null : Number(avg.avg) }),
    teamSentiment: await teamSentiment(db, { teamId: input.teamId, today: bounds.today }),
  }
}
