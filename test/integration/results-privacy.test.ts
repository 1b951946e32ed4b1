import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { setupTestContext } from '#test/support/context'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { answerEnps, createApiKey, createRound, createSurvey } from '#test/support/response-factories'
import { shuffleComments } from '~/responses/anonymity'
import { loader as enpsApi } from '~/routes/api.v1.metrics.enps'
import { loader as driversApi } from '~/routes/api.v1.metrics.drivers'
import { loader as resultsIndex } from '~/routes/results._index'
import { loader as resultsPage } from '~/routes/results.$surveyId'
import { loader as exportCsv } from '~/routes/results.$surveyId_.export[.]csv'
import type { SurveyResults } from '~/responses/results.server'

const ctx = await setupTestContext()
const db = ctx.db

type Team = { id: string; members: string[] }
let alpha: Team, bravo: Team, charlie: Team
let hr: string, leader: string, admin: string, managerA: string, employee: string, marketing: string
const surveysById: Record<string, string> = {}
const rounds: Record<string, string> = {}

async function team(name: string, size: number, managerId?: string): Promise<Team> {
  const t = await createTeam(db, { name })
  const members: string[] = []
  for (let i = 0; i < size; i++) members.push((await createPerson(db, { teamId: t.id, managerId: managerId ?? null })).id)
  return { id: t.id, members }
}

beforeAll(async () => {
  managerA = (await createPerson(db, { name: 'Paolo Ferrari' })).id
  alpha = await team('Alpha', 6, managerA)
  await setTeamManager(db, alpha.id, managerA)
  bravo = await team('Bravo', 4)
  charlie = await team('Charlie', 6)
  hr = (await createPerson(db, { role: 'hr' })).id
  leader = (await createPerson(db, { role: 'leader' })).id
  admin = (await createPerson(db, { role: 'admin' })).id
  employee = alpha.members[5]
  marketing = (await createPerson(db, { role: 'marketing' })).id

  // January: five respondents in Alpha (2 promoters, 1 passive, 2 detractors) and nobody else.
  const jan = await createSurvey(db, { title: 'January eNPS' })
  surveysById.jan = jan.id
  const r1 = await createRound(db, { surveyId: jan.id, opensAt: '2026-01-12T08:00:00Z' })
  rounds.jan = r1.id
  const scores = [10, 9, 8, 6, 3]
  const comments = ['Great team', '=HYPERLINK("http://evil.example","click")', 'Too many reports', 'Quota is unfair', 'Love the new CRM']
  await answerEnps(db, r1, alpha.members.slice(0, 5).map((p, i) => ({ personId: p, teamId: alpha.id, score: scores[i], comment: comments[i], workload: 4 })), '2026-01-13')

  // February: only four respondents in Alpha.
  const feb = await createSurvey(db, { title: 'February eNPS' })
  surveysById.feb = feb.id
  const r2 = await createRound(db, { surveyId: feb.id, opensAt: '2026-02-09T08:00:00Z' })
  rounds.feb = r2.id
  await answerEnps(db, r2, alpha.members.slice(0, 4).map((p) => ({ personId: p, teamId: alpha.id, score: 9, comment: 'secret', workload: 2 })), '2026-02-10')

  // March: Alpha 5, Bravo 4, Charlie 6 — the organisation (15) is shown, Bravo is below the
  // threshold, so Alpha (the next smallest) must be hidden too or Bravo = org − Alpha − Charlie.
  const mar = await createSurvey(db, { title: 'March eNPS' })
  surveysById.mar = mar.id
  const r3 = await createRound(db, { surveyId: mar.id, opensAt: '2026-03-09T08:00:00Z' })
  rounds.mar = r3.id
  await answerEnps(db, r3, alpha.members.slice(0, 5).map((p) => ({ personId: p, teamId: alpha.id, score: 10, workload: 5 })), '2026-03-10')
  await answerEnps(db, r3, bravo.members.map((p) => ({ personId: p, teamId: bravo.id, score: 2, workload: 1 })), '2026-03-10')
  await answerEnps(db, r3, charlie.members.map((p) => ({ personId: p, teamId: charlie.id, score: 8, workload: 3 })), '2026-03-10')

  // April: comments threshold 6 with five respondents → scores shown, comments hidden.
  const apr = await createSurvey(db, { title: 'April eNPS' })
  surveysById.apr = apr.id
  const r4 = await createRound(db, { surveyId: apr.id, opensAt: '2026-04-13T08:00:00Z', thresholdComments: 6 })
  rounds.apr = r4.id
  await answerEnps(db, r4, charlie.members.slice(0, 5).map((p) => ({ personId: p, teamId: charlie.id, score: 9, comment: 'hidden words' })), '2026-04-14')

  // May: the same person answers twice in the month: only the latest answer (10) counts, once.
  const may = await createSurvey(db, { title: 'May eNPS' })
  surveysById.may = may.id
  const r5a = await createRound(db, { surveyId: may.id, opensAt: '2026-05-04T08:00:00Z' })
  const r5b = await createRound(db, { surveyId: may.id, opensAt: '2026-05-18T08:00:00Z' })
  await answerEnps(db, r5a, charlie.members.map((p) => ({ personId: p, teamId: charlie.id, score: 3 })), '2026-05-05')
  await answerEnps(db, r5b, charlie.members.map((p) => ({ personId: p, teamId: charlie.id, score: 10 })), '2026-05-19')

  // June: an identified survey in Alpha (5) and Charlie (6).
  const jun = await createSurvey(db, { title: 'June check-in', privacy: 'identified' })
  surveysById.jun = jun.id
  const r6 = await createRound(db, { surveyId: jun.id, opensAt: '2026-06-08T08:00:00Z', privacy: 'identified' })
  rounds.jun = r6.id
  await answerEnps(db, r6, alpha.members.slice(0, 5).map((p) => ({ personId: p, teamId: alpha.id, score: 7 })), '2026-06-09')
  await answerEnps(db, r6, charlie.members.map((p) => ({ personId: p, teamId: charlie.id, score: 8 })), '2026-06-09')
})

async function page(personId: string, surveyId: string, query = '') {
  return call(resultsPage, ctx, makeRequest(`/results/${surveyId}${query}`, { cookie: await signedInCookie(ctx, personId) }), { surveyId })
}
async function results(personId: string, surveyId: string, query = ''): Promise<SurveyResults> {
  const data = (await page(personId, surveyId, query)) as { results: SurveyResults }
  expect(data).toHaveProperty('results')
  return data.results
}
async function csv(personId: string, surveyId: string, query = '') {
  const response = (await call(exportCsv, ctx, makeRequest(`/results/${surveyId}/export.csv${query}`, { cookie: await signedInCookie(ctx, personId) }), { surveyId })) as Response
  expect(response.status).toBe(200)
  return response.text()
}
async function api(loader: typeof enpsApi, role: 'admin' | 'hr' | 'employee' | 'marketing' | 'leader', query: string) {
  const key = await createApiKey(db, role)
  return (await loader({ request: makeRequest(`/api/v1/metrics/enps?${query}`, { headers: { Authorization: `Bearer ${key}` } }), params: {}, context: { app: ctx } })) as Response
}

describe('threshold of five respondents', () => {
  it('shows five respondents with the exact eNPS and 95% interval', async () => {
    const r = await results(hr, surveysById.jan, `?team=${alpha.id}`)
    // 2 promoters, 1 passive, 2 detractors of 5: eNPS 0; var = (0.4 + 0.4 − 0)/5 = 0.16, half-width 1.96·0.4 = 0.784.
    expect(r.selected.enps).toEqual({ suppressed: false, n: 5, promoters: 2, passives: 1, detractors: 2, enps: 0, ciLow: -78.4, ciHigh: 78.4 })
    expect(r.selected.questions.find((q) => q.key === 'enps')!.figures).toEqual({
      suppressed: false,
      n: 5,
      answers: 5,
      mean: 7.2,
      distribution: [3, 6, 8, 9, 10].map((value) => ({ value, count: 1 })),
    })
    const response = await api(enpsApi, 'hr', 'groupBy=team&period=month&from=2026-01-01&to=2026-01-31')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      window: { unit: 'month', from: '2026-01-01', to: '2026-01-31', requested: { from: '2026-01-01', to: '2026-01-31' } }, 
      rows: [{ period: '2026-01-01', group: { type: 'team', id: alpha.id, name: 'Alpha' }, rounds: 1, n: 5, promoters: 2, passives: 1, detractors: 2, enps: 0, ciLow: -78.4, ciHigh: 78.4 }],
    })
  })

  it('suppresses four respondents on the page, in the CSV export and in the API', async () => {
    const r = await results(hr, surveysById.feb, `?team=${alpha.id}`)
    expect(r.selected.respondents).toEqual({ suppressed: true, reason: 'below_threshold' })
    expect(r.selected.enps).toEqual({ suppressed: true, reason: 'below_threshold' })
    expect(r.selected.questions.find((q) => q.key === 'enps')!.figures).toEqual({ suppressed: true, reason: 'below_threshold' })
    expect(r.selected.comments).toEqual({ suppressed: true, reason: 'below_threshold' })
    expect(r.heatmap.cells.every((c) => c.figures.suppressed)).toBe(true)
    expect(r.trend.find((p) => p.roundId === rounds.feb)!.enps).toEqual({ suppressed: true, reason: 'below_threshold' })
    expect(JSON.stringify(r)).not.toContain('secret')

    const text = await csv(hr, surveysById.feb, `?team=${alpha.id}`)
    expect(text).toContain('Not enough responses')
    const italian = await createPerson(db, { role: 'hr', locale: 'it' })
    expect(await csv(italian.id, surveysById.feb, `?team=${alpha.id}`)).toContain('Risposte insufficienti')
    expect(text).not.toContain('secret')
    expect(text).not.toMatch(/eNPS,4,/)

    const response = await api(enpsApi, 'hr', 'groupBy=team&period=month&from=2026-02-01&to=2026-02-28')
    expect(await response.json()).toEqual({ window: { unit: 'month', from: '2026-02-01', to: '2026-02-28', requested: { from: '2026-02-01', to: '2026-02-28' } }, rows: [{ period: '2026-02-01', group: { type: 'team', id: alpha.id, name: 'Alpha' }, suppressed: true, reason: 'below_threshold' }] })
    const drivers = await api(driversApi, 'hr', 'groupBy=org&period=month&from=2026-02-01&to=2026-02-28')
    expect(await drivers.json()).toEqual({ window: { unit: 'month', from: '2026-02-01', to: '2026-02-28', requested: { from: '2026-02-01', to: '2026-02-28' } }, rows: [{ period: '2026-02-01', group: { type: 'org', id: null, name: 'Pulseboard' }, driver: 'workload', suppressed: true, reason: 'below_threshold' }] })
  })

  it('prevents sibling subtraction: one hidden team hides the next smallest, in the API and on the page', async () => {
    const response = await api(enpsApi, 'hr', 'groupBy=team&period=month&from=2026-03-01&to=2026-03-31')
    const rows = ((await response.json()) as { rows: { group: { name: string }; suppressed?: true; reason?: string; n?: number }[] }).rows
    const byName = Object.fromEntries(rows.map((r) => [r.group.name, r]))
    expect(byName.Alpha).toEqual({ period: '2026-03-01', group: { type: 'team', id: alpha.id, name: 'Alpha' }, suppressed: true, reason: 'sibling_protection' })
    expect(byName.Bravo).toEqual({ period: '2026-03-01', group: { type: 'team', id: bravo.id, name: 'Bravo' }, suppressed: true, reason: 'below_threshold' })
    // Charlie: six passives (8) → eNPS 0, interval collapses to the score.
    expect(byName.Charlie).toEqual({ period: '2026-03-01', group: { type: 'team', id: charlie.id, name: 'Charlie' }, rounds: 1, n: 6, promoters: 0, passives: 6, detractors: 0, enps: 0, ciLow: 0, ciHigh: 0 })
    const org = await api(enpsApi, 'hr', 'groupBy=org&period=month&from=2026-03-01&to=2026-03-31')
    expect(((await org.json()) as { rows: { n: number; enps: number }[] }).rows[0]).toMatchObject({ n: 15, promoters: 5, passives: 6, detractors: 4 })

    const r = await results(hr, surveysById.mar)
    const byGroup = Object.fromEntries(r.byGroup.map((g) => [g.group.name, g]))
    expect(byGroup.Alpha.enps).toEqual({ suppressed: true, reason: 'sibling_protection' })
    expect(byGroup.Bravo.enps).toEqual({ suppressed: true, reason: 'below_threshold' })
    expect(byGroup.Charlie.enps).toMatchObject({ suppressed: false, n: 6 })
    const alphaPage = await results(hr, surveysById.mar, `?team=${alpha.id}`)
    expect(alphaPage.selected.enps).toEqual({ suppressed: true, reason: 'sibling_protection' })
    const heat = r.heatmap.cells.filter((c) => c.driver === 'workload')
    expect(heat.find((c) => c.columnId === alpha.id)!.figures).toEqual({ suppressed: true, reason: 'sibling_protection' })
    expect(heat.find((c) => c.columnId === charlie.id)!.figures).toEqual({ suppressed: false, n: 6, answers: 6, mean: 3, favourableShare: 0 })
  })
})

describe('eNPS counting', () => {
  it('counts each person once per period, with their latest answer', async () => {
    const response = await api(enpsApi, 'admin', 'groupBy=org&period=month&from=2026-05-01&to=2026-05-31')
    // Two rounds of one survey in May: the bucket's eNPS is its latest round, each person's latest answer once.
    expect(await response.json()).toEqual({
      window: { unit: 'month', from: '2026-05-01', to: '2026-05-31', requested: { from: '2026-05-01', to: '2026-05-31' } }, 
      rows: [{ period: '2026-05-01', group: { type: 'org', id: null, name: 'Pulseboard' }, rounds: 1, n: 6, promoters: 6, passives: 0, detractors: 0, enps: 100, ciLow: 100, ciHigh: 100 }],
    })
  })

  it('names the bad parameter and what it accepts', async () => {
    const response = await api(enpsApi, 'hr', 'groupBy=division&period=day&from=2026-13-01')
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('invalid_request')
    expect(body.error.message).toContain('groupBy must be org or team')
    expect(body.error.message).toContain('period must be week, month or quarter')
    expect(body.error.message).toContain('from must be a real calendar date as YYYY-MM-DD')
  })
})

describe('comments', () => {
  it('shows comments shuffled, as text only, and escapes formulas in the CSV export', async () => {
    const r = await results(leader, surveysById.jan, `?team=${alpha.id}`)
    const texts = ['Great team', '=HYPERLINK("http://evil.example","click")', 'Too many reports', 'Quota is unfair', 'Love the new CRM']
    expect(r.selected.comments).toEqual({ suppressed: false, items: shuffleComments(texts.map((text) => ({ text })), `${rounds.jan}:${alpha.id}`) })
    const text = await csv(leader, surveysById.jan, `?team=${alpha.id}`)
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`)
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m)
    const audit = await queryRows<{ action: string; target: string }>(db, sql`select action, target from audit_log where actor_id = ${leader}`)
    expect(audit).toEqual([{ action: 'results.exported', target: surveysById.jan }])
  })

  it('hides comments below the comment threshold while scores are shown', async () => {
    const r = await results(hr, surveysById.apr, `?team=${charlie.id}`)
    expect(r.selected.enps).toMatchObject({ suppressed: false, n: 5, promoters: 5 })
    expect(r.selected.comments).toEqual({ suppressed: true, reason: 'below_threshold' })
    expect(JSON.stringify(r)).not.toContain('hidden words')
    expect(await csv(hr, surveysById.apr, `?team=${charlie.id}`)).not.toContain('hidden words')
  })
})

describe('who sees what', () => {
  it('a manager sees only their own teams and is refused elsewhere', async () => {
    const r = await results(managerA, surveysById.jan)
    expect(r.groups.map((g) => g.name)).toEqual(['Alpha'])
    expect(r.group).toEqual({ type: 'team', id: alpha.id, name: 'Alpha' })
    expect(r.selected.enps).toMatchObject({ suppressed: false, n: 5 })
    expect(((await page(managerA, surveysById.mar, `?team=${charlie.id}`)) as Response).status).toBe(403)
    const list = (await call(resultsIndex, ctx, makeRequest('/results', { cookie: await signedInCookie(ctx, managerA) }))) as { surveys: { latest: { group: { name: string } }[] }[] }
    expect(list.surveys.flatMap((s) => s.latest.map((l) => l.group.name)).every((name) => name === 'Alpha')).toBe(true)
  })

  it('employees and marketing get 403 on the pages, the export and the API', async () => {
    for (const person of [employee, marketing]) {
      const cookie = await signedInCookie(ctx, person)
      expect(((await call(resultsIndex, ctx, makeRequest('/results', { cookie }))) as Response).status).toBe(403)
      expect(((await page(person, surveysById.jan)) as Response).status).toBe(403)
      const response = (await call(exportCsv, ctx, makeRequest(`/results/${surveysById.jan}/export.csv`, { cookie }), { surveyId: surveysById.jan })) as Response
      expect(response.status).toBe(403)
    }
    for (const role of ['employee', 'marketing'] as const) {
      expect((await api(enpsApi, role, 'groupBy=org')).status).toBe(403)
      expect((await api(driversApi, role, 'groupBy=org')).status).toBe(403)
    }
  })

  it('identified mode shows names only to hr, leader, admin and the person’s manager', async () => {
    for (const person of [hr, leader, admin]) {
      const r = await results(person, surveysById.jun)
      expect(r.identified).toHaveLength(11)
    }
    const mgr = await results(managerA, surveysById.jun)
    // Paolo manages Alpha's members directly: their five named answers, nobody from Charlie.
    expect(mgr.identified).toHaveLength(5)
    expect(mgr.identified!.every((p) => p.answers[0].value === 7)).toBe(true)
    const confidential = await results(hr, surveysById.jan)
    expect(confidential.identified).toBeNull()
    expect(JSON.stringify(confidential)).not.toMatch(/Paolo|"name":"[A-Z][a-z]+ [A-Z]/)
  })
})
