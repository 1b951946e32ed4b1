import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { surveyResults } from '~/responses/results.server'
import { createPerson, createTeam } from '#test/support/factories'
import { setupTestContext } from '#test/support/context'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { createApiKey } from '#test/support/response-factories'
import { action as importApi } from '~/routes/api.v1.responses.import'
import { loader as enpsApi } from '~/routes/api.v1.metrics.enps'
import { action as importScreen } from '~/routes/surveys.import'

const ctx = await setupTestContext()
const db = ctx.db
let key: string
let teamId: string
const emails: string[] = []

beforeAll(async () => {
  key = await createApiKey(db, 'hr')
  teamId = (await createTeam(db, { name: 'Milano' })).id
  for (let i = 0; i < 6; i++) emails.push((await createPerson(db, { teamId, email: `rep${i}@example.it` })).email)
})

async function post(body: unknown, apiKey = key) {
  const request = makeRequest('/api/v1/responses/import', { method: 'POST', headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  return (await importApi({ request, params: {}, context: { app: ctx } })) as Response
}

const count = async (table: string) => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0].n

describe('POST /api/v1/responses/import', () => {
  it('imports history as one imported survey with one round per month, keeping each submitted day', async () => {
    const responses = [
      ...emails.slice(0, 5).map((email, i) => ({ email: email.toUpperCase(), submittedAt: '2025-10-06', answers: [{ question: 'enps', value: [10, 9, 8, 6, 3][i] }, { question: 'enps_reason', value: 'ok' }] })),
      // The same person twice in November: both are kept; the metric counts the later one.
      { email: emails[0], submittedAt: '2025-11-03T09:00:00+01:00', answers: [{ question: 'enps', value: 2 }, { question: 'workload_manageable', value: 4 }] },
      { email: emails[0], submittedAt: '2025-11-24T23:30:00Z', answers: [{ question: 'enps', value: 10 }] },
    ]
    const response = await post({ survey: { title: 'Culture tool export', privacy: 'confidential' }, responses })
    expect(response.status).toBe(201)
    const body = (await response.json()) as { surveyId: string; rounds: number; responses: number; answers: number }
    expect(body).toEqual({ surveyId: expect.any(String), rounds: 2, responses: 7, answers: 13 })
    const [survey] = await queryRows<{ imported: boolean; privacy: string }>(db, sql`select imported, privacy from surveys where id = ${body.surveyId}`)
    expect(survey).toEqual({ imported: true, privacy: 'confidential' })
    expect(await queryRows(db, sql`select action, (details->>'responses')::int as n from audit_log where target = ${body.surveyId}`)).toEqual([{ action: 'responses.imported', n: 7 }])
    const rounds = await queryRows<{ month: string; imported: boolean; keys: string[]; ts: number }>(
      db,
      sql`select to_char(opens_at at time zone 'Europe/Rome', 'YYYY-MM-DD') as month, imported, threshold_scores as ts,
                 (select array_agg(q->>'id' order by (q->>'position')::int) from jsonb_array_elements(questions) q) as keys
          from survey_rounds where survey_id = ${body.surveyId} order by opens_at`,
    )
    expect(rounds).toEqual([
      { month: '2025-10-01', imported: true, ts: 5, keys: ['enps', 'enps_reason', 'workload_manageable'] },
      { month: '2025-11-01', imported: true, ts: 5, keys: ['enps', 'enps_reason', 'workload_manageable'] },
    ])
    // 23:30 UTC on 24 November is already the 25th in Rome.
    const days = await queryRows<{ day: string; imported: boolean; team: string }>(db, sql`select submitted_on::text as day, imported, team_id::text as team from responses where survey_id = ${body.surveyId} and submitted_on >= '2025-11-01' order by submitted_on`)
    expect(days).toEqual([
      { day: '2025-11-03', imported: true, team: teamId },
      { day: '2025-11-25', imported: true, team: teamId },
    ])
    // Imported history is read as its own survey, round by round, and never joins the live period buckets.
    const results = await surveyResults(db, { id: 'hr' }, { kind: 'org' }, { surveyId: body.surveyId, roundId: (await queryRows<{ id: string }>(db, sql`select id::text as id from survey_rounds where survey_id = ${body.surveyId} order by opens_at limit 1`))[0].id })
    expect(results.status === 'ok' && results.results.selected.enps).toMatchObject({ suppressed: false, n: 5, promoters: 2, passives: 1, detractors: 2, enps: 0 })
    expect(results.status === 'ok' && results.results.rounds.every((r) => r.imported)).toBe(true)
    const metrics = (await enpsApi({ request: makeRequest('/api/v1/metrics/enps?groupBy=org&period=month&from=2025-10-01&to=2025-10-31', { headers: { Authorization: `Bearer ${key}` } }), params: {}, context: { app: ctx } })) as Response
    expect(((await metrics.json()) as { rows: unknown[] }).rows).toEqual([])
  })

  it('stores no person in anonymous mode', async () => {
    const response = await post({ survey: { title: 'Anonymous history', privacy: 'anonymous' }, responses: [{ email: emails[1], submittedAt: '2025-09-10', answers: [{ question: 'enps', value: 7 }] }] })
    expect(response.status).toBe(201)
    const { surveyId } = (await response.json()) as { surveyId: string }
    expect(await queryRows(db, sql`select person_id, invitation_id, team_id::text as team from responses where survey_id = ${surveyId}`)).toEqual([{ person_id: null, invitation_id: null, team: teamId }])
  })

  it('stores a single choice as the respondent page does: 0-based index and English label', async () => {
    // Option 3 of biggest_blocker, counted from 1 as people count, is "Lead quality".
    const response = await post({ survey: { title: 'Choice history', privacy: 'confidential' }, responses: [{ email: emails[2], submittedAt: '2025-09-11', answers: [{ question: 'biggest_blocker', value: 3 }] }] })
    expect(response.status).toBe(201)
    const { surveyId } = (await response.json()) as { surveyId: string }
    expect(await queryRows(db, sql`select a.value_number, a.value_text from answers a join responses r on r.id = a.response_id where r.survey_id = ${surveyId}`)).toEqual([{ value_number: 2, value_text: 'Lead quality' }])
  })

  it('rejects the whole batch with every bad item named, writing nothing', async () => {
    const before = { audit: await count('audit_log'), surveys: await count('surveys'), rounds: await count('survey_rounds'), responses: await count('responses'), answers: await count('answers') }
    const response = await post({
      survey: { title: 'Broken', privacy: 'confidential' },
      responses: [
        { email: emails[0], submittedAt: '2025-10-06', answers: [{ question: 'enps', value: 9 }] },
        { email: 'nobody@example.it', submittedAt: '2025-10-06', answers: [{ question: 'enps', value: 9 }] },
        { email: emails[1], submittedAt: '06/10/2025', answers: [{ question: 'enps', value: 9 }] },
        { email: emails[2], submittedAt: '2025-10-06', answers: [{ question: 'happiness', value: 3 }] },
        { email: emails[3], submittedAt: '2025-10-06', answers: [{ question: 'workload_manageable', value: 6 }] },
        { email: emails[4], submittedAt: '2025-10-06', answers: [{ question: 'enps', value: 'great' }] },
      ],
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; details: { errors: { index: number; field: string; message: string }[] } } }
    expect(body.error.code).toBe('invalid_batch')
    expect(body.error.details.errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'email'],
      [2, 'submittedAt'],
      [3, 'answers.0.question'],
      [4, 'answers.0.value'],
      [5, 'answers.0.value'],
    ])
    expect(body.error.details.errors[0].message).toContain('nobody@example.it')
    expect(body.error.details.errors[3].message).toContain('from 1 (strongly disagree) to 5')
    expect(body.error.details.errors[4].message).toContain('not text')
    expect({ audit: await count('audit_log'), surveys: await count('surveys'), rounds: await count('survey_rounds'), responses: await count('responses'), answers: await count('answers') }).toEqual(before)
  })

  it('refuses keys without the design permission', async () => {
    const leaderKey = await createApiKey(db, 'leader')
    expect((await post({ survey: { title: 'x', privacy: 'confidential' }, responses: [] }, leaderKey)).status).toBe(403)
  })
})

describe('/surveys/import (CSV upload)', () => {
  function form(fields: Record<string, string>, csv?: string) {
    const body = new FormData()
    for (const [k, v] of Object.entries(fields)) body.set(k, v)
    if (csv !== undefined) body.set('file', new File([csv], 'history.csv', { type: 'text/csv' }))
    return body
  }
  const good = `email,submitted_at,enps,workload_manageable,enps_reason\n${emailsCsv()}`
  function emailsCsv() {
    return ['rep0@example.it,2025-06-02,9,4,"Bene, grazie"', 'rep1@example.it,2025-06-03,7,,', 'rep2@example.it,2025-07-01T10:00:00Z,3,2,Troppi report'].join('\n')
  }

  it('previews a good file, then imports it and goes to its results', async () => {
    const hr = await createPerson(db, { role: 'hr' })
    const cookie = await signedInCookie(ctx, hr.id)
    const preview = (await call(importScreen, ctx, makeRequest('/surveys/import', { cookie, body: form({ intent: 'check', title: 'Old tool', privacy: 'confidential' }, good) }))) as { preview: unknown; problems: unknown[]; csv: string }
    expect(preview.problems).toEqual([])
    expect(preview.preview).toEqual({ responses: 3, people: 3, months: 2, questions: ['enps', 'workload_manageable', 'enps_reason'] })
    const done = (await call(importScreen, ctx, makeRequest('/surveys/import', { cookie, body: form({ intent: 'commit', title: 'Old tool', privacy: 'confidential', csv: preview.csv }) }))) as Response
    expect(done.status).toBe(302)
    const surveyId = done.headers.get('Location')!.replace('/results/', '')
    expect(await queryRows(db, sql`select count(*)::int as n from responses where survey_id = ${surveyId}`)).toEqual([{ n: 3 }])
  })

  it('lists every problem with its line and column and imports nothing', async () => {
    const admin = await createPerson(db, { role: 'admin' })
    const cookie = await signedInCookie(ctx, admin.id)
    const before = await count('responses')
    const bad = 'email,submitted_at,enps\nrep0@example.it,2025-06-02,11\nghost@example.it,yesterday,abc'
    const result = (await call(importScreen, ctx, makeRequest('/surveys/import', { cookie, body: form({ intent: 'check', title: 'Bad', privacy: 'confidential' }, bad) }))) as { problems: { line: number; column: string }[] }
    expect(result.problems.map((p) => [p.line, p.column])).toEqual([
      [2, 'enps'],
      [3, 'email'],
      [3, 'submitted_at'],
      [3, 'enps'],
    ])
    const header = (await call(importScreen, ctx, makeRequest('/surveys/import', { cookie, body: form({ intent: 'check', title: 'Bad', privacy: 'confidential' }, 'email,submitted_at,mood\nrep0@example.it,2025-06-02,3') }))) as { problems: { line: number; column: string; message: string }[] }
    expect(header.problems).toEqual([{ line: 1, column: 'mood', message: expect.stringContaining('unknown question "mood"') }])
    expect(await count('responses')).toBe(before)
  })

  it('is refused to roles that do not design surveys', async () => {
    const leader = await createPerson(db, { role: 'leader' })
    const response = (await call(importScreen, ctx, makeRequest('/surveys/import', { cookie: await signedInCookie(ctx, leader.id), body: form({ intent: 'check', title: 'x' }, 'email') }))) as Response
    expect(response.status).toBe(403)
  })
})
