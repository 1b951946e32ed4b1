import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { settings } from '#db/schema'
import type { AppContext } from '~/context'
import { createPerson } from '#test/support/factories'
import { startSmtpSink } from '#test/support/smtp-sink'
import { createTestSurvey } from '#test/support/survey-factories'
import { type AppProcess, closeAppContext, controlContext, createDatabase, duplicatesByRecipient, sleep, startProcess } from './processes'

/** Two web processes and two workers on one PostgreSQL database, as behind a load balancer. */
let database: Awaited<ReturnType<typeof createDatabase>>
let ctx: AppContext
let smtp: Awaited<ReturnType<typeof startSmtpSink>>
let webA: AppProcess
let webB: AppProcess
const running: AppProcess[] = []
const reps = ['ada@twin.test', 'bruno@twin.test', 'carla@twin.test', 'dario@twin.test']

beforeAll(async () => {
  database = await createDatabase()
  ctx = await controlContext(database.url)
  smtp = await startSmtpSink()
  await ctx.db.update(settings).set({ orgName: 'Twin Ltd', defaultLocale: 'en' })
  await createPerson(ctx.db, { email: 'hanna@twin.test', name: 'Hanna Twin', role: 'hr', locale: 'en' })
  const web = { databaseUrl: database.url, smtpUrl: smtp.url, env: { RUN_WORKER: 'false', LOG_LEVEL: 'warn' } }
  const worker = { databaseUrl: database.url, smtpUrl: smtp.url }
  // Two at a time: four processes compiling at once on a small machine take minutes to listen.
  running.push(...(await Promise.all([startProcess('server', web), startProcess('server', web)])))
  running.push(...(await Promise.all([startProcess('worker', worker), startProcess('worker', worker)])))
  ;[webA, webB] = running
})

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()))
  await smtp.close()
  await closeAppContext(ctx)
  await database.drop()
})

describe('two web processes and two workers on one database', () => {
  it('a session made on one web process works on the other', async () => {
    const asked = await fetch(`${webA.url}/login`, { method: 'POST', body: new URLSearchParams({ intent: 'link', email: 'hanna@twin.test', redirectTo: '/' }) })
    expect(asked.status).toBe(200)
    // The email is sent by whichever worker takes the job.
    const mail = await smtp.waitFor('hanna@twin.test', (m) => m.subject === 'Your Pulseboard sign-in link', 60_000)
    const token = /\/auth\/verify\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]
    const verified = await fetch(`${webA.url}/auth/verify`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' })
    expect(verified.status).toBe(302)
    const cookie = verified.headers.get('set-cookie')!.split(';')[0]
    for (const web of [webB, webA]) {
      const home = await fetch(`${web.url}/`, { headers: { Cookie: cookie, Accept: 'text/html' }, redirect: 'manual' })
      expect(home.status).toBe(200)
      expect(await home.text()).toContain('Hanna Twin')
    }
    // Signed out on B: the session is gone on A too.
    const out = await fetch(`${webB.url}/logout`, { method: 'POST', headers: { Cookie: cookie }, redirect: 'manual' })
    expect(out.status).toBe(302)
    const after = await fetch(`${webA.url}/`, { headers: { Cookie: cookie }, redirect: 'manual' })
    expect(after.status).toBe(302)
    expect(after.headers.get('location')).toMatch(/^\/login/)
  })

  it('a survey due with both workers scheduling: one round, one email per invitation', async () => {
    const people = await Promise.all(reps.map((email, i) => createPerson(ctx.db, { email, name: `Rep ${i}`, locale: 'en' })))
    const survey = await createTestSurvey(ctx.db, { title: 'Twin pulse', audience: { type: 'people', personIds: people.map((p) => p.id) }, activate: true })
    await ctx.db.execute(sql`update surveys set next_due_at = now() - interval '1 minute' where id = ${survey.id}`)
    // Both workers' scheduler at once (their cron ticks each minute as well).
    await Promise.all([ctx.jobs.send('surveys.schedule', {}), ctx.jobs.send('surveys.schedule', {})])
    for (const email of reps) await smtp.waitFor(email, (m) => m.subject.startsWith('Twin pulse'), 90_000)
    // Time for a second, duplicate email to arrive if there were to be one.
    await sleep(3_000)
    const [rounds] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from survey_rounds where survey_id = ${survey.id}`)
    expect(rounds.n).toBe(1)
    const invitations = smtp.messages.filter((m) => m.subject.startsWith('Twin pulse'))
    const { missing, extra } = duplicatesByRecipient(invitations, reps)
    expect(missing).toEqual([])
    expect(extra).toBe(0)
    expect(invitations.length).toBe(4)
  })
})
