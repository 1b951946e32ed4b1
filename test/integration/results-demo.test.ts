import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { seedDemo } from '#db/seed/demo'
import { setupTestContext } from '#test/support/context'
import { createApiKey } from '#test/support/response-factories'
import { makeRequest } from '#test/support/requests'
import { loader as enpsApi } from '~/routes/api.v1.metrics.enps'
import { loader as driversApi } from '~/routes/api.v1.metrics.drivers'

const ctx = await setupTestContext()
let key: string

beforeAll(async () => {
  await seedDemo(ctx.db)
  key = await createApiKey(ctx.db, 'leader')
}, 120_000)

async function get(loader: typeof enpsApi, query: string) {
  const response = (await loader({ request: makeRequest(`/api/v1/metrics/x?${query}`, { headers: { Authorization: `Bearer ${key}` } }), params: {}, context: { app: ctx } })) as Response
  expect(response.status).toBe(200)
  return ((await response.json()) as { rows: Record<string, unknown>[] }).rows
}

describe('demo survey history', () => {
  it('has a year of weekly pulses and monthly eNPS with every team shown in every month', async () => {
    const [counts] = await queryRows<{ weekly: number; monthly: number; minPerTeam: number }>(
      ctx.db,
      sql`select (select count(*)::int from survey_rounds sr join surveys s on s.id = sr.survey_id where s.cadence = 'weekly') as weekly,
                 (select count(*)::int from survey_rounds sr join surveys s on s.id = sr.survey_id where s.cadence = 'monthly') as monthly,
                 (select min(n)::int from (select count(*) as n from responses group by round_id, team_id) x) as "minPerTeam"`,
    )
    expect(counts.weekly).toBeGreaterThanOrEqual(52)
    expect(counts.monthly).toBeGreaterThanOrEqual(12)
    expect(counts.minPerTeam).toBeGreaterThanOrEqual(7)
    const [rates] = await queryRows<{ min: number; max: number }>(
      ctx.db,
      sql`select min(r)::float8 as min, max(r)::float8 as max from (select count(*) filter (where responded_at is not null)::float8 / count(*) as r from invitations group by round_id) x`,
    )
    expect(rates.min).toBeGreaterThan(0.6)
    expect(rates.max).toBeLessThanOrEqual(1)
    const rows = await get(enpsApi, 'groupBy=team&period=month')
    expect(rows.length).toBeGreaterThanOrEqual(36)
    expect(rows.filter((r) => r.suppressed)).toEqual([])
  })

  it('shows Roma drifting down over the last months, in eNPS and in manager support', async () => {
    const rows = (await get(enpsApi, 'groupBy=team&period=quarter')) as { period: string; group: { name: string }; enps: number }[]
    const roma = rows.filter((r) => r.group.name === 'Roma').sort((a, b) => a.period.localeCompare(b.period))
    const milano = rows.filter((r) => r.group.name === 'Milano').sort((a, b) => a.period.localeCompare(b.period))
    expect(roma.at(-1)!.enps).toBeLessThan(roma[0].enps - 25)
    expect(roma.at(-1)!.enps).toBeLessThan(milano.at(-1)!.enps - 20)
    const drivers = (await get(driversApi, 'groupBy=team&period=quarter')) as { period: string; group: { name: string }; driver: string; mean: number }[]
    const support = drivers.filter((r) => r.group.name === 'Roma' && r.driver === 'manager_support').sort((a, b) => a.period.localeCompare(b.period))
    expect(support.at(-1)!.mean).toBeLessThan(support[0].mean - 0.6)
  })
})
