/**
 * Each attack reported against the earlier design (docs/privacy.md), replayed with its numbers
 * against the published layer: none of them recovers anything now. The general proof is the
 * auditor (privacy-auditor.test.ts); these are the cases people actually tried.
 */
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { invitations } from '#db/schema'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { closeDeals } from '#test/support/insights-factories'
import { createMeeting } from '#test/support/one-on-one-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { answerEnps, closeRounds, createApiKey, createResponse, createRound, createSurvey, enpsQuestion, workloadQuestion } from '#test/support/response-factories'
import type { SurveyResults } from '~/responses/results.server'
import { loader as correlationApi } from '~/routes/api.v1.insights.correlation'
import { loader as driversApi } from '~/routes/api.v1.metrics.drivers'
import { loader as enpsApi } from '~/routes/api.v1.metrics.enps'
import { action as importApi } from '~/routes/api.v1.responses.import'
import { loader as surveysApi } from '~/routes/api.v1.surveys'
import * as meetingRoute from '~/routes/one-on-ones.$meetingId'
import { loader as resultsPage } from '~/routes/results.$surveyId'

const ctx = await setupTestContext()
const db = ctx.db
let hrKey: string
let hr: string

async function api(loader: typeof enpsApi, path: string) {
  const res = (await call(loader, ctx, makeRequest(path, { headers: { Authorization: `Bearer ${hrKey}` } }))) as Response
  expect(res.status).toBe(200)
  return res.json()
}
async function results(surveyId: string, query = ''): Promise<SurveyResults> {
  const data = (await call(resultsPage, ctx, makeRequest(`/results/${surveyId}${query}`, { cookie: await signedInCookie(ctx, hr) }), { surveyId })) as { results: SurveyResults }
  return data.results
}
async function members(teamId: string, n: number, managerId?: string) {
  return Promise.all(Array.from({ length: n }, () => createPerson(db, { teamId, managerId: managerId ?? null })))
}

beforeAll(async () => {
  hrKey = await createApiKey(db, 'hr')
  hr = (await createPerson(db, { role: 'hr' })).id
})

describe('free day windows', () => {
  it('2–4 November and 3–4 November read the same November bucket: the one answer of 2 November stays hidden', async () => {
    const london = await createTeam(db, { name: 'London' })
    const people = await members(london.id, 9)
    const survey = await createSurvey(db, { title: 'London eNPS' })
    const round = await createRound(db, { surveyId: survey.id, opensAt: '2025-11-02T08:00:00Z', questions: [enpsQuestion] })
    // The answer of 2 November is a passive (8); the other eight give 2 promoters, 4 passives, 2 detractors.
    await answerEnps(db, round, [{ personId: people[0].id, teamId: london.id, score: 8 }], '2025-11-02')
    await answerEnps(db, round, people.slice(1).map((p, i) => ({ personId: p.id, teamId: london.id, score: [10, 9, 8, 7, 8, 7, 3, 2][i] })), '2025-11-03')
    const wide = await api(enpsApi, `/api/v1/metrics/enps?groupBy=team&team=${london.id}&period=month&from=2025-11-02&to=2025-11-04`)
    const narrow = await api(enpsApi, `/api/v1/metrics/enps?groupBy=team&team=${london.id}&period=month&from=2025-11-03&to=2025-11-04`)
    expect(wide.rows).toEqual(narrow.rows)
    expect(wide.rows).toEqual([{ period: '2025-11-01', group: { type: 'team', id: london.id, name: 'London' }, rounds: 1, n: 9, promoters: 2, passives: 5, detractors: 2, enps: 0, ciLow: expect.any(Number), ciHigh: expect.any(Number) }])
    expect(narrow.window).toEqual({ unit: 'month', from: '2025-11-01', to: '2025-11-30', requested: { from: '2025-11-03', to: '2025-11-04' } })
  })
})

describe('a round suppressed on its own inside a quarter', () => {
  it('hides the quarter for the team in eNPS and drivers, so no answer of the small round moves any period figure', async () => {
    const rome = await createTeam(db, { name: 'Rome' })
    const people = await members(rome.id, 11)
    const survey = await createSurvey(db, { title: 'Rome pulse' })
    const questions = [enpsQuestion, workloadQuestion]
    const october = await createRound(db, { surveyId: survey.id, opensAt: '2025-10-06T08:00:00Z', questions })
    await answerEnps(db, october, people.slice(0, 11).map((p, i) => ({ personId: p.id, teamId: rome.id, score: [10, 10, 10, 8, 8, 8, 8, 8, 8, 8, 3][i], workload: 3 })), '2025-10-07')
    // Three respondents in November: below the threshold of 5.
    const november = await createRound(db, { surveyId: survey.id, opensAt: '2025-11-10T08:00:00Z', questions })
    await answerEnps(db, november, people.slice(0, 3).map((p) => ({ personId: p.id, teamId: rome.id, score: 1, workload: 1 })), '2025-11-11')
    const quarter = `groupBy=team&team=${rome.id}&period=quarter&from=2025-10-01&to=2025-12-31`
    const suppressed = { period: '2025-10-01', group: { type: 'team', id: rome.id, name: 'Rome' }, suppressed: true }
    // eNPS: the quarter's latest round is November's, below the threshold. Drivers sum both rounds: incomplete.
    expect((await api(enpsApi, `/api/v1/metrics/enps?${quarter}`)).rows).toEqual([{ ...suppressed, reason: 'below_threshold' }])
    expect((await api(driversApi, `/api/v1/metrics/drivers?${quarter}`)).rows).toEqual([{ ...suppressed, reason: 'incomplete_bucket', driver: 'workload' }])
    // The months: October alone is shown, November says below the threshold.
    const months = (await api(enpsApi, `/api/v1/metrics/enps?groupBy=team&team=${rome.id}&period=month&from=2025-10-01&to=2025-11-30`)).rows
    expect(months.map((r: { period: string; n?: number; reason?: string }) => [r.period, r.n ?? r.reason])).toEqual([
      ['2025-10-01', 11],
      ['2025-11-01', 'below_threshold'],
    ])
    // The round's own page: too few responses, and its participation "fewer than 5", the same as nobody.
    const page = await results(survey.id, `?round=${november.id}&team=${rome.id}`)
    expect(page.selected.respondents).toEqual({ suppressed: true, reason: 'below_threshold' })
  })
})

describe('open rounds', () => {
  it('publish no figure: two reads one response apart are identical', async () => {
    const team = await createTeam(db, { name: 'Open team' })
    const people = await members(team.id, 8)
    const survey = await createSurvey(db, { title: 'Open eNPS' })
    const round = await createRound(db, { surveyId: survey.id, opensAt: new Date(Date.now() - 86_400_000).toISOString(), status: 'open', questions: [enpsQuestion] })
    await db.insert(invitations).values(people.map((p) => ({ roundId: round.id, personId: p.id })))
    await answerEnps(db, round, people.slice(0, 6).map((p) => ({ personId: p.id, teamId: team.id, score: 9 })), new Date().toISOString().slice(0, 10))
    const before = await results(survey.id, `?round=${round.id}&team=${team.id}`)
    await answerEnps(db, round, [{ personId: people[6].id, teamId: team.id, score: 1 }], new Date().toISOString().slice(0, 10))
    await db.execute(sql`update invitations set responded_at = now() where person_id = ${people[6].id}`)
    const after = await results(survey.id, `?round=${round.id}&team=${team.id}`)
    expect(after).toEqual(before)
    expect(after.byGroup).toEqual([])
    expect(after.selected.enps).toBeNull()
    expect(after.selected.questions.every((q) => q.figures === null || q.figures.suppressed)).toBe(true)
    // Participation: counted to the last full hour, so the answer just given is not in it yet.
    expect(after.participation?.find((p) => p.group.id === team.id)).toEqual({ group: { type: 'team', id: team.id, name: 'Open team' }, invited: 8, responded: 0 })
  })
})

describe('counts of a suppressed round', () => {
  it('GET /api/v1/surveys reads "fewer than 5" for 3 respondents and for none alike', async () => {
    const team = await createTeam(db, { name: 'Counted' })
    const people = await members(team.id, 6)
    const answered = await createSurvey(db, { title: 'Three answered' })
    const silent = await createSurvey(db, { title: 'Nobody answered' })
    for (const [survey, n] of [
      [answered, 3],
      [silent, 0],
    ] as const) {
      const round = await createRound(db, { surveyId: survey.id, opensAt: '2025-09-01T08:00:00Z', questions: [enpsQuestion] })
      await db.insert(invitations).values(people.map((p, i) => ({ roundId: round.id, personId: p.id, respondedAt: i < n ? new Date('2025-09-02T10:00:00Z') : null })))
      await answerEnps(db, round, people.slice(0, n).map((p) => ({ personId: p.id, teamId: team.id, score: 7 })), '2025-09-02')
    }
    const listed = (await api(surveysApi as typeof enpsApi, '/api/v1/surveys')) as { surveys: { title: string; lastRound: { invited: number; responded: number | null; respondedFewerThan: number | null } }[] }
    const counts = (title: string) => listed.surveys.find((s) => s.title === title)!.lastRound
    expect(counts('Three answered')).toMatchObject({ invited: 6, responded: null, respondedFewerThan: 5 })
    expect(counts('Nobody answered')).toMatchObject({ invited: 6, responded: null, respondedFewerThan: 5 })
  })
})

describe('residual groups', () => {
  it('a parent’s direct members and the people without a team are protected like any other group', async () => {
    const sales = await createTeam(db, { name: 'Residual Sales' })
    const north = await createTeam(db, { name: 'Residual North', parentId: sales.id })
    const south = await createTeam(db, { name: 'Residual South', parentId: sales.id })
    const survey = await createSurvey(db, { title: 'Residual eNPS' })
    const round = await createRound(db, { surveyId: survey.id, opensAt: '2025-08-04T08:00:00Z', questions: [enpsQuestion] })
    const answer = async (teamId: string | null, n: number, score: number) =>
      answerEnps(db, round, (await Promise.all(Array.from({ length: n }, () => createPerson(db, { teamId })))).map((p) => ({ personId: p.id, teamId, score })), '2025-08-05')
    // Sales 12 = North 5 + South 5 + 2 directly in Sales; the organisation adds 2 people without a team.
    await answer(north.id, 5, 9)
    await answer(south.id, 5, 8)
    await answer(sales.id, 2, 1)
    await answer(null, 2, 2)
    const r = await results(survey.id, `?round=${round.id}`)
    const by = Object.fromEntries(r.byGroup.map((g) => [g.group.name, g.enps]))
    // Sales − North − South would give the 2 direct members: the smaller-id child of the two goes.
    const hiddenChildren = ['Residual North', 'Residual South'].filter((name) => by[name]?.suppressed)
    expect(hiddenChildren).toHaveLength(1)
    expect(by[hiddenChildren[0]]).toEqual({ suppressed: true, reason: 'sibling_protection' })
    // The organisation (14) − Sales (12) would give the 2 people without a team: Sales is hidden too,
    // and the organisation's own figure stands on all 14.
    expect(by['Residual Sales']).toEqual({ suppressed: true, reason: 'sibling_protection' })
    expect(by.Pulseboard).toMatchObject({ suppressed: false, n: 14 })
  })
})

describe('history re-grouped by today’s tree', () => {
  it('re-parenting after a round closed changes none of its figures', async () => {
    const a = await createTeam(db, { name: 'Regroup A' })
    const b = await createTeam(db, { name: 'Regroup B' })
    const c = await createTeam(db, { name: 'Regroup C' })
    const survey = await createSurvey(db, { title: 'Regroup eNPS' })
    const round = await createRound(db, { surveyId: survey.id, opensAt: '2025-07-07T08:00:00Z', questions: [enpsQuestion] })
    // A 2 and C 3 are hidden together (5 between them), B 10 is shown.
    await answerEnps(db, round, (await members(a.id, 2)).map((p) => ({ personId: p.id, teamId: a.id, score: 9 })), '2025-07-08')
    await answerEnps(db, round, (await members(c.id, 3)).map((p) => ({ personId: p.id, teamId: c.id, score: 5 })), '2025-07-08')
    await answerEnps(db, round, (await members(b.id, 10)).map((p) => ({ personId: p.id, teamId: b.id, score: 8 })), '2025-07-08')
    await closeRounds(db, [round.id])
    const before = await results(survey.id, `?round=${round.id}&team=${b.id}`)
    expect(before.selected.enps).toMatchObject({ suppressed: false, n: 10 })
    // A new parent P = {A, B} would read 12, and P − B = A's 2 answers.
    const p = await createTeam(db, { name: 'Regroup P' })
    await db.execute(sql`update teams set parent_id = ${p.id} where id in (${a.id}, ${b.id})`)
    const after = await results(survey.id, `?round=${round.id}&team=${b.id}`)
    expect(after.selected).toEqual(before.selected)
    const parent = await results(survey.id, `?round=${round.id}&team=${p.id}`)
    expect(parent.selected.respondents).toEqual({ suppressed: true, reason: 'below_threshold' })
    expect(parent.byGroup.map((g) => g.group.name)).not.toContain('Regroup P')
  })
})

describe('history import', () => {
  it('is refused where it reaches into the months of live rounds, and never joins a live bucket', async () => {
    const team = await createTeam(db, { name: 'Padded' })
    const people = await members(team.id, 4)
    const survey = await createSurvey(db, { title: 'Live pulse' })
    const live = await createRound(db, { surveyId: survey.id, opensAt: '2025-06-02T08:00:00Z', questions: [enpsQuestion] })
    await answerEnps(db, live, people.slice(0, 2).map((p) => ({ personId: p.id, teamId: team.id, score: 1 })), '2025-06-03')
    const post = async (day: string) =>
      (await importApi({
        request: makeRequest('/api/v1/responses/import', {
          method: 'POST',
          headers: { Authorization: `Bearer ${hrKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ survey: { title: 'Fake', privacy: 'confidential' }, responses: people.map((p) => ({ email: p.email, submittedAt: day, answers: [{ question: 'enps', value: 10 }] })) }),
        }),
        params: {},
        context: { app: ctx },
      })) as Response
    // Four known fake answers beside the 2 real ones of June would make 6 and let the fakes be subtracted.
    const refused = await post('2025-06-10')
    expect(refused.status).toBe(400)
    expect(JSON.stringify(await refused.json())).toContain("falls in or after 2025-06, when Pulseboard's own rounds began")
    // Before the live rounds it is accepted, in rounds of its own that no live bucket counts.
    expect((await post('2025-05-10')).status).toBe(201)
    expect((await api(enpsApi, `/api/v1/metrics/enps?groupBy=team&team=${team.id}&period=month&from=2025-05-01&to=2025-06-30`)).rows).toEqual([
      { period: '2025-06-01', group: { type: 'team', id: team.id, name: 'Padded' }, suppressed: true, reason: 'below_threshold' },
    ])
  })
})

describe('rep bands and the 1:1 prep panel', () => {
  it('moving `to` by a day changes nothing at rep level: confidential answers are never published per rep', async () => {
    const team = await createTeam(db, { name: 'Bands' })
    const people = await members(team.id, 6)
    const survey = await createSurvey(db, { title: 'Bands eNPS' })
    const round = await createRound(db, { surveyId: survey.id, opensAt: '2025-04-07T08:00:00Z', questions: [enpsQuestion] })
    await answerEnps(db, round, people.map((p, i) => ({ personId: p.id, teamId: team.id, score: 4 + i })), '2025-04-08')
    for (const p of people) await closeDeals(db, p.id, { won: 1, lost: 1, closedAt: '2025-04-20T10:00:00Z' })
    const bodies = []
    for (const to of ['2025-04-29', '2025-04-30']) bodies.push(await api(correlationApi, `/api/v1/insights/correlation?level=rep&period=month&from=2025-04-01&to=${to}`))
    expect(bodies).toEqual([
      { suppressed: true, reason: 'not_published' },
      { suppressed: true, reason: 'not_published' },
    ])
  })

  it('goes to the report’s current manager only; a past meeting’s manager gets no panel', async () => {
    const team = await createTeam(db, { name: 'Prep' })
    const oldManager = await createPerson(db, {})
    const newManager = await createPerson(db, {})
    await setTeamManager(db, team.id, newManager.id)
    const report = await createPerson(db, { teamId: team.id, managerId: oldManager.id })
    const past = await createMeeting(db, { managerId: oldManager.id, reportId: report.id, scheduledAt: new Date(Date.now() - 86_400_000) })
    await db.execute(sql`update people set manager_id = ${newManager.id} where id = ${report.id}`)
    const page = (await call(meetingRoute.loader, ctx, makeRequest(`/one-on-ones/${past}`, { cookie: await signedInCookie(ctx, oldManager.id) }), { meetingId: past })) as { prep: unknown }
    expect(page.prep).toBeNull()
    const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from people where id = ${report.id} and manager_id = ${newManager.id}`)
    expect(n).toBe(1)
  })
})

describe('a driver minus its questions', () => {
  it('hides the driver wherever one of its questions is hidden: an optional question answered by one person stays hidden', async () => {
    const alpha = await createTeam(db, { name: 'Optional Alpha' })
    const bravo = await createTeam(db, { name: 'Optional Bravo' })
    const survey = await createSurvey(db, { title: 'Optional pulse', kind: 'pulse' })
    const q1 = { ...workloadQuestion, id: 'q1', position: 1 }
    const q2 = { ...workloadQuestion, id: 'q2', position: 2, required: false }
    const round = await createRound(db, { surveyId: survey.id, opensAt: '2025-03-03T08:00:00Z', questions: [q1, q2] })
    const answer = async (teamId: string, withQ2: boolean, value: number) => {
      const person = await createPerson(db, { teamId })
      const list = [{ key: 'q1', type: 'agreement' as const, driver: 'workload', value: 4 }]
      if (withQ2) list.push({ key: 'q2', type: 'agreement' as const, driver: 'workload', value })
      await createResponse(db, { surveyId: survey.id, roundId: round.id, personId: person.id, teamId, submittedOn: '2025-03-04', answers: list })
    }
    // Alpha: 8 answer q1, and Anna alone answers the optional q2 (1). Bravo: 8 answer q1 only.
    await answer(alpha.id, true, 1)
    for (let i = 0; i < 7; i++) await answer(alpha.id, false, 0)
    for (let i = 0; i < 8; i++) await answer(bravo.id, false, 0)
    const alphaPage = await results(survey.id, `?round=${round.id}&team=${alpha.id}`)
    const bravoPage = await results(survey.id, `?round=${round.id}&team=${bravo.id}`)
    const orgPage = await results(survey.id, `?round=${round.id}`)
    const workload = (r: SurveyResults, column: string) => r.heatmap.cells.find((c) => c.driver === 'workload' && c.columnId === column)!.figures
    // Alpha's driver (9 answers) minus its q1 (8 answers of 4) would be Anna's q2: both are hidden, and so is the organisation's.
    expect(workload(alphaPage, alpha.id)).toEqual({ suppressed: true, reason: 'sibling_protection' })
    expect(alphaPage.selected.questions.find((q) => q.key === 'q1')!.figures).toEqual({ suppressed: true, reason: 'sibling_protection' })
    expect(alphaPage.selected.questions.find((q) => q.key === 'q2')!.figures).toEqual({ suppressed: true, reason: 'below_threshold' })
    expect(workload(orgPage, 'org')).toEqual({ suppressed: true, reason: 'sibling_protection' })
    // Bravo never answered q2: nothing of it is hidden.
    expect(workload(bravoPage, bravo.id)).toEqual({ suppressed: false, n: 8, answers: 8, mean: 4, favourableShare: 1 })
  })
})
