import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { getSettings } from '~/settings/settings.server'
import { type OverdueDeal, type PeriodFigures, type Suggestion, suggestTalkingPoints, winRate } from './suggestions'

/**
 * The figures the manager's prep panel needs, computed here with small SQL over opportunities
 * because the shared KPI engine (app/funnel/kpi.server.ts) did not exist when this was written.
 * Conventions follow DESIGN §6: quarters in the organisation's time zone, win rate closed-only,
 * sales cycle = created→closed days over won deals (median), money only in the default currency.
 */
export type PrepFigures = PeriodFigures & { wonAmount: string | null; target: string | null; attainment: number | null }

export type PrepPanel = {
  currency: string
  currentQuarterStart: string
  previousQuarterStart: string
  current: PrepFigures
  previous: PrepFigures
  overdueDeals: OverdueDeal[]
  suggestions: Suggestion[]
}

type PeriodRow = { period: 'current' | 'previous'; won: number; lost: number; cycle_median: number | null; won_amount: string | null; target: string | null }

export async function prepPanel(db: Db, input: { personId: string; now?: Date }): Promise<PrepPanel> {
  const settings = await getSettings(db)
  const tz = settings.timezone
  const now = (input.now ?? new Date()).toISOString()
  const [bounds] = await queryRows<{ cur: string; prev: string }>(
    db,
    sql`select to_char(date_trunc('quarter', ${now}::timestamptz at time zone ${tz}), 'YYYY-MM-DD') as cur,
               to_char(date_trunc('quarter', ${now}::timestamptz at time zone ${tz}) - interval '3 months', 'YYYY-MM-DD') as prev`,
  )
  const rows = await queryRows<PeriodRow>(
    db,
    sql`with periods(period, starts, ends) as (
          values ('current', (${bounds.cur}::date)::timestamp at time zone ${tz}, ${now}::timestamptz),
                 ('previous', (${bounds.prev}::date)::timestamp at time zone ${tz}, (${bounds.cur}::date)::timestamp at time zone ${tz})
        )
        select p.period,
               count(o.id) filter (where o.status = 'won')::int as won,
               count(o.id) filter (where o.status = 'lost')::int as lost,
               percentile_cont(0.5) within group (order by extract(epoch from o.closed_at - o.created_at) / 86400.0) filter (where o.status = 'won') as cycle_median,
               round(sum(o.amount) filter (where o.status = 'won' and o.currency = ${settings.currency}), 2)::text as won_amount,
               (select t.value::text from kpi_targets t
                 where t.person_id = ${input.personId} and t.period = 'quarter' and t.metric = 'won_amount' and t.currency = ${settings.currency}
                   and t.period_start = case p.period when 'current' then ${bounds.cur}::date else ${bounds.prev}::date end) as target
          from periods p
          left join opportunities o on o.owner_id = ${input.personId} and o.status <> 'open' and o.closed_at >= p.starts and o.closed_at < p.ends
         group by p.period`,
  )
  const figures = (period: 'current' | 'previous'): PrepFigures => {
    const r = rows.find((x) => x.period === period)!
    const cycle = r.cycle_median === null ? null : Math.round(Number(r.cycle_median) * 10) / 10
    const attainment = r.target && Number(r.target) > 0 ? Number(r.won_amount ?? 0) / Number(r.target) : null
    return { won: r.won, lost: r.lost, winRate: winRate(r.won, r.lost), salesCycleDaysMedian: cycle, wonAmount: r.won_amount, target: r.target, attainment }
  }
  // Open deals past their expected close, and the rep's average won deal over the last four quarters as the "large" bar.
  const overdue = await queryRows<{ id: string; name: string | null; account: string | null; amount: string; currency: string; expected: string }>(
    db,
    sql`select o.id, o.name, o.account, o.amount::text as amount, o.currency, to_char(o.expected_close_on, 'YYYY-MM-DD') as expected
          from opportunities o
         where o.owner_id = ${input.personId} and o.status = 'open'
           and o.expected_close_on < (${now}::timestamptz at time zone ${tz})::date
         order by o.amount desc, o.expected_close_on
         limit 20`,
  )
  const [avg] = await queryRows<{ avg: string | null }>(
    db,
    sql`select round(avg(o.amount), 2)::text as avg from opportunities o
         where o.owner_id = ${input.personId} and o.status = 'won' and o.currency = ${settings.currency}
           and o.closed_at >= ${now}::timestamptz - interval '12 months'`,
  )
  const overdueDeals: OverdueDeal[] = overdue.map((d) => ({ id: d.id, name: d.name ?? d.account ?? d.id, amount: Number(d.amount), currency: d.currency, expectedCloseOn: d.expected }))
  const current = figures('current')
  const previous = figures('previous')
  return {
    currency: settings.currency,
    currentQuarterStart: bounds.cur,
    previousQuarterStart: bounds.prev,
    current,
    previous,
    overdueDeals: overdueDeals.slice(0, 5),
    suggestions: suggestTalkingPoints({ current, previous, overdueDeals, largeDealMin: avg?.avg === null || avg === undefined ? null : Number(avg.avg) }),
  }
}
