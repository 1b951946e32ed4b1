import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { AppContext } from '~/context'
import { type FunnelFilters, funnelMetrics } from '~/funnel/kpi.server'
import { ensureDefaultStages } from '~/funnel/stages.server'
import { updateSettings } from '~/settings/settings.server'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { createStages } from '#test/support/kpi-factories'

/**
 * The daily rollups (opportunity_daily, lead_daily) against the deals themselves: the KPI engine
 * must give the same figures from either, and the triggers must keep the rollups equal to a
 * rebuild from scratch after every kind of write.
 */
let ctx: AppContext
let people: { id: string }[] = []
let region: { id: string }

beforeAll(async () => {
  ctx = await setupTestContext()
  await createStages(ctx.db)
  region = await createTeam(ctx.db, { name: 'Region' })
  const north = await createTeam(ctx.db, { name: 'North', parentId: region.id })
  const south = await createTeam(ctx.db, { name: 'South', parentId: region.id })
  const solo = await createTeam(ctx.db, { name: 'Solo' })
  people = []
  for (const teamId of [north.id, north.id, south.id, south.id, solo.id, region.id]) people.push(await createPerson(ctx.db, { teamId }))
  const owners = sql.raw(`array[${people.map((p) => `'${p.id}'::uuid`).join(', ')}]`)
  // Deterministic deals over 2025: every value is a slice of md5(n); some owners unmapped (null),
  // two currencies, stages by key, by CRM label and unknown, probabilities own or from the stage,
  // open deals with and without a close date, timestamps near midnight in Rome.
  await ctx.db.execute(sql`
    insert into opportunities (source, external_id, owner_key, owner_id, amount, currency, stage, status, created_at, closed_at, probability, pipeline)
    select 'api', 'roll-' || n, 'k' || n,
      case when h % 9 = 0 then null else (${owners})[1 + h % 6] end,
      ((h % 500000) / 100.0)::numeric(16, 2),
      case when h % 4 = 0 then 'USD' else 'EUR' end,
      (array['qualification', 'Proposta', 'Negotiation/Review', 'closed_won', 'Mystery', null])[1 + (h / 7) % 6],
      st,
      created,
      case when st <> 'open' or h % 5 = 0 then created + ((h / 11) % 200) * interval '1 day' + ((h / 13) % 1440) * interval '1 minute' end,
      case when h % 3 = 0 then ((h / 17) % 10000) / 10000.0 end,
      'default'
    from (
      select n, h, (array['open', 'won', 'lost'])[1 + (h / 3) % 3] as st,
        timestamptz '2024-12-31 22:30:00+00' + ((h / 5) % 420) * interval '1 day' + ((h / 19) % 180) * interval '1 minute' as created
      from (select n, ('x' || substr(md5('o' || n), 1, 8))::bit(32)::bigint as h from generate_series(1, 600) n) raw
    ) x`)
  await ctx.db.execute(sql`
    insert into leads (source, external_id, owner_key, owner_id, created_at, converted, converted_at)
    select 'api', 'roll-lead-' || n, 'k' || n,
      case when h % 10 = 0 then null else (${owners})[1 + h % 6] end,
      timestamptz '2024-12-31 22:30:00+00' + ((h / 5) % 400) * interval '1 day' + ((h / 19) % 180) * interval '1 minute',
      h % 3 = 0, null
    from (select n, ('x' || substr(md5('l' || n), 1, 8))::bit(32)::bigint as h from generate_series(1, 900) n) raw`)
})

const all = { all: true } as const

async function compare(f: Omit<FunnelFilters, 'scope' | 'source'>) {
  const filters = { scope: all, ...f }
  const [fromRollups, fromDeals] = await Promise.all([funnelMetrics(ctx.db, { ...filters, source: 'rollup' }), funnelMetrics(ctx.db, { ...filters, source: 'raw' })])
  expect(fromRollups.length).toBeGreaterThan(0)
  expect(fromRollups).toEqual(fromDeals)
  return fromRollups
}

/** The rollups as stored (rows left all zero by deletions do not count) against a rebuild from scratch. */
async function expectRollupsMatchRebuild() {
  const figures = `created_count, created_won, created_amount, created_weighted, won, lost, won_amount, won_cycle_days, closed_count, closed_amount, closed_weighted`
  const nonZero = `(created_count, created_won, won, lost, closed_count) <> (0, 0, 0, 0, 0) or (created_amount, created_weighted, won_amount, won_cycle_days, closed_amount, closed_weighted) <> (0, 0, 0, 0, 0, 0)`
  const read = (text: string) => queryRows<Record<string, unknown>>(ctx.db, sql.raw(text))
  const snapshot = async () => ({
    oppDays: await read(`select owner_id::text, currency, day::text, ${figures} from opportunity_daily where ${nonZero} order by 1, 2, 3`),
    oppMonths: await read(`select owner_id::text, currency, month::text, ${figures} from opportunity_monthly where ${nonZero} order by 1, 2, 3`),
    leadDays: await read(`select owner_id::text, day::text, created, converted from lead_daily where (created, converted) <> (0, 0) order by 1, 2`),
    leadMonths: await read(`select owner_id::text, month::text, created, converted from lead_monthly where (created, converted) <> (0, 0) order by 1, 2`),
  })
  const kept = await snapshot()
  await ctx.db.execute(sql`select pulseboard_rebuild_opportunity_daily(), pulseboard_rebuild_lead_daily()`)
  const rebuilt = await snapshot()
  // Numeric text may differ only in trailing zeros (a sum of +x and −x keeps its scale).
  const norm = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+\.\d+$/.test(v) ? String(Number(v)) : v])))
  expect(norm(kept.oppDays)).toEqual(norm(rebuilt.oppDays))
  expect(norm(kept.oppMonths)).toEqual(norm(rebuilt.oppMonths))
  expect(kept.leadDays).toEqual(rebuilt.leadDays)
  expect(kept.leadMonths).toEqual(rebuilt.leadMonths)
  expect(rebuilt.oppDays.length).toBeGreaterThan(100)
  expect(rebuilt.oppMonths.length).toBeGreaterThan(10)
}

describe('funnel rollups', () => {
  it('give the same figures as every deal, per rep, team and organisation, per week, month, quarter and window', async () => {
    for (const groupBy of ['rep', 'team', 'org'] as const) {
      for (const period of ['week', 'month', 'quarter', 'window'] as const) {
        await compare({ groupBy, period, from: '2025-01-01', to: '2025-12-31' })
      }
    }
    // Windows cut through periods, or inside one month; one team's subtree; one person.
    await compare({ groupBy: 'org', period: 'month', from: '2025-02-14', to: '2025-07-09' })
    for (const period of ['week', 'month', 'quarter', 'window'] as const) {
      await compare({ groupBy: 'rep', period, from: '2025-03-10', to: '2025-03-20' })
      await compare({ groupBy: 'org', period, from: '2025-03-01', to: '2025-03-20' })
      await compare({ groupBy: 'org', period, from: '2025-03-10', to: '2025-03-31' })
    }
    await compare({ groupBy: 'team', period: 'quarter', from: '2025-03-31', to: '2025-11-02', teamId: region.id })
    await compare({ groupBy: 'rep', period: 'week', from: '2025-05-05', to: '2025-06-29', personId: people[2].id })
  })

  it('windows up to today and beyond: the current month comes from the days, and the pipeline stops at today', async () => {
    // Deals of the last ninety days relative to now (the monthly rows stop before the current month).
    await ctx.db.execute(sql`
      insert into opportunities (source, external_id, owner_key, owner_id, amount, currency, status, created_at, closed_at)
      select 'api', 'recent-' || n, 'k', ${people[2].id}, 100 + n, 'EUR', (array['open', 'won', 'lost'])[1 + n % 3],
        now() - (n * 20) * interval '1 hour', case when n % 3 <> 0 then now() - (n * 20) * interval '1 hour' + (n % 7) * interval '1 hour' end
      from generate_series(1, 100) n`)
    const today = new Date().toISOString().slice(0, 10)
    const inAMonth = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10)
    const threeMonthsAgo = new Date(Date.now() - 92 * 86400_000).toISOString().slice(0, 10)
    const startOfMonth = `${today.slice(0, 8)}01`
    for (const period of ['week', 'month', 'quarter', 'window'] as const) {
      await compare({ groupBy: 'org', period, from: threeMonthsAgo, to: today })
      await compare({ groupBy: 'rep', period, from: threeMonthsAgo, to: inAMonth })
      // Inside the current month.
      await compare({ groupBy: 'org', period, from: startOfMonth, to: today })
    }
  })

  it('can leave out the median, the one figure read from every won deal', async () => {
    const f = { scope: all, groupBy: 'team', period: 'month', from: '2025-01-01', to: '2025-12-31' } as const
    const [withMedian, without] = await Promise.all([funnelMetrics(ctx.db, f), funnelMetrics(ctx.db, { ...f, median: false })])
    expect(withMedian.some((r) => r.salesCycleDaysMedian != null)).toBe(true)
    expect(without.every((r) => r.salesCycleDaysMedian === null)).toBe(true)
    expect(without).toEqual(withMedian.map((r) => ({ ...r, salesCycleDaysMedian: null })))
  })

  it('the figures are real: a month of the organisation matches a count over the deals', async () => {
    const rows = await compare({ groupBy: 'org', period: 'month', from: '2025-03-01', to: '2025-03-31' })
    const [expected] = await queryRows<{ created: number; won: number }>(
      ctx.db,
      sql`select count(*) filter (where (created_at at time zone 'Europe/Rome')::date between '2025-03-01' and '2025-03-31')::int as created,
            count(*) filter (where status = 'won' and (closed_at at time zone 'Europe/Rome')::date between '2025-03-01' and '2025-03-31')::int as won
          from opportunities where owner_id is not null and currency = 'EUR'`,
    )
    const eur = rows.find((r) => r.currency === 'EUR')
    expect(eur).toMatchObject({ opportunitiesCreated: expected.created, won: expected.won })
    expect(expected.created).toBeGreaterThan(5)
  })

  it('stay equal to a rebuild after inserts, updates, owner changes, deletes and truncation', async () => {
    await expectRollupsMatchRebuild()
    // Deals close, amounts and stages change (one UPDATE statement over many rows).
    await ctx.db.execute(sql`update opportunities set status = 'won', closed_at = created_at + interval '3 days', amount = amount + 10 where status = 'open' and external_id like 'roll-1%'`)
    await ctx.db.execute(sql`update opportunities set stage = 'Proposta', probability = null where external_id like 'roll-2%'`)
    // Owners move (the owner-mapping path), become unmapped, and a person is deleted (on delete set null).
    await ctx.db.execute(sql`update opportunities set owner_id = ${people[1].id} where owner_id = ${people[0].id}`)
    const gone = await createPerson(ctx.db)
    await ctx.db.execute(sql`update opportunities set owner_id = ${gone.id} where external_id like 'roll-4%'`)
    await ctx.db.execute(sql`update leads set owner_id = ${gone.id} where external_id like 'roll-lead-6%'`)
    await ctx.db.execute(sql`delete from people where id = ${gone.id}`)
    const [unowned] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from opportunity_daily where owner_id = ${gone.id} and created_count <> 0`)
    expect(unowned.n).toBe(0)
    await ctx.db.execute(sql`update leads set owner_id = null where external_id like 'roll-lead-3%'`)
    await ctx.db.execute(sql`update leads set converted = true where external_id like 'roll-lead-4%'`)
    // An upsert like the import's merge: some rows inserted, some updated in one statement.
    await ctx.db.execute(sql`
      insert into opportunities (source, external_id, owner_key, owner_id, amount, currency, status, created_at, closed_at)
      values ('api', 'roll-5', 'k', ${people[3].id}, 99.99, 'EUR', 'lost', '2025-06-01T10:00:00Z', '2025-06-03T10:00:00Z'),
             ('api', 'roll-new', 'k', ${people[3].id}, 12.34, 'USD', 'open', '2025-06-02T10:00:00Z', null)
      on conflict (source, external_id) do update set amount = excluded.amount, status = excluded.status, created_at = excluded.created_at, closed_at = excluded.closed_at, owner_id = excluded.owner_id`)
    await ctx.db.execute(sql`delete from opportunities where external_id like 'roll-3%'`)
    await ctx.db.execute(sql`delete from leads where external_id like 'roll-lead-5%'`)
    await expectRollupsMatchRebuild()
    await compare({ groupBy: 'team', period: 'month', from: '2025-01-01', to: '2025-12-31' })
    await compare({ groupBy: 'rep', period: 'quarter', from: '2025-01-01', to: '2025-12-31' })
  })

  it('are not rebuilt by a stage statement that changes nothing (every ingest inserts the default stages)', async () => {
    // A row no rebuild would make: it stays as long as nothing rebuilds the opportunity rollups.
    await ensureDefaultStages(ctx.db)
    const marker = '00000000-0000-4000-8000-00000000beef'
    await ctx.db.execute(sql`insert into opportunity_daily (owner_id, currency, day) values (${marker}, 'XXX', '2000-01-01')`)
    const markerLeft = async () => (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from opportunity_daily where owner_id = ${marker}`))[0].n
    await ensureDefaultStages(ctx.db)
    await ctx.db.execute(sql`update funnel_stages set probability = probability where key = 'proposal'`)
    expect(await markerLeft()).toBe(1)
    await ctx.db.execute(sql`update funnel_stages set probability = 0.3000 where key = 'proposal'`)
    expect(await markerLeft()).toBe(0)
    await compare({ groupBy: 'org', period: 'month', from: '2025-01-01', to: '2025-12-31' })
  })

  it('follow a change of the stage probabilities and of the organisation time zone', async () => {
    await ctx.db.execute(sql`update funnel_stages set probability = 0.3333 where key = 'proposal'`)
    await compare({ groupBy: 'org', period: 'month', from: '2025-01-01', to: '2025-12-31' })
    await updateSettings(ctx.db, { timezone: 'America/New_York' })
    try {
      // A deal created at 22:30 UTC on 31 December 2024 is a 2024 deal in New York, a 2025 one in Rome.
      await compare({ groupBy: 'rep', period: 'week', from: '2025-01-01', to: '2025-03-31' })
      await compare({ groupBy: 'org', period: 'window', from: '2025-01-01', to: '2025-12-31' })
      await expectRollupsMatchRebuild()
    } finally {
      await updateSettings(ctx.db, { timezone: 'Europe/Rome' })
    }
    await compare({ groupBy: 'org', period: 'quarter', from: '2025-01-01', to: '2025-12-31' })
  })

  it('are emptied with the tables they summarise', async () => {
    await ctx.db.execute(sql`truncate opportunities cascade`)
    await ctx.db.execute(sql`truncate leads`)
    const [counts] = await queryRows<{ o: number; l: number }>(ctx.db, sql`select (select count(*) from opportunity_daily)::int as o, (select count(*) from lead_daily)::int as l`)
    expect(counts).toEqual({ o: 0, l: 0 })
  })
})
