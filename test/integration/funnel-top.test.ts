import { beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '#db/schema/people'
import type { ScopeSubject } from '~/auth/scope.server'
import type { AppContext } from '~/context'
import { seedBenchmarks } from '~/funnel/benchmarks.server'
import { campaignMetrics } from '~/funnel/campaigns.server'
import { forecast } from '~/funnel/forecast.server'
import { customerLifetime, funnelMetrics, leadFunnel, segmentBreakdown, stageConversion } from '~/funnel/kpi.server'
import { FunnelViewError, TOP_OF_FUNNEL_ONLY } from '~/funnel/scope.server'
import * as campaignsApi from '~/routes/api.v1.metrics.campaigns'
import * as forecastApi from '~/routes/api.v1.metrics.forecast'
import * as funnelApi from '~/routes/api.v1.metrics.funnel'
import * as openapi from '~/routes/api.v1.openapi[.]json'
import * as benchmarksPage from '~/routes/funnel.benchmarks'
import * as dashboard from '~/routes/funnel._index'
import * as repPage from '~/routes/funnel.reps.$personId'
import * as targetsPage from '~/routes/funnel.targets'
import { createApiKey } from '~/settings/api-keys.server'
import { getSettings } from '~/settings/settings.server'
import { navItems } from '~/ui/nav'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { createCampaign, createLead, createOpportunity, createTarget } from '#test/support/kpi-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

/**
 * Marketing (funnel:top) sees the top of the funnel only: leads, lead conversion by source and
 * campaign, campaign ROI and costs, organisation-wide; never a rep's figures, quotas, targets or
 * forecasts. Every refusal is tried on the page loaders, the API with a marketing key and the
 * query layer itself, and the bodies are searched for every rep's id, name, email and amount.
 * (The funnel has no CSV export.)
 */
let ctx: AppContext
let orgName: string
const keys = {} as Record<Role, string>
const cookies = {} as Record<'marketing' | 'marketingManager' | 'hr' | 'admin', string>
const reps = {} as Record<'anna' | 'bruno' | 'olga', { id: string; name: string; email: string }>
let roma: string
let marketingSubject: ScopeSubject

// Per rep (March 2025): Anna won 1234.56 (campaign) + 2000.00 = 3234.56, target 5555.55;
// Bruno won 4321.09 (campaign) + 1000.00 = 5321.09; Olga won 9876.54 and has 7777.77 open.
const secretAmounts = ['1234.56', '3234.56', '4321.09', '5321.09', '9876.54', '7777.77', '5555.55', '18432.19', '0.5822']
const Q = 'period=month&from=2025-02-01&to=2025-03-31'

beforeAll(async () => {
  ctx = await setupTestContext()
  orgName = (await getSettings(ctx.db)).orgName
  await seedBenchmarks(ctx.db)
  for (const role of ['admin', 'hr', 'leader', 'marketing', 'employee'] as const) keys[role] = (await createApiKey(ctx.db, { name: `${role} key`, role })).key
  roma = (await createTeam(ctx.db, { name: 'Roma Top' })).id
  const milano = (await createTeam(ctx.db, { name: 'Milano Top' })).id
  const paola = await createPerson(ctx.db, { name: 'Paola Capoteam', teamId: roma })
  await setTeamManager(ctx.db, roma, paola.id)
  const person = async (name: string, teamId: string, managerId?: string) => {
    const p = await createPerson(ctx.db, { name, teamId, managerId })
    return { id: p.id, name: p.name, email: p.email }
  }
  reps.anna = await person('Annabella Quotaqueen', roma, paola.id)
  reps.bruno = await person('Brunilde Pipelina', roma, paola.id)
  const marketingManager = await createPerson(ctx.db, { role: 'marketing', name: 'Mara Brandmanager', teamId: milano })
  reps.olga = await person('Olgarita Forecasta', milano, marketingManager.id)
  const marketing = await createPerson(ctx.db, { role: 'marketing', name: 'Marco Marketing' })
  marketingSubject = { viewer: { id: marketing.id, role: 'marketing' } }
  cookies.marketing = await signedInCookie(ctx, marketing.id)
  cookies.marketingManager = await signedInCookie(ctx, marketingManager.id)
  cookies.hr = await signedInCookie(ctx, (await createPerson(ctx.db, { role: 'hr' })).id)
  cookies.admin = await signedInCookie(ctx, (await createPerson(ctx.db, { role: 'admin' })).id)

  const won = (ownerId: string, amount: string, campaign: string | null, day: string) =>
    createOpportunity(ctx.db, { ownerId, amount, status: 'won', campaign, createdAt: new Date(`2025-03-${day}T09:00:00Z`), closedAt: new Date(`2025-03-${day}T15:00:00Z`) })
  await won(reps.anna.id, '1234.56', 'Spring Webinar', '03')
  await won(reps.anna.id, '2000.00', null, '04')
  await won(reps.bruno.id, '4321.09', 'Spring Webinar', '05')
  await won(reps.bruno.id, '1000.00', null, '06')
  await won(reps.olga.id, '9876.54', null, '07')
  await createOpportunity(ctx.db, { ownerId: reps.olga.id, amount: '7777.77', createdAt: new Date('2025-03-08T09:00:00Z') })
  await createTarget(ctx.db, { personId: reps.anna.id, period: 'month', periodStart: '2025-03-01', value: '5555.55', currency: 'EUR' })
  await createCampaign(ctx.db, { name: 'Spring Webinar', cost: '2000.00', currency: 'EUR' })
  const lead = (ownerId: string, day: string, source: string | null, converted: boolean, campaign: string | null = null) =>
    createLead(ctx.db, { ownerId, leadSource: source, campaign, createdAt: new Date(`${day}T09:00:00Z`), convertedAt: converted ? new Date(`${day}T12:00:00Z`) : null })
  // March: Anna 4 webinar leads (2 converted), Bruno 3 referrals (1), Olga 2 without a source (0). February: Olga 1 webinar lead, converted.
  for (let i = 0; i < 4; i++) await lead(reps.anna.id, '2025-03-10', 'Webinar', i < 2, 'Spring Webinar')
  for (let i = 0; i < 3; i++) await lead(reps.bruno.id, '2025-03-11', 'Referral', i < 1)
  for (let i = 0; i < 2; i++) await lead(reps.olga.id, '2025-03-12', null, false)
  await lead(reps.olga.id, '2025-02-14', 'Webinar', true)
})

/** Nothing of any rep in a body: no id, name, email or amount of theirs. */
function expectNoRepFigures(body: string) {
  for (const rep of Object.values(reps)) {
    expect(body).not.toContain(rep.id)
    expect(body).not.toContain(rep.name)
    expect(body).not.toContain(rep.email)
  }
  expect(body).not.toContain('Paola Capoteam')
  for (const amount of secretAmounts) expect(body, amount).not.toContain(amount)
}

const page = (path: string, cookie: string) => call(dashboard.loader, ctx, makeRequest(path, { cookie }))
const api = async (mod: { loader: (args: never) => unknown }, path: string, role: Role) => (await call(mod.loader as never, ctx, makeRequest(path, { headers: { Authorization: `Bearer ${keys[role]}` } }))) as Response
const org = () => ({ type: 'org', id: 'org', name: orgName })
const topTrend = () => [
  { period: '2025-02-01', group: org(), leadsCreated: 1, leadsConverted: 1, leadConversionRate: 1 },
  { period: '2025-03-01', group: org(), leadsCreated: 9, leadsConverted: 3, leadConversionRate: 0.3333 },
]
// 4 leads, 2 converted; 2 won deals: 1234.56 + 4321.09 = 5555.65; ÷ 2000 = 2.7778; 2000 ÷ 4 = 500; 2000 ÷ 2 = 1000.
const springWebinar = { campaign: 'Spring Webinar', currency: 'EUR', cost: 2000, leads: 4, leadsConverted: 2, leadConversionRate: 0.5, opportunities: 2, won: 2, wonAmount: 5555.65, wonInOtherCurrencies: 0, roi: 2.7778, costPerLead: 500, costPerWonDeal: 1000 }

describe('the funnel page as marketing', () => {
  it('shows the organisation’s leads, their conversion by source and industry, and campaigns — nothing per rep, no quota, no forecast', async () => {
    const data = (await page(`/funnel?${Q}`, cookies.marketing)) as Record<string, unknown>
    expect(Object.keys(data).sort()).toEqual(['benchmarks', 'byIndustry', 'bySource', 'campaigns', 'from', 'industry', 'isAdmin', 'leadSource', 'options', 'period', 'seesEveryone', 'to', 'trend', 'view'])
    expect(data).toMatchObject({ view: 'top', period: 'month', from: '2025-02-01', to: '2025-03-31', leadSource: null, industry: null, seesEveryone: true, isAdmin: false })
    expect(data.trend).toEqual(topTrend())
    expect(data.bySource).toEqual([
      { segment: 'Referral', leadsCreated: 3, leadsConverted: 1, leadConversionRate: 0.3333 },
      { segment: 'Webinar', leadsCreated: 5, leadsConverted: 3, leadConversionRate: 0.6 },
      { segment: null, leadsCreated: 2, leadsConverted: 0, leadConversionRate: 0 },
    ])
    expect(data.byIndustry).toEqual([{ segment: null, leadsCreated: 10, leadsConverted: 4, leadConversionRate: 0.4 }])
    expect(data.campaigns).toEqual([springWebinar])
    expect((data.benchmarks as { metric: string }[]).map((b) => b.metric)).toEqual(['leadConversionRate'])
    expect(data.options).toEqual({ leadSources: ['Referral', 'Webinar'], industries: [] })
    expectNoRepFigures(JSON.stringify(data))
  })

  it('filters by lead source, and ignores a team filter: the view is organisation-wide', async () => {
    const webinar = (await page(`/funnel?${Q}&leadSource=Webinar`, cookies.marketing)) as { trend: unknown[]; campaigns: unknown[] }
    expect(webinar.trend).toEqual([
      { period: '2025-02-01', group: org(), leadsCreated: 1, leadsConverted: 1, leadConversionRate: 1 },
      { period: '2025-03-01', group: org(), leadsCreated: 4, leadsConverted: 2, leadConversionRate: 0.5 },
    ])
    const withTeam = (await page(`/funnel?${Q}&team=${roma}`, cookies.marketing)) as Record<string, unknown>
    expect(withTeam).toEqual(await page(`/funnel?${Q}`, cookies.marketing))
    expectNoRepFigures(JSON.stringify(withTeam))
  })

  it('gives a marketing person who manages people the same view', async () => {
    const data = (await page(`/funnel?${Q}`, cookies.marketingManager)) as { view: string; trend: unknown }
    expect(data.view).toBe('top')
    expect(data.trend).toEqual(topTrend())
    expectNoRepFigures(JSON.stringify(data))
  })

  it('refuses the rep pages (403), even of a marketing manager’s own report', async () => {
    for (const [cookie, rep] of [[cookies.marketing, reps.anna], [cookies.marketingManager, reps.olga]] as const) {
      const res = (await call(repPage.loader, ctx, makeRequest(`/funnel/reps/${rep.id}?${Q}`, { cookie }), { personId: rep.id })) as Response
      expect(res).toBeInstanceOf(Response)
      expect(res.status).toBe(403)
      const body = await res.text()
      expect(body).toBe('Forbidden')
    }
  })

  it('refuses the targets page and setting a target (403), and leaves the published benchmarks readable', async () => {
    const loader = (await call(targetsPage.loader, ctx, makeRequest('/funnel/targets', { cookie: cookies.marketing }))) as Response
    expect(loader.status).toBe(403)
    expect(await loader.text()).toBe('Forbidden')
    const action = (await call(targetsPage.action, ctx, makeRequest('/funnel/targets', { cookie: cookies.marketing, form: { intent: 'set', owner: `person:${reps.anna.id}`, period: 'month', periodStart: '2025-03-01', value: '1', currency: 'EUR' } }))) as Response
    expect(action.status).toBe(403)
    const benchmarks = (await call(benchmarksPage.loader, ctx, makeRequest('/funnel/benchmarks', { cookie: cookies.marketing }))) as { benchmarks: unknown[]; canEdit: boolean }
    expect(benchmarks.canEdit).toBe(false)
    expect(benchmarks.benchmarks).toHaveLength(3)
  })

  it('keeps the funnel in the navigation for marketing', () => {
    expect(navItems.find((i) => i.to === '/funnel')!.when({ role: 'marketing', isManager: false })).toBe(true)
    expect(navItems.find((i) => i.to === '/funnel')!.when({ role: 'employee', isManager: false })).toBe(false)
  })
})

describe('the API with a marketing key', () => {
  const refusal = { error: { code: 'forbidden', message: TOP_OF_FUNNEL_ONLY, details: { view: 'top' } } }

  it('refuses funnel rows per rep (the default) and per team, and a team filter, with 403 and the reason', async () => {
    for (const query of [Q, `groupBy=rep&${Q}`, `groupBy=team&${Q}`, `groupBy=org&${Q}&team=${roma}`]) {
      const res = await api(funnelApi, `/api/v1/metrics/funnel?${query}`, 'marketing')
      expect(res.status, query).toBe(403)
      const body = await res.text()
      expect(JSON.parse(body), query).toEqual(refusal)
      expectNoRepFigures(body)
    }
  })

  it('refuses the forecast with 403', async () => {
    for (const query of ['', '?groupBy=rep', '?groupBy=org&period=quarter']) {
      const res = await api(forecastApi, `/api/v1/metrics/forecast${query}`, 'marketing')
      expect(res.status, query).toBe(403)
      const body = await res.text()
      expect(JSON.parse(body)).toEqual({ error: { code: 'forbidden', message: 'This API key (role marketing) may not use this endpoint; it needs the funnel:org permission.', details: {} } })
      expectNoRepFigures(body)
    }
  })

  it('answers the organisation’s lead rows (groupBy=org), also by lead source, the same as the page', async () => {
    const res = await api(funnelApi, `/api/v1/metrics/funnel?groupBy=org&${Q}`, 'marketing')
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(JSON.parse(body)).toEqual({ rows: topTrend() })
    expectNoRepFigures(body)
    const referral = (await (await api(funnelApi, `/api/v1/metrics/funnel?groupBy=org&${Q}&leadSource=Referral`, 'marketing')).json()) as { rows: unknown[] }
    expect(referral.rows).toEqual([
      { period: '2025-02-01', group: org(), leadsCreated: 0, leadsConverted: 0, leadConversionRate: null },
      { period: '2025-03-01', group: org(), leadsCreated: 3, leadsConverted: 1, leadConversionRate: 0.3333 },
    ])
  })

  it('answers campaigns organisation-wide, and refuses a team filter on them', async () => {
    const res = await api(campaignsApi, '/api/v1/metrics/campaigns?from=2025-03-01&to=2025-03-31', 'marketing')
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(JSON.parse(body)).toEqual({ campaigns: [springWebinar] })
    expectNoRepFigures(body)
    const team = await api(campaignsApi, `/api/v1/metrics/campaigns?from=2025-03-01&to=2025-03-31&team=${roma}`, 'marketing')
    expect(team.status).toBe(403)
    expect(await team.json()).toEqual(refusal)
    // An admin key still narrows campaigns to a team.
    expect((await api(campaignsApi, `/api/v1/metrics/campaigns?from=2025-03-01&to=2025-03-31&team=${roma}`, 'admin')).status).toBe(200)
  })

  it('documents both permissions of the funnel endpoint in the OpenAPI document', async () => {
    const doc = (await ((await call(openapi.loader as never, ctx, makeRequest('/api/v1/openapi.json'))) as Response).json()) as { paths: Record<string, { get: { description: string } }> }
    expect(doc.paths['/metrics/funnel'].get.description).toBe('Requires an API key whose role has the `funnel:org` or the `funnel:top` permission.')
    expect(doc.paths['/metrics/forecast'].get.description).toBe('Requires an API key whose role has the `funnel:org` permission.')
  })
})

describe('the query layer for a top-of-funnel scope', () => {
  const window = { from: '2025-03-01', to: '2025-03-31' }

  it('refuses every figure beyond the top of the funnel', async () => {
    const refusals: [string, Promise<unknown>][] = [
      ['Funnel figures', funnelMetrics(ctx.db, { scope: marketingSubject, groupBy: 'org', period: 'month', ...window })],
      ['Funnel figures', funnelMetrics(ctx.db, { scope: marketingSubject, groupBy: 'rep', period: 'window', ...window })],
      ['The forecast', forecast(ctx.db, { scope: marketingSubject, groupBy: 'org', period: 'month' })],
      ['Stage conversion', stageConversion(ctx.db, { scope: marketingSubject, ...window })],
      ['Deal figures per segment', segmentBreakdown(ctx.db, { scope: marketingSubject, ...window, dimension: 'lead_source' })],
      ['Customer lifetime revenue', customerLifetime(ctx.db, { scope: marketingSubject })],
      ['A team filter', campaignMetrics(ctx.db, { scope: marketingSubject, ...window, teamId: roma })],
    ]
    for (const [refused, promise] of refusals) {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      )
      expect(error, refused).toBeInstanceOf(FunnelViewError)
      expect((error as FunnelViewError).message).toBe(`${refused} refused: ${TOP_OF_FUNNEL_ONLY}`)
    }
  })

  it('counts leads exactly as the KPI engine does for a full view', async () => {
    const full = await funnelMetrics(ctx.db, { scope: { viewer: { id: null, role: 'admin' } }, groupBy: 'org', period: 'month', from: '2025-02-01', to: '2025-03-31' })
    const top = await leadFunnel(ctx.db, { scope: marketingSubject, period: 'month', from: '2025-02-01', to: '2025-03-31' })
    expect(top).toEqual(full.map((r) => ({ period: r.period, group: r.group, leadsCreated: r.leadsCreated, leadsConverted: r.leadsConverted, leadConversionRate: r.leadConversionRate })))
  })
})

describe('every other role, unchanged', () => {
  it('gives hr and admin the full funnel with every rep, quotas and the forecast', async () => {
    for (const cookie of [cookies.hr, cookies.admin]) {
      const data = (await page(`/funnel?period=month&from=2025-03-01&to=2025-03-31`, cookie)) as { view: string; reps: { group: { name: string }; wonAmount: number; quotaAttainment: number | null }[]; forecast: unknown[]; teams: unknown[] }
      expect(data.view).toBe('full')
      expect(data.reps.map((r) => [r.group.name, r.wonAmount, r.quotaAttainment])).toEqual([
        ['Olgarita Forecasta', 9876.54, null],
        ['Brunilde Pipelina', 5321.09, null],
        ['Annabella Quotaqueen', 3234.56, 0.5822],
      ])
      expect(Array.isArray(data.forecast) && Array.isArray(data.teams)).toBe(true)
    }
  })

  it('lets hr and leader keys read rep rows and the forecast', async () => {
    for (const role of ['hr', 'leader', 'admin'] as const) {
      const res = await api(funnelApi, `/api/v1/metrics/funnel?groupBy=rep&period=month&from=2025-03-01&to=2025-03-31&team=${roma}`, role)
      expect(res.status, role).toBe(200)
      const rows = ((await res.json()) as { rows: { group: { id: string }; wonAmount: number; target: number | null }[] }).rows
      expect(rows.map((r) => [r.group.id, r.wonAmount, r.target])).toEqual([
        [reps.anna.id, 3234.56, 5555.55],
        [reps.bruno.id, 5321.09, null],
      ])
      expect((await api(forecastApi, '/api/v1/metrics/forecast', role)).status, role).toBe(200)
    }
    expect((await api(funnelApi, `/api/v1/metrics/funnel?${Q}`, 'employee')).status).toBe(403)
  })
})
