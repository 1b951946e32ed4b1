import { beforeAll, describe, expect, it } from 'vitest'
import { apiKeys } from '#db/schema'
import type { Role } from '#db/schema/people'
import { hashToken } from '~/auth/tokens.server'
import type { AppContext } from '~/context'
import * as campaignsApi from '~/routes/api.v1.metrics.campaigns'
import * as forecastApi from '~/routes/api.v1.metrics.forecast'
import * as funnelApi from '~/routes/api.v1.metrics.funnel'
import * as dashboard from '~/routes/funnel._index'
import * as repPage from '~/routes/funnel.reps.$personId'
import * as targetsPage from '~/routes/funnel.targets'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { createCampaign, createLead, createOpportunity, createTarget } from '#test/support/kpi-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext
const keys = {} as Record<Role, string>
const people = {} as Record<'admin' | 'employee' | 'manager' | 'marketing' | 'hr' | 'repA' | 'repB' | 'outsider', { id: string; name: string }>
let teamId: string

beforeAll(async () => {
  ctx = await setupTestContext()
  for (const role of ['admin', 'hr', 'leader', 'marketing', 'employee'] as const) {
    keys[role] = `pb_test_${role}_key_0123456789abcdef`
    await ctx.db.insert(apiKeys).values({ name: `${role} key`, prefix: keys[role].slice(0, 10), keyHash: hashToken(keys[role]), role })
  }
  const team = await createTeam(ctx.db, { name: 'Roma API' })
  const other = await createTeam(ctx.db, { name: 'Milano API' })
  teamId = team.id
  people.admin = await createPerson(ctx.db, { role: 'admin' })
  people.hr = await createPerson(ctx.db, { role: 'hr' })
  people.marketing = await createPerson(ctx.db, { role: 'marketing' })
  people.employee = await createPerson(ctx.db, { role: 'employee', teamId: other.id })
  people.manager = await createPerson(ctx.db, { name: 'Paola Manager', teamId: team.id })
  await setTeamManager(ctx.db, team.id, people.manager.id)
  people.repA = await createPerson(ctx.db, { name: 'Anna Rep', teamId: team.id, managerId: people.manager.id })
  people.repB = await createPerson(ctx.db, { name: 'Bruno Rep', teamId: team.id, managerId: people.manager.id })
  people.outsider = await createPerson(ctx.db, { name: 'Olga Outsider', teamId: other.id })

  // March 2025, Europe/Rome. Anna: won 1200.50 (cycle 10 d) and 799.50 (cycle 20 d), lost 1; Bruno: won 500 (cycle 4 d);
  // Olga (other team): won 9000. Anna's target 4000 → attainment 2000 ÷ 4000 = 0.5.
  const won = (ownerId: string, amount: string, created: string, closed: string) =>
    createOpportunity(ctx.db, { ownerId, amount, status: 'won', createdAt: new Date(created), closedAt: new Date(closed) })
  await won(people.repA.id, '1200.50', '2025-03-01T09:00:00Z', '2025-03-11T09:00:00Z')
  await won(people.repA.id, '799.50', '2025-03-02T09:00:00Z', '2025-03-22T09:00:00Z')
  await createOpportunity(ctx.db, { ownerId: people.repA.id, amount: '300.00', status: 'lost', createdAt: new Date('2025-03-03T09:00:00Z'), closedAt: new Date('2025-03-04T09:00:00Z') })
  await won(people.repB.id, '500.00', '2025-03-05T09:00:00Z', '2025-03-09T09:00:00Z')
  await won(people.outsider.id, '9000.00', '2025-03-05T09:00:00Z', '2025-03-09T09:00:00Z')
  await createTarget(ctx.db, { personId: people.repA.id, period: 'month', periodStart: '2025-03-01', value: '4000.00', currency: 'EUR' })
  for (let i = 0; i < 4; i++) await createLead(ctx.db, { ownerId: people.repA.id, createdAt: new Date('2025-03-10T09:00:00Z'), convertedAt: i < 2 ? new Date('2025-03-12T09:00:00Z') : null, campaign: 'Spring Webinar' })
})

const api = async (mod: { loader: (args: never) => unknown }, path: string, role?: Role | 'bogus') => {
  const headers: Record<string, string> = role ? { Authorization: `Bearer ${role === 'bogus' ? 'pb_not_a_key' : keys[role]}` } : {}
  return (await call(mod.loader as never, ctx, makeRequest(path, { headers }))) as Response
}

describe('GET /api/v1/metrics/funnel', () => {
  it('answers rep rows with hand-computed figures', async () => {
    const res = await api(funnelApi, `/api/v1/metrics/funnel?groupBy=rep&period=month&from=2025-03-01&to=2025-03-31&team=${teamId}`, 'admin')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { rows: Record<string, unknown>[] }
    const anna = body.rows.find((r) => (r.group as { id: string }).id === people.repA.id)
    // 2 won of 3 closed; average (1200.50 + 799.50) ÷ 2 = 1000; cycles 10 and 20 days → median = mean = 15.
    expect(anna).toEqual({
      period: '2025-03-01',
      group: { type: 'rep', id: people.repA.id, name: 'Anna Rep', email: expect.any(String) },
      currency: 'EUR',
      leadsCreated: 4,
      leadsConverted: 2,
      leadConversionRate: 0.5,
      opportunitiesCreated: 3,
      won: 2,
      lost: 1,
      winRate: 0.6667,
      wonAmount: 2000,
      avgDealSize: 1000,
      salesCycleDaysMedian: 15,
      salesCycleDaysMean: 15,
      openOpportunities: 0,
      pipelineValue: 0,
      weightedPipelineValue: 0,
      pipelineVelocity: 0,
      target: 4000,
      quotaAttainment: 0.5,
    })
    // Only the team's people: the manager (no deals, no target) is no rep; the outsider is outside the team.
    expect(body.rows.map((r) => (r.group as { name: string }).name).sort()).toEqual(['Anna Rep', 'Bruno Rep'])
    const team = (await (await api(funnelApi, `/api/v1/metrics/funnel?groupBy=team&period=month&from=2025-03-01&to=2025-03-31&team=${teamId}`, 'admin')).json()) as { rows: { wonAmount: number; won: number }[] }
    expect(team.rows).toHaveLength(1)
    expect(team.rows[0]).toMatchObject({ won: 3, wonAmount: 2500 })
  })

  it('names the bad parameter and what it accepts', async () => {
    const cases: [string, string][] = [
      ['groupBy=person', 'groupBy must be rep, team or org'],
      ['period=year', 'period must be week, month or quarter'],
      ['from=2025-02-30', 'from must be a real calendar date as YYYY-MM-DD'],
      ['from=2025-04-01&to=2025-03-01', 'from must be on or before to'],
      ['team=not-a-uuid', 'team must be a team id'],
      ['colour=red', 'colour'],
    ]
    for (const [query, message] of cases) {
      const res = await api(funnelApi, `/api/v1/metrics/funnel?${query}`, 'admin')
      expect(res.status, query).toBe(400)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('invalid_request')
      expect(body.error.message).toContain(message)
    }
    const unknown = await api(funnelApi, '/api/v1/metrics/funnel?team=00000000-0000-4000-8000-000000000000', 'admin')
    expect(unknown.status).toBe(400)
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('team: there is no team with the id')
  })

  it('enforces the API-key role matrix', async () => {
    const expected: [Role | 'bogus' | undefined, number, number, number][] = [
      // role, funnel, forecast, campaigns
      ['admin', 200, 200, 200],
      ['hr', 200, 200, 403],
      ['leader', 200, 200, 403],
      // Marketing (funnel:top): rep rows (the default grouping) and the forecast are refused; campaigns are theirs.
      ['marketing', 403, 403, 200],
      ['employee', 403, 403, 403],
      ['bogus', 401, 401, 401],
      [undefined, 401, 401, 401],
    ]
    for (const [role, funnel, fc, camp] of expected) {
      expect((await api(funnelApi, '/api/v1/metrics/funnel?from=2025-03-01&to=2025-03-31', role)).status, `${role} funnel`).toBe(funnel)
      expect((await api(forecastApi, '/api/v1/metrics/forecast', role)).status, `${role} forecast`).toBe(fc)
      expect((await api(campaignsApi, '/api/v1/metrics/campaigns', role)).status, `${role} campaigns`).toBe(camp)
    }
  })

  it('agrees to the cent with the dashboard loader for the same filters', async () => {
    const query = `period=month&from=2025-02-01&to=2025-03-31&team=${teamId}`
    const fromApi = (await (await api(funnelApi, `/api/v1/metrics/funnel?groupBy=org&${query}`, 'admin')).json()) as { rows: unknown[] }
    const cookie = await signedInCookie(ctx, people.admin.id)
    const page = (await call(dashboard.loader, ctx, makeRequest(`/funnel?${query}`, { cookie }))) as { trend: unknown[] }
    expect(page.trend).toEqual(fromApi.rows)
    expect(fromApi.rows).toHaveLength(2)
  })
})

describe('GET /api/v1/metrics/campaigns', () => {
  it('computes ROI, cost per lead and per won deal in the campaign currency', async () => {
    await createCampaign(ctx.db, { name: 'Spring Webinar', cost: '1000.00', currency: 'EUR' })
    await createOpportunity(ctx.db, { ownerId: people.repB.id, amount: '3000.00', status: 'won', campaign: 'spring webinar', createdAt: new Date('2025-03-12T09:00:00Z'), closedAt: new Date('2025-03-20T09:00:00Z') })
    await createOpportunity(ctx.db, { ownerId: people.repB.id, amount: '50.00', currency: 'GBP', status: 'won', campaign: 'Spring Webinar', createdAt: new Date('2025-03-12T09:00:00Z'), closedAt: new Date('2025-03-20T09:00:00Z') })
    const res = await api(campaignsApi, '/api/v1/metrics/campaigns?from=2025-03-01&to=2025-03-31', 'marketing')
    const body = (await res.json()) as { campaigns: unknown[] }
    // 3000 ÷ 1000 = 3×; 1000 ÷ 4 leads = 250; 1000 ÷ 1 won EUR deal = 1000; the GBP deal is counted apart, never added.
    expect(body.campaigns).toEqual([
      { campaign: 'Spring Webinar', currency: 'EUR', cost: 1000, leads: 4, leadsConverted: 2, leadConversionRate: 0.5, opportunities: 2, won: 1, wonAmount: 3000, wonInOtherCurrencies: 1, roi: 3, costPerLead: 250, costPerWonDeal: 1000 },
    ])
  })
})

describe('GET /api/v1/metrics/forecast', () => {
  it('weights open deals by stage probability and by the rep’s win rate, against target', async () => {
    const team = await createTeam(ctx.db, { name: 'Forecast team' })
    const rep = await createPerson(ctx.db, { teamId: team.id })
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date())
    const monthStart = `${today.slice(0, 7)}-01`
    const next = new Date(`${monthStart}T12:00:00Z`)
    next.setUTCMonth(next.getUTCMonth() + 1)
    const nextStart = next.toISOString().slice(0, 10)
    const later = new Date(next)
    later.setUTCMonth(later.getUTCMonth() + 5)
    const now = Date.now()
    // History: 1 won of 4 closed in the last 12 months → the rep's win rate 0.25.
    for (let i = 0; i < 3; i++) await createOpportunity(ctx.db, { ownerId: rep.id, amount: '10.00', status: 'lost', createdAt: new Date(now - 50 * 86_400_000), closedAt: new Date(now - 40 * 86_400_000) })
    await createOpportunity(ctx.db, { ownerId: rep.id, amount: '500.00', status: 'won', createdAt: new Date(now - 60_000 * 2), closedAt: new Date(now - 60_000) })
    // Open: 1000 at 0.5 with no expected date → current; 2000 at 0.2 expected next month; 4000 beyond the next month → outside.
    await createOpportunity(ctx.db, { ownerId: rep.id, amount: '1000.00', probability: '0.5000', createdAt: new Date(now - 86_400_000) })
    await createOpportunity(ctx.db, { ownerId: rep.id, amount: '2000.00', probability: '0.2000', expectedCloseOn: `${nextStart.slice(0, 8)}06`, createdAt: new Date(now - 86_400_000) })
    await createOpportunity(ctx.db, { ownerId: rep.id, amount: '4000.00', probability: '0.9000', expectedCloseOn: later.toISOString().slice(0, 10), createdAt: new Date(now - 86_400_000) })
    await createTarget(ctx.db, { personId: rep.id, period: 'month', periodStart: monthStart, value: '2000.00', currency: 'EUR' })
    const res = await api(forecastApi, `/api/v1/metrics/forecast?groupBy=rep&period=month&team=${team.id}`, 'leader')
    const body = (await res.json()) as { rows: Record<string, unknown>[] }
    // Current: 500 won + 1000 × 0.5 = 1000 (stage), 500 + 1000 × 0.25 = 750 (win rate); ÷ 2000 target = 0.5.
    // Next: 2000 × 0.2 = 400 (stage), 2000 × 0.25 = 500 (win rate); no target.
    expect(body.rows.map((r) => [r.horizon, r.period, r.wonToDate, r.openOpportunities, r.forecastByStage, r.forecastByWinRate, r.target, r.forecastAttainmentByStage, r.forecastAttainmentByWinRate])).toEqual([
      ['current', monthStart, 500, 1, 1000, 750, 2000, 0.5, 0.375],
      ['next', nextStart, 0, 1, 400, 500, null, null, null],
    ])
  })
})

describe('dashboard permissions', () => {
  it('refuses employees with 403', async () => {
    const cookie = await signedInCookie(ctx, people.employee.id)
    const res = (await call(dashboard.loader, ctx, makeRequest('/funnel', { cookie }))) as Response
    expect(res.status).toBe(403)
    const rep = (await call(repPage.loader, ctx, makeRequest(`/funnel/reps/${people.repA.id}`, { cookie }), { personId: people.repA.id })) as Response
    expect(rep.status).toBe(403)
  })

  it('shows a manager only their own teams’ reps, and refuses other reps’ pages', async () => {
    const cookie = await signedInCookie(ctx, people.manager.id)
    const page = (await call(dashboard.loader, ctx, makeRequest('/funnel?period=month&from=2025-03-01&to=2025-03-31&sort=wonAmount&dir=desc', { cookie }))) as { reps: { group: { name: string }; currency: string; wonAmount: number }[]; seesEveryone: boolean }
    expect(page.seesEveryone).toBe(false)
    // Sorted by won amount, descending, without JavaScript (query parameters). Bruno: 500 + the 3000 campaign
    // deal in EUR, and his 50 GBP campaign deal on a row of its own. Olga (another team) is absent.
    expect(page.reps.map((r) => [r.group.name, r.currency, r.wonAmount])).toEqual([
      ['Bruno Rep', 'EUR', 3500],
      ['Anna Rep', 'EUR', 2000],
      ['Bruno Rep', 'GBP', 50],
    ])
    const asc = (await call(dashboard.loader, ctx, makeRequest('/funnel?period=month&from=2025-03-01&to=2025-03-31&sort=wonAmount&dir=asc', { cookie }))) as { reps: { group: { name: string } }[] }
    expect(asc.reps.map((r) => r.group.name)).toEqual(['Bruno Rep', 'Anna Rep', 'Bruno Rep'])
    const own = (await call(repPage.loader, ctx, makeRequest(`/funnel/reps/${people.repA.id}?period=month&from=2025-03-01&to=2025-03-31`, { cookie }), { personId: people.repA.id })) as { status: string; trend: { wonAmount: number }[] }
    expect(own.status).toBe('ok')
    expect(own.trend[0].wonAmount).toBe(2000)
    const other = (await call(repPage.loader, ctx, makeRequest(`/funnel/reps/${people.outsider.id}`, { cookie }), { personId: people.outsider.id })) as Response
    expect(other.status).toBe(403)
    const missing = (await call(repPage.loader, ctx, makeRequest('/funnel/reps/00000000-0000-4000-8000-000000000000', { cookie }), { personId: '00000000-0000-4000-8000-000000000000' })) as Response
    expect(missing.status).toBe(404)
  })

  it('lets marketing see the organisation’s top of the funnel and campaigns, no rep; only admins set targets', async () => {
    const cookie = await signedInCookie(ctx, people.marketing.id)
    const page = (await call(dashboard.loader, ctx, makeRequest('/funnel?period=month&from=2025-03-01&to=2025-03-31', { cookie }))) as { view: string; reps?: unknown[]; trend: unknown[]; campaigns: unknown[] | null }
    // Everyone's leads (Anna's four, two converted), no rep table (test/integration/funnel-top.test.ts tries the rest).
    expect(page.view).toBe('top')
    expect(page.reps).toBeUndefined()
    expect(page.trend).toEqual([{ period: '2025-03-01', group: { type: 'org', id: 'org', name: expect.any(String) }, leadsCreated: 4, leadsConverted: 2, leadConversionRate: 0.5 }])
    expect(page.campaigns).not.toBeNull()
    const hrCookie = await signedInCookie(ctx, people.hr.id)
    const hrPage = (await call(dashboard.loader, ctx, makeRequest('/funnel?period=month&from=2025-03-01&to=2025-03-31', { cookie: hrCookie }))) as { campaigns: unknown[] | null }
    expect(hrPage.campaigns).toBeNull()
    const refused = (await call(targetsPage.action, ctx, makeRequest('/funnel/targets', { cookie: hrCookie, form: { intent: 'set', owner: `person:${people.repB.id}`, period: 'month', periodStart: '2025-03-01', value: '1000', currency: 'EUR' } }))) as Response
    expect(refused.status).toBe(403)
    const adminCookie = await signedInCookie(ctx, people.admin.id)
    const bad = (await call(targetsPage.action, ctx, makeRequest('/funnel/targets', { cookie: adminCookie, form: { intent: 'set', owner: `person:${people.repB.id}`, period: 'quarter', periodStart: '2025-02-01', value: '-5', currency: 'EUR' } }))) as Response
    expect(bad.status).toBe(400)
    const ok = await call(targetsPage.action, ctx, makeRequest('/funnel/targets', { cookie: adminCookie, form: { intent: 'set', owner: `person:${people.repB.id}`, period: 'month', periodStart: '2025-03-01', value: '1000', currency: 'eur' } }))
    expect(ok).toMatchObject({ message: 'saved' })
    const rows = (await (await api(funnelApi, `/api/v1/metrics/funnel?groupBy=rep&period=month&from=2025-03-01&to=2025-03-31&team=${teamId}`, 'admin')).json()) as { rows: { group: { id: string }; quotaAttainment: number | null }[] }
    // Bruno: 500 + 3000 (the campaign deal) won in March ÷ 1000 = 3.5.
    expect(rows.rows.find((r) => r.group.id === people.repB.id)?.quotaAttainment).toBe(3.5)
  })
})
