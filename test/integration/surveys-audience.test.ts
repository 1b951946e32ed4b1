import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { AppContext } from '~/context'
import { changeSurveyStatus } from '~/surveys/surveys.server'
import { openRoundNow, runScheduler } from '~/surveys/rounds.server'
import * as designer from '~/routes/surveys.$surveyId'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { createTestSurvey } from '#test/support/survey-factories'

let ctx: AppContext

beforeAll(async () => {
  ctx = await setupTestContext()
})

const invited = async (roundId: string) =>
  (await queryRows<{ email: string }>(ctx.db, sql`select p.email from invitations i join people p on p.id = i.person_id where i.round_id = ${roundId} order by p.email`)).map((r) => r.email)

describe('audience', () => {
  it('chosen teams include their sub-teams at any depth; active people only; joiners from the next round', async () => {
    const sales = await createTeam(ctx.db, { name: 'Sales Italy' })
    const north = await createTeam(ctx.db, { name: 'North', parentId: sales.id })
    const milano = await createTeam(ctx.db, { name: 'Milano desk', parentId: north.id })
    const other = await createTeam(ctx.db, { name: 'London desk' })
    await createPerson(ctx.db, { email: 'a-sales@example.test', teamId: sales.id })
    await createPerson(ctx.db, { email: 'b-north@example.test', teamId: north.id })
    await createPerson(ctx.db, { email: 'c-milano@example.test', teamId: milano.id })
    await createPerson(ctx.db, { email: 'd-left@example.test', teamId: milano.id, active: false })
    await createPerson(ctx.db, { email: 'e-london@example.test', teamId: other.id })
    const survey = await createTestSurvey(ctx.db, { audience: { type: 'teams', teamIds: [north.id] } })

    const first = await openRoundNow(ctx, survey.id, new Date('2026-11-02T08:00:00Z'))
    if (!first.ok) throw new Error(first.reason)
    expect(await invited(first.roundId)).toEqual(['b-north@example.test', 'c-milano@example.test'])

    await createPerson(ctx.db, { email: 'f-joiner@example.test', teamId: milano.id })
    expect(await invited(first.roundId)).toEqual(['b-north@example.test', 'c-milano@example.test'])
    const second = await openRoundNow(ctx, survey.id, new Date('2026-11-09T08:00:00Z'))
    if (!second.ok) throw new Error(second.reason)
    expect(await invited(second.roundId)).toEqual(['b-north@example.test', 'c-milano@example.test', 'f-joiner@example.test'])
    const [size] = await queryRows<{ audience_size: number }>(ctx.db, sql`select audience_size from survey_rounds where id = ${second.roundId}`)
    expect(size.audience_size).toBe(3)
  })
})

describe('schedule lifecycle', () => {
  it('a paused survey sends nothing; resumed it continues from now; ended it can send no more', async () => {
    await createPerson(ctx.db, { email: 'lifecycle@example.test' })
    const survey = await createTestSurvey(ctx.db, { title: 'Lifecycle', activate: true })
    const rounds = async () => (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from survey_rounds where survey_id = ${survey.id}`))[0].n
    await ctx.db.execute(sql`update surveys set next_due_at = now() - interval '1 minute' where id = ${survey.id}`)

    expect(await changeSurveyStatus(ctx.db, survey.id, 'pause')).toBe('ok')
    await runScheduler(ctx)
    expect(await rounds()).toBe(0)

    expect(await changeSurveyStatus(ctx.db, survey.id, 'resume')).toBe('ok')
    const [resumed] = await queryRows<{ future: boolean }>(ctx.db, sql`select next_due_at > now() as future from surveys where id = ${survey.id}`)
    expect(resumed.future).toBe(true)
    await runScheduler(ctx)
    expect(await rounds()).toBe(0)

    expect(await changeSurveyStatus(ctx.db, survey.id, 'end')).toBe('ok')
    expect(await changeSurveyStatus(ctx.db, survey.id, 'resume')).toBe('not-allowed')
    expect(await openRoundNow(ctx, survey.id)).toEqual({ ok: false, reason: 'ended' })
  })

  it('a round due inside a quiet period is created on the first day after it', async () => {
    await createPerson(ctx.db, { email: 'quiet@example.test' })
    const survey = await createTestSurvey(ctx.db, {
      title: 'Quiet',
      cadence: 'weekly',
      sendDay: 1,
      sendTime: '09:00',
      startsOn: '2026-03-16',
      quietPeriods: [{ from: '2026-03-23', to: '2026-03-31', label: 'Quarter close' }],
      activate: true,
    })
    // The round of Monday 16 March is sent; the next Mondays (23 and 30 March) fall inside the quiet period.
    await ctx.db.execute(sql`update surveys set next_due_at = '2026-03-16T08:00:00Z' where id = ${survey.id}`)
    await runScheduler(ctx, new Date('2026-03-16T08:00:30Z'))
    const [next] = await queryRows<{ next: string }>(ctx.db, sql`select to_char(next_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as next from surveys where id = ${survey.id}`)
    expect(next.next).toBe('2026-04-01T07:00')
  })
})

describe('designer without JavaScript', () => {
  it('adds a question from the bank through Conform’s intent, saving nothing until "Save"', async () => {
    const hr = await createPerson(ctx.db, { role: 'hr' })
    const survey = await createTestSurvey(ctx.db, { title: 'No JS' })
    const form = {
      intent: 'save',
      title: 'No JS',
      kind: 'pulse',
      cadence: 'weekly',
      sendDay: '1',
      responseWindowDays: '5',
      reminderDays: '2, 4',
      'audience.type': 'everyone',
      'questions[0].type': 'agreement',
      'questions[0].required': 'true',
      'questions[0].text.en': 'One',
      'questions[0].text.it': 'Uno',
      __intent__: JSON.stringify({ type: 'insert', payload: { name: 'questions', defaultValue: { type: 'agreement', driver: 'quota_fairness', required: 'true', text: { en: 'My quota is achievable.', it: 'Il mio obiettivo di vendita è raggiungibile.' }, bankKey: 'quota_fairness_achievable' } } }),
    }
    const res = (await call(designer.action, ctx, makeRequest(`/surveys/${survey.id}`, { form, cookie: await signedInCookie(ctx, hr.id) }), { surveyId: survey.id })) as Response
    const body = (await res.json()) as { result: { initialValue: { questions: { text: { en: string } }[] } } }
    expect(body.result.initialValue.questions.map((q) => q.text.en)).toEqual(['One', 'My quota is achievable.'])
    const [row] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from survey_questions where survey_id = ${survey.id}`)
    expect(row.n).toBe(2)
  })
})
