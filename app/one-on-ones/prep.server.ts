import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import type { Role } from '#db/schema/people'
import { type FunnelRow, funnelMetrics } from '~/funnel/kpi.server'
import { enpsFigures } from '~/responses/figures'
import { periodCells } from '~/responses/published.server'
import { scopeCovers, viewerScope } from '~/auth/scope.server'
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

/**
 * The report's team eNPS in the latest calendar quarter with closed rounds: a published bucket
 * (app/responses/published.server.ts), so it moves only when a whole round closes, never with one
 * answer, and is the same figure the results screens show.
 */
export type TeamSentiment = null | { teamName: string; quarter: string; shown: false } | { teamName: string; quarter: string; shown: true; enps: number; n: number; ciLow: number; ciHigh: number }

/** Only for a team the viewer's scope covers (a manager sees their own teams and sub-teams). */
export async function teamSentiment(db: Db, input: { viewer: { id: string; role: Role }; teamId: string | null; today: string }): Promise<TeamSentiment> {
  if (!input.teamId) return null
  const [team] = await queryRows<{ name: string }>(db, sql`select name from teams where id = ${input.teamId}::uuid`)
  if (!team) return null
  if (!scopeCovers(await viewerScope(db, input.viewer), input.teamId)) return null
  const [range] = await queryRows<{ from: string }>(db, sql`select to_char(${input.today}::date - interval '12 months', 'YYYY-MM-DD') as from`)
  const { cells } = await periodCells(db, { unit: 'quarter', from: range.from, to: input.today, measures: ['enps'], groupKeys: [input.teamId] })
  // The latest quarter with a round, whatever its state: choosing by what is shown would itself tell something.
  const latest = cells.at(-1)
  if (!latest) return null
  if (!latest.shown) return { teamName: team.name, quarter: latest.bucket, shown: false }
  const figures = enpsFigures(latest)
  return { teamName: team.name, quarter: latest.bucket, shown: true, enps: figures.enps, n: figures.n, ciLow: figures.ciLow, ciHigh: figures.ciHigh }
}

const empty: PrepFigures = { won: 0, lost: 0, winRate: null, salesCycleDaysMedian: null, wonAmount: null, target: null, attainment: null }

/**
 * The prep panel for a report's 1:1, built only for the report's current manager (a past meeting's
 * manager gets nothing): null for anyone else.
 */
export async function prepPanel(db: Db, input: { viewer: { id: string; role: Role }; personId: string; teamId: string | null; now?: Date }): Promise<PrepPanel | null> {
  const [report] = await queryRows<{ managerId: string | null }>(db, sql`select manager_id::text as "managerId" from people where id = ${input.personId}::uuid`)
  if (!report || report.managerId !== input.viewer.id) return null
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
    teamSentiment: await teamSentiment(db, { viewer: input.viewer, teamId: input.teamId, today: bounds.today }),
  }
}
