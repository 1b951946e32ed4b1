import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { closeDeals, surveyRound } from '#test/support/insights-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { createApiKey } from '#test/support/response-factories'
import { Z_95 } from '~/insights/statistics'
import { loader as correlationApi } from '~/routes/api.v1.insights.correlation'
import { loader as home } from '~/routes/_index'
import { loader as printView } from '~/routes/dashboard.print'
import { loader as exportCsv } from '~/routes/dashboard.export[.]csv'

const ctx = await setupTestContext()
const db = ctx.db

type Rep = { id: string; name: string; email: string }
const reps: Rep[] = []
let extraRep: Rep
let sales: string, north: string, south: string, other: string
let hr: string, leader: string, admin: string, manager: string, otherManager: string, employee: string, marketing: string
const keys: Record<string, string> = {}

// Confidential round in Q1 2026: eNPS x = 2, 4, 5, 7, 8, 10 for reps A–F; in February each closes
// 4 deals and wins w = 1, 1, 2, 2, 3, 4, so the win rates are 0.25, 0.25, 0.5, 0.5, 0.75, 1.
const X = [2, 4, 5, 7, 8, 10]
const WON = [1, 1, 2, 2, 3, 4]
// Identified round in Q3 2025, deals closed in August.
const X_IDENTIFIED = [3, 3, 6, 6, 9, 9]
const WON_IDENTIFIED = [1, 2, 2, 3, 3, 4]

const Q1 = 'from=2026-01-01&to=2026-03-31&period=quarter&lag=0'
const Q3 = 'from=2025-07-01&to=2025-09-30&period=quarter&lag=0'

beforeAll(async () => {
  manager = (await createPerson(db, { name: 'Paola Manager', email: 'paola.manager@example.test' })).id
  otherManager = (await createPerson(db, { name: 'Oscar Othermanager', email: 'oscar@example.test' })).id
  sales = (await createTeam(db, { name: 'Sales' })).id
  north = (await createTeam(db, { name: 'North', parentId: sales })).id
  south = (await createTeam(db, { name: 'South', parentId: sales })).id
  other = (await createTeam(db, { name: 'Other' })).id
  await setTeamManager(db, sales, manager)
  await setTeamManager(db, other, otherManager)
  for (let i = 0; i < 6; i++) {
    const letter = 'ABCDEF'[i]
    const p = await createPerson(db, { name: `Zelda Rep${letter}`, email: `zelda.rep${letter.toLowerCase()}@example.test`, teamId: i < 3 ? north : south, managerId: manager })
    reps.push({ id: p.id, name: p.name, email: p.email })
  }
  const g = await createPerson(db, { name: 'Zelda RepG', email: 'zelda.repg@example.test', teamId: south, managerId: manager })
  extraRep = { id: g.id, name: g.name, email: g.email }
  await createPerson(db, { teamId: other, managerId: otherManager })
  hr = (await createPerson(db, { role: 'hr' })).id
  leader = (await createPerson(db, { role: 'leader' })).id
  admin = (await createPerson(db, { role: 'admin' })).id
  marketing = (await createPerson(db, { role: 'marketing' })).id
  employee = reps[0].id
  for (const role of ['hr', 'leader', 'admin', 'employee', 'marketing'] as const) keys[role] = await createApiKey(db, role)

  const teamOf = (i: number) => (i < 3 ? north : south)
  await surveyRound(db, { privacy: 'confidential', opensAt: '2026-01-12T08:00:00Z', submittedOn: '2026-01-13', answers: reps.map((r, i) => ({ personId: r.id, teamId: teamOf(i), enps: X[i], workload: 4 })) })
  // An anonymous round in the same quarter: it may feed team and period figures, never a rep's.
  await surveyRound(db, { privacy: 'anonymous', opensAt: '2026-02-16T08:00:00Z', submittedOn: '2026-02-17', answers: reps.map((r, i) => ({ personId: r.id, teamId: teamOf(i), enps: 0 })) })
  for (let i = 0; i < 6; i++) {
    // Reps A and B sell only to referrals: filtering on that lead source leaves 2 reps.
    await closeDeals(db, reps[i].id, { won: WON[i], lost: 4 - WON[i], closedAt: '2026-02-10T10:00:00Z', leadSource: i < 2 ? 'Referral' : 'Web' })
  }
  await closeDeals(db, extraRep.id, { won: 2, lost: 2, closedAt: '2026-02-10T10:00:00Z', leadSource: 'Web' })

  await surveyRound(db, { privacy: 'identified', opensAt: '2025-07-14T08:00:00Z', submittedOn: '2025-07-15', answers: reps.map((r, i) => ({ personId: r.id, teamId: teamOf(i), enps: X_IDENTIFIED[i] })) })
  for (let i = 0; i < 6; i++) await closeDeals(db, reps[i].id, { won: WON_IDENTIFIED[i], lost: 4 - WON_IDENTIFIED[i], closedAt: '2025-08-10T10:00:00Z' })
})

async function api(role: string, query: string) {
  const res = (await call(correlationApi, ctx, makeRequest(`/api/v1/insights/correlation?${query}`, { headers: { Authorization: `Bearer ${keys[role]}` } }))) as Response
  return { status: res.status, body: await res.json(), text: '' }
}

async function page(personId: string, query: string) {
  return call(home, ctx, makeRequest(`/?${query}`, { cookie: await signedInCookie(ctx, personId) }))
}

function expectNoRep(serialized: string) {
  for (const r of [...reps, extraRep]) {
    expect(serialized).not.toContain(r.id)
    expect(serialized).not.toContain(r.name)
    expect(serialized).not.toContain(r.email)
  }
  expect(serialized).not.toContain('Zelda')
}

describe('exact statistics through the SQL (identified round, level=rep)', () => {
  it('six reps: r, t, p, Fisher interval, Spearman ρ and exclusions', async () => {
    const { status, body } = await api('hr', `sentiment=enps&kpi=win_rate&level=rep&${Q3}`)
    expect(status).toBe(200)
    // By hand, with w the won counts (r is unchanged by the ÷4): x̄ = 6, w̄ = 2.5;
    // Sxx = 36, Sww = 5.5, Sxw = 12; r = 12/√198 ≈ 0.852803; 1 − r² = 3/11, t = r·√(4·11/3) = 12·√(2/27) ≈ 3.265986; df = 4.
    const r = 12 / Math.sqrt(198)
    expect(body.n).toBe(6)
    expect(body.pearson.r).toBeCloseTo(r, 12)
    expect(body.pearson.t).toBeCloseTo(12 * Math.sqrt(2 / 27), 10)
    // Two-sided p for t = 3.265986 on 4 df (R: 2*pt(-3.265986, 4) = 0.03092...)
    expect(body.pearson.p).toBeCloseTo(0.0309, 4)
    expect(body.pearson.ciLow).toBeCloseTo(Math.tanh(Math.atanh(r) - Z_95 / Math.sqrt(3)), 12)
    expect(body.pearson.ciHigh).toBeCloseTo(Math.tanh(Math.atanh(r) + Z_95 / Math.sqrt(3)), 12)
    // Average ranks: x 1.5, 1.5, 3.5, 3.5, 5.5, 5.5 and w 1, 2.5, 2.5, 4.5, 4.5, 6: ρ = 14/√(16·16.5) = 14/√264.
    expect(body.spearman.rho).toBeCloseTo(14 / Math.sqrt(264), 12)
    // Rep G is in the funnel but gave no identified answer: excluded, and never named.
    expect(body.excluded).toEqual({ total: 1, missingSentiment: 1, missingKpi: 0, nonFinite: 0, belowThreshold: 0 })
    expect(JSON.stringify(body)).not.toContain(extraRep.id)
  })
})

describe('confidential and anonymous: no per-rep figure of any kind reaches anyone', () => {
  it('the API answers not_published for every role allowed to call it, with no n, statistic or band', async () => {
    for (const role of ['hr', 'leader', 'admin']) {
      for (const sentiment of ['enps', 'driver:workload']) {
        const { status, body } = await api(role, `sentiment=${sentiment}&kpi=win_rate&level=rep&${Q1}`)
        expect(status).toBe(200)
        expect(body).toEqual({ suppressed: true, reason: 'not_published' })
        expectNoRep(JSON.stringify(body))
      }
    }
  })

  it('the dashboard loader, the print view and the CSV, for hr, leader, admin and the manager', async () => {
    for (const viewer of [hr, leader, admin, manager]) {
      const data = (await page(viewer, Q1)) as { kind: string; panels: { rep: Record<string, unknown> } }
      expect(data.kind).toBe('overlay')
      expect(data.panels.rep).toEqual({ suppressed: true, reason: 'not_published', fit: null, threshold: 5 })
      expectNoRep(JSON.stringify(data))
      const printed = await call(printView, ctx, makeRequest(`/dashboard/print?${Q1}`, { cookie: await signedInCookie(ctx, viewer) }))
      expectNoRep(JSON.stringify(printed))
      const csv = (await call(exportCsv, ctx, makeRequest(`/dashboard/export.csv?${Q1}`, { cookie: await signedInCookie(ctx, viewer) }))) as Response
      expect(csv.status).toBe(200)
      const text = await csv.text()
      expect(text).toContain('suppressed,not_published')
      expect(text).not.toContain('band')
      expectNoRep(text)
    }
    const audits = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where action = 'dashboard.exported'`)
    expect(audits[0].n).toBe(4)
  })
})

describe('identified: only the allowed roles get points', () => {
  it('hr, leader and admin keys get one point per rep, with names', async () => {
    for (const role of ['hr', 'leader', 'admin']) {
      const { body } = await api(role, `sentiment=enps&kpi=win_rate&level=rep&${Q3}`)
      expect(body.bands).toBeUndefined()
      expect(body.points).toHaveLength(6)
      expect(body.points.map((p: { label: string }) => p.label)).toEqual(reps.map((r) => r.name))
      expect(body.points[0]).toEqual({ id: reps[0].id, label: reps[0].name, x: 3, y: 0.25 })
    }
  })

  it('the reps’ manager sees points on the dashboard; another manager cannot open that team and sees none of them', async () => {
    const mine = (await page(manager, Q3)) as { panels: { rep: { points?: { id: string }[] } } }
    expect(mine.panels.rep.points?.map((p) => p.id).sort()).toEqual(reps.map((r) => r.id).sort())
    const refused = (await page(otherManager, `${Q3}&team=${sales}`)) as Response
    expect(refused.status).toBe(403)
    const theirs = await page(otherManager, Q3)
    expect((theirs as { filters: { teamId: string } }).filters.teamId).toBe(other)
    expectNoRep(JSON.stringify(theirs))
  })

  it('a manager never sees the organisation: the team filter defaults to their team and the org option is absent', async () => {
    const data = (await page(manager, Q1)) as { filters: { teamId: string }; teams: { id: string }[]; scopeKind: string }
    expect(data.scopeKind).toBe('teams')
    expect(data.filters.teamId).toBe(sales)
    expect(data.teams.map((t) => t.id).sort()).toEqual([sales, north, south].sort())
  })
})

describe('filters that narrow a group below the threshold suppress', () => {
  it('an identified sub-team of three reps, and a lead source only two reps sell to', async () => {
    for (const narrow of [`team=${north}`, 'leadSource=Web&team=' + north]) {
      const { status, body } = await api('hr', `sentiment=enps&kpi=win_rate&level=rep&${Q3}&${narrow}`)
      expect(status).toBe(200)
      expect(body).toEqual({ suppressed: true, reason: 'below_threshold' })
      const data = (await page(hr, `${Q3}&${narrow}`)) as { panels: { rep: Record<string, unknown>; team: Record<string, unknown> } }
      expect(data.panels.rep).toEqual({ suppressed: true, reason: 'below_threshold', fit: null, threshold: 5 })
    }
  })

  it('teams of three are suppressed at team level in every round, and their heatmap cells carry no figure', async () => {
    // Q3 2025 has only the identified round: three respondents in each sub-team.
    const { body } = await api('hr', `sentiment=enps&kpi=win_rate&level=team&${Q3}`)
    expect(body).toEqual({ suppressed: true, reason: 'below_threshold' })
    // Q1 2026 has two rounds of three respondents per sub-team each: no round passes for North or
    // South, so the quarter does not either (two rounds of three never add up to a group of six).
    const q1 = await api('hr', `sentiment=enps&kpi=win_rate&level=team&${Q1}`)
    expect(q1.body).toEqual({ suppressed: true, reason: 'below_threshold' })
    const data = (await page(hr, Q1)) as { heatmap: { cells: { teamId: string; mean: number | null; n: number | null }[] } }
    const cells = data.heatmap.cells.filter((c) => c.teamId === north || c.teamId === south)
    expect(cells).toHaveLength(2)
    for (const c of cells) expect(c).toMatchObject({ mean: null, n: null })
    // Sales answered workload in the confidential round (6 of 4) but nobody did in the anonymous round,
    // which asks it too: a round with no answer is told apart from one with too few by nothing, so the
    // quarter is not published for the driver.
    expect(data.heatmap.cells.find((c) => c.teamId === sales)).toMatchObject({ mean: null, n: null })
  })
})

describe('permissions', () => {
  it('employee and marketing keys get 403 from the API; no key is 401', async () => {
    for (const role of ['employee', 'marketing']) expect((await api(role, `level=rep&${Q1}`)).status).toBe(403)
    const res = (await call(correlationApi, ctx, makeRequest(`/api/v1/insights/correlation?${Q1}`))) as Response
    expect(res.status).toBe(401)
  })

  it('employee and marketing get their personal home, no org panels, and 403 on print and export', async () => {
    for (const viewer of [employee, marketing]) {
      const data = (await page(viewer, Q1)) as Record<string, unknown>
      expect(data.kind).toBe('personal')
      expect(Object.keys(data).sort()).toEqual(['kind', 'name', 'oneOnOnes', 'openSurveys'])
      const cookie = await signedInCookie(ctx, viewer)
      expect(((await call(printView, ctx, makeRequest(`/dashboard/print?${Q1}`, { cookie }))) as Response).status).toBe(403)
      expect(((await call(exportCsv, ctx, makeRequest(`/dashboard/export.csv?${Q1}`, { cookie }))) as Response).status).toBe(403)
    }
  })
})
