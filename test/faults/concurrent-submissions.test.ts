import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { people } from '#db/schema'
import { hashToken, randomToken } from '~/auth/tokens.server'
import type { AppContext } from '~/context'
import { openRoundNow } from '~/surveys/rounds.server'
import { createTestSurvey } from '#test/support/survey-factories'
import { type AppProcess, closeAppContext, controlContext, createDatabase, startProcess } from './processes'

/** 500 people answer the same round at the same moment, through two web processes; 50 press "send" twice. */
let database: Awaited<ReturnType<typeof createDatabase>>
let ctx: AppContext
let servers: AppProcess[] = []
let roundId: string
let surveyId: string
const tokens: string[] = []

beforeAll(async () => {
  database = await createDatabase()
  ctx = await controlContext(database.url)
  const rows = Array.from({ length: 500 }, (_, i) => ({ name: `Rep ${i}`, email: `rep${i}@burst.test`, locale: 'en' as const, crmOwnerKeys: [] }))
  const created = await ctx.db.insert(people).values(rows).returning({ id: people.id })
  const survey = await createTestSurvey(ctx.db, { title: 'Burst pulse', audience: { type: 'people', personIds: created.map((p) => p.id) } })
  surveyId = survey.id
  const opened = await openRoundNow(ctx, survey.id)
  if (!opened.ok) throw new Error(opened.reason)
  roundId = opened.roundId
  // As if the wave had been delivered: each invitation gets the token its email would carry (the
  // sending itself is proven in delivery.test.ts; here only the answering is under load).
  const invitations = await queryRows<{ id: string }>(ctx.db, sql`select id from invitations where round_id = ${roundId} order by id`)
  expect(invitations.length).toBe(500)
  for (const invitation of invitations) {
    const token = randomToken()
    tokens.push(token)
    await ctx.db.execute(sql`update invitations set token_hash = ${hashToken(token)}, delivery_status = 'sent', sent_at = now() where id = ${invitation.id}`)
  }
  servers = await Promise.all([0, 1].map(() => startProcess('server', { databaseUrl: database.url, env: { RUN_WORKER: 'false', LOG_LEVEL: 'warn' } })))
})

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()))
  await closeAppContext(ctx)
  await database.drop()
})

describe('500 concurrent survey submissions', () => {
  it('store exactly 500 responses; the 50 double submits are answered "already answered", not stored twice', async () => {
    const submissions = [...tokens, ...tokens.slice(0, 50)].map((token, i) =>
      fetch(`${servers[i % 2].url}/s/${token}`, { method: 'POST', body: new URLSearchParams({ q1: String((i % 5) + 1), q2: i % 3 ? '' : `Idea ${i}` }) }).then(async (res) => ({
        status: res.status,
        body: await res.text(),
      })),
    )
    const results = await Promise.all(submissions)
    const failed = results.filter((r) => r.status !== 200)
    expect(failed.length, `${failed[0]?.body.slice(0, 500)}\n${servers.map((s) => s.output().slice(-3000)).join('\n')}`).toBe(0)
    expect(results.filter((r) => r.body.includes('Thank you!')).length).toBe(500)
    expect(results.filter((r) => r.body.includes('Already answered — thank you')).length).toBe(50)
    const [counts] = await queryRows<{ responses: number; responded: number; agreement: number }>(
      ctx.db,
      sql`select (select count(*)::int from responses where survey_id = ${surveyId}) as responses,
                 (select count(*)::int from invitations where round_id = ${roundId} and responded_at is not null) as responded,
                 (select count(*)::int from answers a join responses r on r.id = a.response_id where r.survey_id = ${surveyId} and a.value_number is not null) as agreement`,
    )
    expect(counts).toEqual({ responses: 500, responded: 500, agreement: 500 })
  })
})
