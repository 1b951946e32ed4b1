import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { seedDemo } from '#db/seed/demo'
import type { AppContext } from '~/context'
import { funnelMetrics } from '~/funnel/kpi.server'
import { setupTestContext } from '#test/support/context'

let ctx: AppContext

beforeAll(async () => {
  ctx = await setupTestContext()
  await seedDemo(ctx.db)
})

describe('demo CRM data', () => {
  it('gives every rep of Milano, Roma and London 18 months of leads and deals in their team currency', async () => {
    const rows = await queryRows<{ team: string; reps: number; with_deals: number; currencies: string; months: number; unmapped: number }>(
      ctx.db,
      sql`select t.name as team, count(distinct p.id)::int as reps,
          count(distinct o.owner_id)::int as with_deals,
          string_agg(distinct o.currency, ',') as currencies,
          count(distinct date_trunc('month', o.created_at at time zone 'Europe/Rome'))::int as months,
          count(*) filter (where o.owner_id is null)::int as unmapped
        from teams t join people p on p.team_id = t.id left join opportunities o on o.owner_id = p.id
        where t.name in ('Milano', 'Roma', 'London') group by t.name order by t.name`,
    )
    expect(rows.map((r) => [r.team, r.reps === r.with_deals, r.currencies, r.months >= 18, r.unmapped])).toEqual([
      ['London', true, 'GBP', true, 0],
      ['Milano', true, 'EUR', true, 0],
      ['Roma', true, 'EUR', true, 0],
    ])
    const [counts] = await queryRows<{ leads: number; history: number; targets: number; campaigns: number; benchmarks: number; owner_keys_match: boolean }>(
      ctx.db,
      sql`select (select count(*) from leads)::int as leads, (select count(*) from opportunity_stage_history)::int as history,
          (select count(*) from kpi_targets)::int as targets, (select count(*) from campaigns where cost is not null)::int as campaigns,
          (select count(*) from benchmarks)::int as benchmarks,
          (select bool_and(o.owner_key = p.name) from opportunities o join people p on p.id = o.owner_id) as owner_keys_match`,
    )
    expect(counts.leads).toBeGreaterThan(3000)
    expect(counts.history).toBeGreaterThan(counts.leads / 2)
    expect(counts.campaigns).toBe(6)
    expect(counts.benchmarks).toBe(3)
    expect(counts.owner_keys_match).toBe(true)
  })

  it('lets Roma’s win rate fall over the last quarter while Milano holds', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date())
    const d = (monthsBack: number) => {
      const x = new Date(`${today}T12:00:00Z`)
      x.setUTCMonth(x.getUTCMonth() - monthsBack)
      return x.toISOString().slice(0, 10)
    }
    const teams = await queryRows<{ id: string; name: string }>(ctx.db, sql`select id::text as id, name from teams where name in ('Milano', 'Roma')`)
    const rate = async (team: string, from: string, to: string) => {
      const [row] = await funnelMetrics(ctx.db, { scope: { all: true }, groupBy: 'team', period: 'window', from, to, teamId: teams.find((t) => t.name === team)!.id })
      return row.winRate!
    }
    const romaBefore = await rate('Roma', d(15), d(4))
    const romaLast = await rate('Roma', d(3), today)
    const milanoBefore = await rate('Milano', d(15), d(4))
    const milanoLast = await rate('Milano', d(3), today)
    console.info({ romaBefore, romaLast, milanoBefore, milanoLast })
    expect(romaLast).toBeLessThan(romaBefore - 0.04)
    // Roma falls by more than Milano moves down (Milano's quarter-to-quarter noise is a few points either way).
    expect(romaBefore - romaLast).toBeGreaterThan(milanoBefore - milanoLast)
  })
})
