import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { AppContext } from '~/context'
import { messagesFor } from '~/i18n'
import { DRIVER_KEYS } from '~/responses/drivers'
import { createApiKey } from '~/settings/api-keys.server'
import { QUESTION_BANK } from '~/surveys/question-bank'
import { openRoundNow } from '~/surveys/rounds.server'
import { questionSchema } from '~/surveys/survey-schema'
import * as surveyApi from '~/routes/api.v1.surveys'
import * as roundsApi from '~/routes/api.v1.surveys.$surveyId.rounds'
import * as designer from '~/routes/surveys.$surveyId'
import * as list from '~/routes/surveys._index'
import * as newSurvey from '~/routes/surveys.new'
import * as respond from '~/routes/s.$token'
import * as me from '~/routes/me'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { startSmtpSink } from '#test/support/smtp-sink'
import { createTestSurvey, surveyTokenFrom } from '#test/support/survey-factories'

let ctx: AppContext
let sink: Awaited<ReturnType<typeof startSmtpSink>>
let hrCookie: string
let employeeCookie: string

beforeAll(async () => {
  sink = await startSmtpSink()
  ctx = await setupTestContext({ smtpUrl: sink.url })
  const hr = await createPerson(ctx.db, { role: 'hr', email: 'hr@example.test' })
  const employee = await createPerson(ctx.db, { role: 'employee', email: 'rep@example.test' })
  hrCookie = await signedInCookie(ctx, hr.id)
  employeeCookie = await signedInCookie(ctx, employee.id)
  return () => sink.close()
})

const count = async (table: 'surveys' | 'survey_questions' | 'responses' | 'answers') => (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from ${sql.raw(table)}`))[0].n

/** The designer's form as the browser posts it. */
function designForm(overrides: Record<string, string | string[]> = {}, questions = 2) {
  const form: Record<string, string | string[]> = {
    intent: 'save',
    title: 'Pulse',
    kind: 'pulse',
    privacy: 'confidential',
    cadence: 'weekly',
    sendDay: '1',
    sendTime: '09:00',
    responseWindowDays: '5',
    reminderDays: '2, 4',
    quietPeriods: '',
    'audience.type': 'everyone',
  }
  for (let i = 0; i < questions; i++) {
    form[`questions[${i}].type`] = 'agreement'
    form[`questions[${i}].driver`] = 'workload'
    form[`questions[${i}].required`] = 'true'
    form[`questions[${i}].text.en`] = `Question ${i + 1}`
    form[`questions[${i}].text.it`] = `Domanda ${i + 1}`
  }
  return { ...form, ...overrides }
}

type Reply = { result: { status: string; error: Record<string, string[] | null> } }

async function postDesign(surveyId: string, form: Record<string, string | string[]>) {
  const res = (await call(designer.action, ctx, makeRequest(`/surveys/${surveyId}`, { form, cookie: hrCookie }), { surveyId })) as Response | Reply
  if (res instanceof Response) return { status: res.status, body: (await res.json()) as Reply }
  return { status: 200, body: res }
}

describe('designer permissions', () => {
  it('lets hr in and refuses an employee, on every designer route', async () => {
    const survey = await createTestSurvey(ctx.db)
    expect(((await call(list.loader, ctx, makeRequest('/surveys', { cookie: employeeCookie }))) as Response).status).toBe(403)
    expect(((await call(newSurvey.action, ctx, makeRequest('/surveys/new', { form: { template: 'weekly_pulse' }, cookie: employeeCookie }))) as Response).status).toBe(403)
    expect(((await call(designer.action, ctx, makeRequest(`/surveys/${survey.id}`, { form: { intent: 'send-now' }, cookie: employeeCookie }), { surveyId: survey.id })) as Response).status).toBe(403)
    const ok = (await call(list.loader, ctx, makeRequest('/surveys', { cookie: hrCookie }))) as { surveys: { id: string }[] }
    expect(ok.surveys.some((s) => s.id === survey.id)).toBe(true)
  })
})

describe('question bank', () => {
  it('has at least 30 questions with unique keys, every driver covered, each in English and Italian', () => {
    expect(QUESTION_BANK.length).toBeGreaterThanOrEqual(30)
    expect(new Set(QUESTION_BANK.map((q) => q.key)).size).toBe(QUESTION_BANK.length)
    expect([...new Set(QUESTION_BANK.map((q) => q.driver).filter(Boolean))].sort()).toEqual([...DRIVER_KEYS].sort())
    // Every bank question passes the designer's own validation (text in both languages, known driver).
    for (const q of QUESTION_BANK) expect(questionSchema(messagesFor('en')).safeParse({ ...q, driver: q.driver ?? '' }).success).toBe(true)
    expect(QUESTION_BANK.find((q) => q.key === 'enps')?.text.en).toBe('How likely is it that you would recommend {org} as a place to work?')
    expect(QUESTION_BANK.find((q) => q.key === 'enps_reason')?.text.en).toBe('What is the main reason for your score?')
  })
})

describe('templates', () => {
  it('creates drafts with 5, 2 and 10 questions from the weekly pulse, monthly eNPS and quarterly templates', async () => {
    const sizes: Record<string, number> = {}
    for (const template of ['weekly_pulse', 'monthly_enps', 'quarterly_engagement']) {
      const res = (await call(newSurvey.action, ctx, makeRequest('/surveys/new', { form: { template }, cookie: hrCookie }))) as Response
      expect(res.status).toBe(302)
      const surveyId = res.headers.get('Location')!.split('/').pop()!
      const [row] = await queryRows<{ n: number; status: string }>(ctx.db, sql`select count(q.id)::int as n, s.status from surveys s join survey_questions q on q.survey_id = s.id where s.id = ${surveyId} group by s.status`)
      expect(row.status).toBe('draft')
      sizes[template] = row.n
    }
    expect(sizes).toEqual({ weekly_pulse: 5, monthly_enps: 2, quarterly_engagement: 10 })
    const [enps] = await queryRows<{ text: { en: string; it: string } }>(ctx.db, sql`select text from survey_questions where bank_key = 'enps' limit 1`)
    expect(enps.text.en).toBe('How likely is it that you would recommend Pulseboard as a place to work?')
  })
})

describe('designer validation: clear messages, nothing saved', () => {
  it('refuses an eleventh question, an empty text, an unknown driver and a window longer than the cadence', async () => {
    const survey = await createTestSurvey(ctx.db, { title: 'Unchanged' })
    const before = { surveys: await count('surveys'), questions: await count('survey_questions') }

    const eleven = await postDesign(survey.id, designForm({}, 11))
    expect(eleven.status).toBe(400)
    expect(eleven.body.result.error.questions).toEqual(['A survey has at most 10 questions; this one has 11. Remove 1.'])

    const emptyItalian = await postDesign(survey.id, designForm({ 'questions[1].text.it': '  ' }))
    expect(emptyItalian.status).toBe(400)
    expect(emptyItalian.body.result.error['questions[1].text.it']).toEqual(['Write the question in Italian.'])

    const driver = await postDesign(survey.id, designForm({ 'questions[0].driver': 'happiness' }))
    expect(driver.status).toBe(400)
    expect(driver.body.result.error['questions[0].driver']).toEqual([
      'Unknown driver; choose one of: engagement, recognition, workload, tools_crm, manager_support, growth, wellbeing, quota_fairness, comp_plan_clarity, lead_quality, admin_burden.',
    ])

    const window = await postDesign(survey.id, designForm({ responseWindowDays: '8', reminderDays: '2' }))
    expect(window.status).toBe(400)
    expect(window.body.result.error.responseWindowDays).toEqual(['The response window of 8 days is longer than the interval between rounds (Every week: at most 7 days).'])

    const reminders = await postDesign(survey.id, designForm({ reminderDays: '1, 2, 3, 4' }))
    expect(reminders.body.result.error.reminderDays).toEqual(['At most 3 reminders.'])
    const late = await postDesign(survey.id, designForm({ reminderDays: '6' }))
    expect(late.body.result.error.reminderDays).toEqual(['A reminder on day 6 would come after the 5-day response window closes.'])

    expect({ surveys: await count('surveys'), questions: await count('survey_questions') }).toEqual(before)
    const [title] = await queryRows<{ title: string; n: number }>(ctx.db, sql`select title, (select count(*)::int from survey_questions where survey_id = ${survey.id}) as n from surveys where id = ${survey.id}`)
    expect(title).toEqual({ title: 'Unchanged', n: 2 })
  })

  it('answers in Italian to an Italian designer', async () => {
    const hrIt = await createPerson(ctx.db, { role: 'hr', locale: 'it' })
    const survey = await createTestSurvey(ctx.db)
    const res = (await call(designer.action, ctx, makeRequest(`/surveys/${survey.id}`, { form: designForm({}, 11), cookie: await signedInCookie(ctx, hrIt.id) }), { surveyId: survey.id })) as Response
    expect(((await res.json()) as Reply).result.error.questions).toEqual(['Un sondaggio ha al massimo 10 domande; questo ne ha 11. Rimuovine 1.'])
  })

  it('the database itself refuses an eleventh question', async () => {
    const survey = await createTestSurvey(ctx.db)
    await expect(
      ctx.db.execute(sql`insert into survey_questions (survey_id, position, type, text) values (${survey.id}, 11, 'text', '{"en":"x","it":"x"}'::jsonb)`),
    ).rejects.toThrow()
  })

  it('saves a valid design; a running survey’s earlier rounds keep their frozen questions', async () => {
    const person = await createPerson(ctx.db)
    const survey = await createTestSurvey(ctx.db, { audience: { type: 'people', personIds: [person.id] } })
    const opened = await openRoundNow(ctx, survey.id)
    if (!opened.ok) throw new Error(opened.reason)
    const saved = await postDesign(survey.id, designForm({ title: 'Renamed', 'questions[0].text.en': 'Changed wording' }, 3))
    expect(saved.status).toBe(200)
    const [row] = await queryRows<{ title: string; n: number }>(ctx.db, sql`select title, (select count(*)::int from survey_questions where survey_id = ${survey.id}) as n from surveys where id = ${survey.id}`)
    expect(row).toEqual({ title: 'Renamed', n: 3 })
    const [round] = await queryRows<{ questions: { text: { en: string } }[] }>(ctx.db, sql`select questions from survey_rounds where id = ${opened.roundId}`)
    expect(round.questions.map((q) => q.text.en)).toEqual(['My workload is manageable.', 'What one change would help you most?'])
  })
})

describe('API', () => {
  it('lists, creates with the designer’s validation, and opens a round now; keys without surveys:design are refused', async () => {
    const { key } = await createApiKey(ctx.db, { name: 'hr tool', role: 'hr' })
    const { key: marketingKey } = await createApiKey(ctx.db, { name: 'marketing', role: 'marketing' })
    const auth = (k: string) => ({ Authorization: `Bearer ${k}`, 'Content-Type': 'application/json' })
    const body = (questions: unknown[], extra: Record<string, unknown> = {}) =>
      JSON.stringify({ title: 'API pulse', kind: 'pulse', cadence: 'weekly', questions, ...extra })
    const question = (i: number) => ({ type: 'agreement', driver: 'lead_quality', text: { en: `Q${i}`, it: `D${i}` } })

    expect(((await call(surveyApi.loader, ctx, makeRequest('/api/v1/surveys'))) as Response).status).toBe(401)
    expect(((await call(surveyApi.loader, ctx, makeRequest('/api/v1/surveys', { headers: auth(marketingKey) }))) as Response).status).toBe(403)

    const before = await count('surveys')
    const eleven = (await call(surveyApi.action, ctx, makeRequest('/api/v1/surveys', { method: 'POST', headers: auth(key), body: body(Array.from({ length: 11 }, (_, i) => question(i))) }))) as Response
    expect(eleven.status).toBe(400)
    const error = ((await eleven.json()) as { error: { code: string; details: { issues: { field: string; message: string }[] } } }).error
    expect(error.code).toBe('invalid_request')
    expect(error.details.issues).toEqual([{ field: 'questions', message: 'A survey has at most 10 questions; this one has 11. Remove 1.' }])
    const driver = (await call(surveyApi.action, ctx, makeRequest('/api/v1/surveys', { method: 'POST', headers: auth(key), body: body([{ ...question(1), driver: 'mood' }], { responseWindowDays: 30, cadence: 'biweekly' }) }))) as Response
    const issues = ((await driver.json()) as { error: { details: { issues: { field: string }[] } } }).error.details.issues
    expect(issues.map((i) => i.field)).toEqual(['questions.0.driver'])
    const window = (await call(surveyApi.action, ctx, makeRequest('/api/v1/surveys', { method: 'POST', headers: auth(key), body: body([question(1)], { responseWindowDays: 30, cadence: 'biweekly' }) }))) as Response
    expect(((await window.json()) as { error: { details: { issues: unknown[] } } }).error.details.issues).toEqual([
      { field: 'responseWindowDays', message: 'The response window of 30 days is longer than the interval between rounds (Every 2 weeks: at most 14 days).' },
    ])
    expect(await count('surveys')).toBe(before)

    const created = (await call(surveyApi.action, ctx, makeRequest('/api/v1/surveys', { method: 'POST', headers: auth(key), body: body([question(1)], { activate: true }) }))) as Response
    expect(created.status).toBe(201)
    const { survey } = (await created.json()) as { survey: { id: string; status: string; nextDueAt: string } }
    expect(survey.status).toBe('active')
    expect(new Date(survey.nextDueAt).getTime()).toBeGreaterThan(Date.now())

    const listed = (await (await call(surveyApi.loader, ctx, makeRequest('/api/v1/surveys', { headers: auth(key) })) as Response).json()) as { surveys: { id: string; questionCount: number }[] }
    expect(listed.surveys.find((s) => s.id === survey.id)).toMatchObject({ questionCount: 1, lastRound: null })

    const round = (await call(roundsApi.action, ctx, makeRequest(`/api/v1/surveys/${survey.id}/rounds`, { method: 'POST', headers: auth(key) }), { surveyId: survey.id })) as Response
    expect(round.status).toBe(201)
    const { roundId } = (await round.json()) as { roundId: string }
    const [r] = await queryRows<{ survey_id: string }>(ctx.db, sql`select survey_id from survey_rounds where id = ${roundId}`)
    expect(r.survey_id).toBe(survey.id)
    const refused = (await call(roundsApi.action, ctx, makeRequest(`/api/v1/surveys/${survey.id}/rounds`, { method: 'POST', headers: auth(marketingKey) }), { surveyId: survey.id })) as Response
    expect(refused.status).toBe(403)
  })
})

describe('the respondent page', () => {
  it('shows the survey in the person’s language, enforces required answers, then says "already answered"', async () => {
    const team = await createTeam(ctx.db)
    const person = await createPerson(ctx.db, { email: 'marco@example.test', locale: 'it', teamId: team.id })
    const survey = await createTestSurvey(ctx.db, { title: 'Pagina', audience: { type: 'people', personIds: [person.id] } })
    await openRoundNow(ctx, survey.id)
    await ctx.jobs.drain(ctx, ['surveys.send-invitation'])
    const token = surveyTokenFrom((await sink.waitFor('marco@example.test')).text)
    const page = (await call(respond.loader, ctx, makeRequest(`/s/${token}`), { token })) as { state: string; locale: string; questions: unknown[]; privacy: string }
    expect(page).toMatchObject({ state: 'open', locale: 'it', privacy: 'confidential' })
    expect(page.questions).toHaveLength(2)

    const before = await count('responses')
    const missing = (await call(respond.action, ctx, makeRequest(`/s/${token}`, { form: { q2: 'niente' } }), { token })) as Response
    expect(missing.status).toBe(400)
    expect(((await missing.json()) as { result: { error: Record<string, string[]> } }).result.error).toEqual({ q1: ['Rispondi a questa domanda.'] })
    const outOfRange = (await call(respond.action, ctx, makeRequest(`/s/${token}`, { form: { q1: '9' } }), { token })) as Response
    expect(((await outOfRange.json()) as { result: { error: Record<string, string[]> } }).result.error).toEqual({ q1: ['Scegli una delle opzioni proposte.'] })
    expect(await count('responses')).toBe(before)

    expect(await call(respond.action, ctx, makeRequest(`/s/${token}`, { form: { q1: '4' } }), { token })).toEqual({ state: 'thanks', privacy: 'confidential', replyLink: undefined })
    expect(await call(respond.action, ctx, makeRequest(`/s/${token}`, { form: { q1: '5' } }), { token })).toEqual({ state: 'answered' })
    expect(await call(respond.loader, ctx, makeRequest(`/s/${token}`), { token })).toEqual({ state: 'answered', locale: 'it' })
    expect(await count('responses')).toBe(before + 1)
  })

  it('explains an unknown token and a closed round without revealing anything else', async () => {
    const unknown = (await call(respond.loader, ctx, makeRequest('/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { headers: { 'X-Pulseboard-Client-Ip': '198.51.100.7' } }), { token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })) as Response
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ state: 'invalid', locale: null })

    const person = await createPerson(ctx.db, { email: 'late@example.test' })
    const survey = await createTestSurvey(ctx.db, { title: 'Late', audience: { type: 'people', personIds: [person.id] } })
    const opened = await openRoundNow(ctx, survey.id)
    if (!opened.ok) throw new Error(opened.reason)
    await ctx.jobs.drain(ctx, ['surveys.send-invitation'])
    const token = surveyTokenFrom((await sink.waitFor('late@example.test')).text)
    await ctx.db.execute(sql`update survey_rounds set closes_at = now() - interval '1 minute' where id = ${opened.roundId}`)
    expect(await call(respond.loader, ctx, makeRequest(`/s/${token}`), { token })).toEqual({ state: 'closed', locale: 'en' })
    expect(await call(respond.action, ctx, makeRequest(`/s/${token}`, { form: { q1: '3' } }), { token })).toEqual({ state: 'closed' })
  })

  it('limits token guessing per IP', async () => {
    const ip = { 'X-Pulseboard-Client-Ip': '192.0.2.99' }
    const guess = (i: number) => `guess${String(i).padStart(38, '0')}`
    for (let i = 0; i < 60; i++) {
      const res = (await call(respond.loader, ctx, makeRequest(`/s/${guess(i)}`, { headers: ip }), { token: guess(i) })) as Response
      expect(res.status).toBe(404)
    }
    const blocked = (await call(respond.loader, ctx, makeRequest(`/s/${guess(61)}`, { headers: ip }), { token: guess(61) })) as Response
    expect(blocked.status).toBe(429)
  })
})

describe('/me: my open surveys', () => {
  it('lists the person’s open invitations and opens one with a fresh link', async () => {
    const person = await createPerson(ctx.db, { email: 'me@example.test' })
    const survey = await createTestSurvey(ctx.db, { title: 'Mine', audience: { type: 'people', personIds: [person.id] } })
    await openRoundNow(ctx, survey.id)
    const cookie = await signedInCookie(ctx, person.id)
    const data = (await call(me.loader, ctx, makeRequest('/me', { cookie }))) as { openSurveys: { invitationId: string; title: string }[] }
    expect(data.openSurveys.map((s) => s.title)).toEqual(['Mine'])
    // Another person cannot open it.
    const other = (await call(me.action, ctx, makeRequest('/me', { form: { intent: 'open-survey', invitationId: data.openSurveys[0].invitationId }, cookie: employeeCookie }))) as Response
    expect(other.headers.get('Location')).toBe('/me')
    const res = (await call(me.action, ctx, makeRequest('/me', { form: { intent: 'open-survey', invitationId: data.openSurveys[0].invitationId }, cookie }))) as Response
    const location = res.headers.get('Location')!
    expect(location).toMatch(/^\/s\/[A-Za-z0-9_-]{43}$/)
    const token = location.slice(3)
    expect(await call(respond.action, ctx, makeRequest(location, { form: { q1: '5' } }), { token })).toEqual({ state: 'thanks', privacy: 'confidential', replyLink: undefined })
    const after = (await call(me.loader, ctx, makeRequest('/me', { cookie }))) as { openSurveys: unknown[] }
    expect(after.openSurveys).toEqual([])
  })
})
