import { type SQL, sql } from 'drizzle-orm'
import { type Db, analyticsRows } from '#db/client'
import { ratio, roundMoney, share, toNumber } from './kpi'
import { filteredPeople, orgContext } from './kpi.server'
import { type FunnelScope, funnelView, FunnelViewError } from './scope.server'

export type CampaignRow = {
  campaign: string
  currency: string
  cost: number | null
  leads: number
  leadsConverted: number
  leadConversionRate: number | null
  opportunities: number
  won: number
  wonAmount: number
  /** Won deals in another currency than the campaign's cost: counted, never added to wonAmount. */
  wonInOtherCurrencies: number
  roi: number | null
  costPerLead: number | null
  costPerWonDeal: number | null
}

/**
 * Campaign ROI (docs/architecture.md#funnel-kpis): won amount ÷ campaign cost, cost per lead and
 * per won deal, over the leads and deals tagged with the campaign (matched by name,
 * case-insensitively). Leads count when created in the window, opportunities when created in it,
 * won deals when closed in it; the cost is the campaign's whole cost. Money is only compared in
 * the campaign's own currency.
 */
export async function campaignMetrics(db: Db, f: { scope: FunnelScope; from?: string; to?: string; teamId?: string; leadSource?: string; industry?: string }): Promise<CampaignRow[]> {
  // The top-of-funnel view is organisation-wide: a team of one would give one rep's figures.
  if (f.teamId && funnelView(f.scope) === 'top') throw new FunnelViewError('A team filter')
  const org = await orgContext(db)
  const lo: SQL = f.from ? sql`${f.from}::date::timestamp at time zone ${org.tz}::text` : sql`'-infinity'::timestamptz`
  const hi: SQL = f.to ? sql`(${f.to}::date + 1)::timestamp at time zone ${org.tz}::text` : sql`'infinity'::timestamptz`
  const segment = (alias: string) => {
    const parts: SQL[] = [sql`true`]
    if (f.leadSource) parts.push(sql`lower(${sql.raw(alias)}.lead_source) = lower(${f.leadSource})`)
    if (f.industry) parts.push(sql`lower(${sql.raw(alias)}.industry) = lower(${f.industry})`)
    return sql.join(parts, sql` and `)
  }
  const rows = await analyticsRows<{ campaign: string; currency: string; cost: string | null; leads: number; converted: number; opps: number; won: number; won_amount: string; won_other: number }>(
    db,
    sql`with
  people_in as ${filteredPeople(f)},
  win as (select ${lo} as lo, ${hi} as hi),
  names as (
    select lower(name) as key, name, cost, currency from campaigns
    union
    select lower(campaign), min(campaign), null::numeric, null::text from leads where campaign is not null and lower(campaign) not in (select lower(name) from campaigns) group by lower(campaign)
    union
    select lower(campaign), min(campaign), null::numeric, null::text from opportunities where campaign is not null and lower(campaign) not in (select lower(name) from campaigns) group by lower(campaign)
  ),
  lead_agg as (
    select lower(l.campaign) as key, count(*)::int as leads, count(*) filter (where l.converted)::int as converted
    from leads l, win
    where l.campaign is not null and l.owner_id in (select id from people_in) and ${segment('l')} and l.created_at >= win.lo and l.created_at < win.hi
    group by 1
  ),
  opp_agg as (
    select lower(o.campaign) as key, o.currency,
      count(*) filter (where o.created_at >= win.lo and o.created_at < win.hi)::int as opps,
      count(*) filter (where o.status = 'won' and o.closed_at >= win.lo and o.closed_at < win.hi)::int as won,
      coalesce(sum(o.amount) filter (where o.status = 'won' and o.closed_at >= win.lo and o.closed_at < win.hi), 0) as won_amount
    from opportunities o, win
    where o.campaign is not null and o.owner_id in (select id from people_in) and ${segment('o')}
    group by 1, 2
  ),
  named as (select distinct on (key) key, name, cost, currency from names order by key, cost is null, name)
select n.name as campaign, coalesce(n.currency, ${org.currency}::text) as currency, n.cost,
  coalesce(la.leads, 0) as leads, coalesce(la.converted, 0) as converted,
  coalesce((select sum(opps) from opp_agg a where a.key = n.key), 0)::int as opps,
  coalesce((select won from opp_agg a where a.key = n.key and a.currency = coalesce(n.currency, ${org.currency}::text)), 0) as won,
  coalesce((select won_amount from opp_agg a where a.key = n.key and a.currency = coalesce(n.currency, ${org.currency}::text)), 0) as won_amount,
  coalesce((select sum(won) from opp_agg a where a.key = n.key and a.currency <> coalesce(n.currency, ${org.currency}::text)), 0)::int as won_other
from named n
left join lead_agg la on la.key = n.key
order by n.name`,
  )
  return rows.map((r) => {
    const cost = toNumber(r.cost)
    const wonAmount = toNumber(r.won_amount) ?? 0
    const roi = cost == null ? null : ratio(wonAmount, cost)
    const perLead = cost == null ? null : ratio(cost, r.leads)
    const perWon = cost == null ? null : ratio(cost, r.won)
    return {
      campaign: r.campaign,
      currency: r.currency,
      cost,
      leads: r.leads,
      leadsConverted: r.converted,
      leadConversionRate: share(r.converted, r.leads),
      opportunities: r.opps,
      won: r.won,
      wonAmount,
      wonInOtherCurrencies: r.won_other,
      // ROI as a multiple (won ÷ cost, e.g. 3.5 = 3.5× the spend), kept to four decimals.
      roi: roi == null ? null : Math.round(roi * 10_000) / 10_000,
      costPerLead: perLead == null ? null : roundMoney(perLead),
      costPerWonDeal: perWon == null ? null : roundMoney(perWon),
    }
  })
}
