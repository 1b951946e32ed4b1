import { sql } from 'drizzle-orm'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { AppContext } from '~/context'
import { openRoundNow } from '~/surveys/rounds.server'
import { createPerson } from '#test/support/factories'
import { startSmtpSink } from '#test/support/smtp-sink'
import { createTestSurvey } from '#test/support/survey-factories'
import { type AppProcess, closeAppContext, controlContext, createDatabase, duplicatesByRecipient, sleep, startProcess, waitUntil } from './processes'

/** SIGTERM to a web process with its in-process worker, while a request and a job are in flight. */
let database: Awaited<ReturnType<typeof createDatabase>>
let ctx: AppContext
let smtp: Awaited<ReturnType<typeof startSmtpSink>>
const running: AppProcess[] = []

beforeAll(async () => {
  database = await createDatabase()
  ctx = await controlContext(database.url)
  // Each email takes 800 ms to accept: the worker is mid-send when the signal comes.
  smtp = await startSmtpSink({ delayMs: 800 })
})

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()))
  await smtp.close()
  await closeAppContext(ctx)
  await database.drop()
})

/** A form post whose body arrives in two parts: the request is in flight until `finish` is called. */
function slowPost(url: string, path: string, body: string) {
  const target = new URL(path, url)
  let respond: (value: { status: number; body: string }) => void
  let fail: (error: Error) => void
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => ((respond = resolve), (fail = reject)))
  const req = request(
    { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent: false, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } },
    (res) => {
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => respond({ status: res.statusCode ?? 0, body: text }))
    },
  )
  req.on('error', (error) => fail(error))
  const half = Math.floor(body.length / 2)
  req.write(body.slice(0, half))
  return {
    response,
    finish: () => req.end(body.slice(half)),
  }
}

describe('graceful shutdown', () => {
  it('on SIGTERM: stops accepting, finishes the request in flight, finishes or releases jobs, exits 0; nothing is lost', async () => {
    const server = await startProcess('server', { databaseUrl: database.url, smtpUrl: smtp.url })
    running.push(server)
    const people = []
    for (let i = 0; i < 8; i++) people.push(await createPerson(ctx.db, { email: `term${i}@faults.test`, locale: 'en' }))
    const recipients = people.map((p) => p.email)
    const survey = await createTestSurvey(ctx.db, { title: 'Shutdown pulse', audience: { type: 'people', personIds: people.map((p) => p.id) } })
    const opened = await openRoundNow(ctx, survey.id)
    if (!opened.ok) throw new Error(opened.reason)
    await waitUntil('the first invitation', () => smtp.messages.length >= 1, 60_000, 50)

    const inFlight = slowPost(server.url, '/login', new URLSearchParams({ intent: 'link', email: 'nobody@faults.test', redirectTo: '/' }).toString())
    await sleep(500)
    server.signal('SIGTERM')
    // The listener closes at once: a new connection is refused while the old request drains.
    await waitUntil('new connections refused', async () => {
      try {
        await fetch(`${server.url}/healthz`)
        return false
      } catch {
        return true
      }
    }, 10_000, 100)
    inFlight.finish()
    const answered = await inFlight.response
    expect(answered.status, `${answered.body.slice(0, 1500)}\n${server.output().slice(-4000)}`).toBe(200)
    expect(answered.body).toContain('Check your inbox')
    expect(await server.exited).toBe(0)
    expect(server.output()).toContain('SIGTERM received: shutting down')

    // No claim left half-done: each invitation is sent (and in the sink) or still waiting for a job.
    const statuses = await queryRows<{ status: string; n: number }>(ctx.db, sql`select delivery_status as status, count(*)::int as n from invitations where round_id = ${opened.roundId} group by 1 order by 1`)
    expect(statuses.every((s) => s.status === 'sent' || s.status === 'pending')).toBe(true)
    const [active] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from pgboss.job where state = 'active'`)
    expect(active.n).toBe(0)
    const sentBefore = statuses.find((s) => s.status === 'sent')?.n ?? 0
    expect(sentBefore).toBeLessThan(8)
    expect(smtp.messages.length).toBe(sentBefore)

    // The next worker picks up what was released, at once: every invitation once, none twice.
    running.push(await startProcess('worker', { databaseUrl: database.url, smtpUrl: smtp.url }))
    await waitUntil('every invitation sent after the restart', async () => {
      const [row] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from invitations where round_id = ${opened.roundId} and delivery_status = 'sent'`)
      return row.n === 8
    }, 60_000, 250)
    const { missing, extra } = duplicatesByRecipient(smtp.messages, recipients)
    expect(missing).toEqual([])
    expect(extra).toBe(0)
  })
})
