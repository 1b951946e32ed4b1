import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { settings } from '#db/schema'
import { createApiKey } from '~/settings/api-keys.server'
import { createPerson } from '#test/support/factories'
import { type AppProcess, closeAppContext, controlContext, createDatabase, startPrivateCluster, startProcess, waitUntil } from './processes'

/**
 * PostgreSQL restarted under a serving web process (with its in-process worker). The cluster is
 * the test's own (initdb on another port): the shared server on 5432 is never touched.
 */
let cluster: Awaited<ReturnType<typeof startPrivateCluster>>
let database: Awaited<ReturnType<typeof createDatabase>>
let server: AppProcess
let apiKey: string

beforeAll(async () => {
  cluster = await startPrivateCluster()
  database = await createDatabase(cluster.url)
  const ctx = await controlContext(database.url)
  await ctx.db.update(settings).set({ orgName: 'Restart Ltd', defaultLocale: 'en' })
  await createPerson(ctx.db, { email: 'ana@restart.test', name: 'Ana Restart', locale: 'en' })
  apiKey = (await createApiKey(ctx.db, { name: 'restart test' })).key
  await closeAppContext(ctx)
  server = await startProcess('server', { databaseUrl: database.url })
})

afterAll(async () => {
  await server?.stop()
  try {
    cluster?.start()
  } catch {
    // running already
  }
  await database?.drop()
  await cluster?.destroy()
})

const page = (path: string) => fetch(`${server.url}${path}`, { headers: { Accept: 'text/html', 'Accept-Language': 'en' } })
const api = (path: string) => fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${apiKey}` } })

describe('PostgreSQL restarted while serving', () => {
  it('answers a clean 503 page or JSON error during the gap, and recovers without a restart', async () => {
    expect((await page('/login')).status).toBe(200)
    expect((await api('/api/v1/people')).status).toBe(200)

    cluster.stop()

    const screen = await page('/login')
    expect(screen.status).toBe(503)
    expect(screen.headers.get('content-type')).toContain('text/html')
    const html = await screen.text()
    expect(html).toContain('Temporarily unavailable')
    expect(html).toContain('Pulseboard cannot reach its database right now. Try again in a moment.')
    expect(html).not.toMatch(/ECONNREFUSED|stack|at \w+ \(/)

    const json = await api('/api/v1/people')
    expect(json.status).toBe(503)
    expect(json.headers.get('content-type')).toContain('application/json')
    expect(await json.json()).toEqual({
      error: { code: 'unavailable', message: 'Pulseboard cannot reach its database right now; nothing was changed. Try again in a moment.', details: {} },
    })

    // A form post in the gap: the same page, nothing half-done.
    const post = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ intent: 'link', email: 'someone@restart.test', redirectTo: '/' }) })
    expect(post.status).toBe(503)

    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toEqual({ status: 'database unreachable', database: 'postgres' })
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)

    cluster.start()

    // The same process (no restart): postgres.js reconnects on the next query, pg-boss's pool too.
    await waitUntil('/readyz after the restart', async () => (await fetch(`${server.url}/readyz`)).status === 200, 30_000, 250)
    const back = await page('/login')
    expect(back.status, server.output().slice(-4000)).toBe(200)
    expect(await back.text()).toContain('Restart Ltd')
    const people = await api('/api/v1/people')
    expect(people.status).toBe(200)
    // The in-process worker works jobs again: a sign-in link request is queued and its email written.
    const asked = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ intent: 'link', email: 'ana@restart.test', redirectTo: '/' }) })
    expect(asked.status).toBe(200)
    const sql = postgres(database.url, { max: 1, onnotice: () => {} })
    try {
      const rows = await waitUntil('the sign-in email in the outbox', async () => {
        const found = await sql`select subject from outbox where "to" = 'ana@restart.test'`
        return found.length ? found : undefined
      }, 30_000, 500).catch((error) => {
        throw new Error(`${(error as Error).message}\n${server.output().slice(-6000)}`)
      })
      expect(rows.map((r) => r.subject)).toEqual(['Your Pulseboard sign-in link'])
    } finally {
      await sql.end()
    }
    expect(await Promise.race([server.exited.then(() => 'exited'), Promise.resolve('running')])).toBe('running')
  })
})
