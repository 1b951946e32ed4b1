import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, queryRows } from '#db/client'
import type { AppContext } from '~/context'
import { closeAppContext, createAppContext } from '~/context.server'
import { createLogger } from '~/logger.server'
import { submitResponse } from '~/responses/respond.server'
import { runReminders, runScheduler, openRoundNow } from '~/surveys/rounds.server'
import { sendReminder } from '~/surveys/sending.server'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { startSmtpSink } from '#test/support/smtp-sink'
import { createTestSurvey, surveyTokenFrom } from '#test/support/survey-factories'

let ctx: AppContext
let sink: Awaited<ReturnType<typeof startSmtpSink>>

beforeAll(async () => {
  sink = await startSmtpSink({ rejectRecipients: (a) => a.startsWith('bounce') })
  ctx = await setupTestContext({ smtpUrl: sink.url })
  return () => sink.close()
})

const count = async (query: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(ctx.db, query))[0].n

describe('scheduler with two workers at the same moment', () => {
  it('creates one round, one invitation and one email per person', async () => {
    const team = await createTeam(ctx.db, { name: 'Race team' })
    const members = await Promise.all([1, 2, 3].map((i) => createPerson(ctx.db, { teamId: team.id, email: `race${i}@example.test` })))
    await createPerson(ctx.db, { teamId: team.id, email: 'left@example.test', active: false })
    const survey = await createTestSurvey(ctx.db, { title: 'Race pulse', audience: { type: 'teams', teamIds: [team.id] }, activate: true })
    // Due now: the schedule's first time is in the future, so bring it to the past as the clock would.
    await ctx.db.execute(sql`update surveys set next_due_at = now() - interval '1 minute' where id = ${survey.id}`)

    // A second worker: its own AppContext (own connections and pg-boss) on the same PostgreSQL database;
    // on PGlite (one process by design) the second worker is a second drain on the same context.
    let other: AppContext = ctx
    if (ctx.database.engine === 'postgres') {
      const database = await openDatabase({ url: ctx.database.url!, max: 5 })
      other = await createAppContext(ctx.env, database, { logger: createLogger('silent'), schedule: false, supervise: false })
    }
    try {
      await Promise.all([ctx.jobs.send('surveys.schedule', {}), other.jobs.send('surveys.schedule', {})])
      await Promise.all([ctx.jobs.drain(ctx), other.jobs.drain(other)])
      await Promise.all([runScheduler(ctx), runScheduler(other)])
      await Promise.all([ctx.jobs.drain(ctx), other.jobs.drain(other)])
    } finally {
      if (other !== ctx) await closeAppContext(other)
    }

    expect(await count(sql`select count(*)::int as n from survey_rounds where survey_id = ${survey.id}`)).toBe(1)
    expect(await count(sql`select count(*)::int as n from invitations i join survey_rounds r on r.id = i.round_id where r.survey_id = ${survey.id}`)).toBe(3)
    expect(await count(sql`select count(*)::int as n from invitations i join survey_rounds r on r.id = i.round_id where r.survey_id = ${survey.id} and i.delivery_status = 'sent'`)).toBe(3)
    for (const m of members) {
      await sink.waitFor(m.email)
      expect(sink.messages.filter((x) => x.to.includes(m.email)).length).toBe(1)
    }
    expect(sink.messages.some((x) => x.to.includes('left@example.test'))).toBe(false)
    // The next round moved on (a week later), so the next tick creates nothing.
    const [next] = await queryRows<{ later: boolean }>(ctx.db, sql`select next_due_at > now() as later from surveys where id = ${survey.id}`)
    expect(next.later).toBe(true)
  })
})

describe('responding', () => {
  it('stores one response for a double submission', async () => {
    const person = await createPerson(ctx.db, { email: 'double@example.test' })
    const survey = await createTestSurvey(ctx.db, { title: 'Double pulse', audience: { type: 'people', personIds: [person.id] } })
    const opened = await openRoundNow(ctx, survey.id)
    expect(opened.ok).toBe(true)
    await ctx.jobs.drain(ctx, ['surveys.send-invitation'])
    const token = surveyTokenFrom((await sink.waitFor('double@example.test', (m) => m.subject.startsWith('Double pulse'))).text)
    const results = await Promise.all([submitResponse(ctx, token, { q1: 4, q2: 'More leads' }), submitResponse(ctx, token, { q1: 5 })])
    expect(results.map((r) => r.status).sort()).toEqual(['answered', 'recorded'])
    expect(await count(sql`select count(*)::int as n from responses where survey_id = ${survey.id}`)).toBe(1)
    expect(await count(sql`select count(*)::int as n from answers a join responses r on r.id = a.response_id where r.survey_id = ${survey.id}`)).toBeGreaterThanOrEqual(1)
    // A later reuse of the link stores nothing more.
    expect((await submitResponse(ctx, token, { q1: 1 })).status).toBe('answered')
    expect(await count(sql`select count(*)::int as n from responses where survey_id = ${survey.id}`)).toBe(1)
  })

  it('anonymous mode keeps no person and no invitation on the response, only the team and the day', async () => {
    const team = await createTeam(ctx.db, { name: 'Anonymous team' })
    const person = await createPerson(ctx.db, { email: 'anon@example.test', teamId: team.id })
    const survey = await createTestSurvey(ctx.db, { title: 'Anon pulse', privacy: 'anonymous', audience: { type: 'people', personIds: [person.id] } })
    await openRoundNow(ctx, survey.id)
    await ctx.jobs.drain(ctx, ['surveys.send-invitation'])
    const token = surveyTokenFrom((await sink.waitFor('anon@example.test', (m) => m.subject.startsWith('Anon pulse'))).text)
    expect((await submitResponse(ctx, token, { q1: 2, q2: 'Too many reports' })).status).toBe('recorded')
    const rows = await queryRows<Record<string, unknown>>(ctx.db, sql`select * from responses where survey_id = ${survey.id}`)
    expect(rows).toHaveLength(1)
    expect(rows[0].person_id).toBeNull()
    expect(rows[0].invitation_id).toBeNull()
    expect(rows[0].team_id).toBe(team.id)
    const [today] = await queryRows<{ d: string }>(ctx.db, sql`select (now() at time zone 'Europe/Rome')::date::text as d`)
    expect(String(rows[0].submitted_on).slice(0, 10)).toBe(today.d)
    expect(Object.keys(rows[0]).sort()).toEqual(['group_path', 'id', 'imported', 'invitation_id', 'person_id', 'reply_token_hash', 'round_id', 'submitted_on', 'survey_id', 'team_id'])
    // The groups of the response are written only when its round closes.
    expect(rows[0].group_path).toBeNull()
    // With a comment, the response gets a private link for replies: only its hash, linked to no one.
    expect(rows[0].reply_token_hash).toMatch(/^[0-9a-f]{64}$/)
    const answers = await queryRows<{ value_number: number | null; value_text: string | null }>(ctx.db, sql`select value_number, value_text from answers where response_id = ${rows[0].id as string} order by id`)
    expect(answers).toEqual([
      { value_number: 2, value_text: null },
      { value_number: null, value_text: 'Too many reports' },
    ])
    // The invitation only records that it was answered.
    expect(await count(sql`select count(*)::int as n from invitations where person_id = ${person.id} and responded_at is not null`)).toBe(1)
  })
})

describe('delivery', () => {
  it('shows a refused recipient as rejected in the round counts, and does not retry it', async () => {
    const good = await createPerson(ctx.db, { email: 'fine@example.test' })
    const bad = await createPerson(ctx.db, { email: 'bounce@example.test' })
    const survey = await createTestSurvey(ctx.db, { title: 'Bounce pulse', audience: { type: 'people', personIds: [good.id, bad.id] } })
    const opened = await openRoundNow(ctx, survey.id)
    if (!opened.ok) throw new Error(opened.reason)
    await ctx.jobs.drain(ctx, ['surveys.send-invitation'])
    const rows = await queryRows<{ sent: number; rejected: number; failed: number }>(
      ctx.db,
      sql`select count(*) filter (where delivery_status = 'sent')::int as sent, count(*) filter (where delivery_status = 'rejected')::int as rejected,
            count(*) filter (where delivery_status = 'failed')::int as failed from invitations where round_id = ${opened.roundId}`,
    )
    expect(rows[0]).toEqual({ sent: 1, rejected: 1, failed: 0 })
    const { listSurveys } = await import('~/surveys/surveys.server')
    const listed = (await listSurveys(ctx.db)).find((s) => s.id === survey.id)!
    // An open round of two invitees shows no response count at all (fewer invitees than the threshold).
    expect(listed.lastRound).toMatchObject({ invited: 2, sent: 1, rejected: 1, failed: 0, responded: null, respondedFewerThan: null })
  })

  it('sends the invitation in Italian to an Italian person, with the privacy statement', async () => {
    const person = await createPerson(ctx.db, { email: 'giulia@example.test', name: 'Giulia Rossi', locale: 'it' })
    const survey = await createTestSurvey(ctx.db, { title: 'Pulse di Roma', privacy: 'anonymous', audience: { type: 'people', personIds: [person.id] } })
    await openRoundNow(ctx, survey.id)
    await ctx.jobs.drain(ctx, ['surveys.send-invitation'])
    const mail = await sink.waitFor('giulia@example.test')
    expect(mail.subject).toBe('Pulse di Roma: le tue risposte, in meno di un minuto')
    expect(mail.text).toContain('Ciao Giulia Rossi,')
    expect(mail.text).toContain('Ci vuole meno di un minuto.')
    expect(mail.text).toContain('Questo sondaggio è anonimo')
    expect(mail.text).toContain('Nessuno, nemmeno le Risorse Umane, può vedere chi ha risposto cosa')
    expect(mail.text).toMatch(/http:\/\/pulseboard\.test\/s\/[A-Za-z0-9_-]{43}/)
    expect(mail.html).toContain('Rispondi ora')
    // Only the token's SHA-256 is stored.
    const token = surveyTokenFrom(mail.text)
    expect(await count(sql`select count(*)::int as n from invitations where person_id = ${person.id} and token_hash = encode(sha256(convert_to(${token}, 'UTF8')), 'hex')`)).toBe(1)
    expect(await count(sql`select count(*)::int as n from invitations where token_hash = ${token}`)).toBe(0)
  })

  it('reminds only people who have not answered, at the configured days, with a link that works', async () => {
    const answered = await createPerson(ctx.db, { email: 'answered@example.test' })
    const silent = await createPerson(ctx.db, { email: 'silent@example.test' })
    const survey = await createTestSurvey(ctx.db, { title: 'Reminder pulse', reminderDays: [2, 4], audience: { type: 'people', personIds: [answered.id, silent.id] } })
    const opened = await openRoundNow(ctx, survey.id)
    if (!opened.ok) throw new Error(opened.reason)
    await ctx.jobs.drain(ctx, ['surveys.send-invitation'])
    const token = surveyTokenFrom((await sink.waitFor('answered@example.test', (m) => m.subject.startsWith('Reminder pulse'))).text)
    expect((await submitResponse(ctx, token, { q1: 4 })).status).toBe('recorded')

    // Earlier tests' rounds are still open: close them so the counts below are this round's.
    await ctx.db.execute(sql`update survey_rounds set status = 'closed' where id <> ${opened.roundId}`)
    const day = 24 * 60 * 60 * 1000
    expect(await runReminders(ctx, new Date(Date.now() + day))).toBe(0)
    expect(await runReminders(ctx, new Date(Date.now() + 2 * day + 60_000))).toBe(1)
    await ctx.jobs.drain(ctx, ['surveys.send-reminder'])
    // Running the tick again before day 4 queues nothing more.
    expect(await runReminders(ctx, new Date(Date.now() + 2 * day + 120_000))).toBe(0)
    expect(await runReminders(ctx, new Date(Date.now() + 4 * day + 60_000))).toBe(1)
    await ctx.jobs.drain(ctx, ['surveys.send-reminder'])

    const reminders = sink.messages.filter((m) => m.subject === 'Reminder: Reminder pulse')
    expect(reminders.map((m) => m.to[0]).sort()).toEqual(['silent@example.test', 'silent@example.test'])
    // The reminder's link works alongside the first one.
    const reminderToken = surveyTokenFrom(reminders[0].text)
    expect((await submitResponse(ctx, reminderToken, { q1: 3 })).status).toBe('recorded')
    expect(await count(sql`select count(*)::int as n from responses where survey_id = ${survey.id}`)).toBe(2)
  })

  it('sends a reminder whose job names the invitation id in upper case', async () => {
    const person = await createPerson(ctx.db, { email: 'upper.case@example.test' })
    const survey = await createTestSurvey(ctx.db, { title: 'Upper-case reminder', audience: { type: 'people', personIds: [person.id] } })
    const opened = await openRoundNow(ctx, survey.id)
    if (!opened.ok) throw new Error(opened.reason)
    await ctx.jobs.drain(ctx, ['surveys.send-invitation'])
    await sink.waitFor('upper.case@example.test', (m) => m.subject.startsWith('Upper-case reminder'))
    const [invitation] = await queryRows<{ id: string }>(ctx.db, sql`select id::text as id from invitations where round_id = ${opened.roundId} and person_id = ${person.id}`)
    expect(await sendReminder(ctx, { invitationId: invitation.id.toUpperCase(), number: 1 })).toBe('sent')
    const reminder = await sink.waitFor('upper.case@example.test', (m) => m.subject === 'Reminder: Upper-case reminder')
    expect((await submitResponse(ctx, surveyTokenFrom(reminder.text), { q1: 5 })).status).toBe('recorded')
  })
})
