import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { apiKeys, auditLog, outbox, settings } from '#db/schema'
import type { Role } from '#db/schema/people'
import type { AppContext } from '~/context'
import * as apiKeysRoute from '~/routes/settings.api-keys'
import * as settingsRoute from '~/routes/settings._index'
import * as outboxIndex from '~/routes/outbox._index'
import * as outboxMessage from '~/routes/outbox.$messageId'
import { setupTestContext } from '#test/support/context'
import { createPerson } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext
const cookies = {} as Record<Role, string>

beforeAll(async () => {
  ctx = await setupTestContext()
  for (const role of ['admin', 'hr', 'leader', 'marketing', 'employee'] as const) {
    const person = await createPerson(ctx.db, { role, email: `${role}@example.test` })
    cookies[role] = await signedInCookie(ctx, person.id)
  }
})

const status = (r: unknown) => (r instanceof Response ? r.status : 200)

describe('admin-only screens refuse every other role', () => {
  const screens = [
    { name: 'settings', route: settingsRoute, path: '/settings', form: { orgName: 'Hacked' } },
    { name: 'api keys', route: apiKeysRoute, path: '/settings/api-keys', form: { intent: 'create', name: 'sneaky' } },
    { name: 'outbox', route: outboxIndex, path: '/outbox', form: null },
  ] as const

  for (const screen of screens) {
    for (const role of ['hr', 'leader', 'marketing', 'employee'] as const) {
      it(`${screen.name}: ${role} gets 403 on read${screen.form ? ' and write' : ''}`, async () => {
        expect(status(await call(screen.route.loader, ctx, makeRequest(screen.path, { cookie: cookies[role] })))).toBe(403)
        if (screen.form && 'action' in screen.route) {
          expect(status(await call(screen.route.action, ctx, makeRequest(screen.path, { cookie: cookies[role], form: screen.form })))).toBe(403)
        }
      })
    }
    it(`${screen.name}: signed out is sent to the sign-in page`, async () => {
      const res = (await call(screen.route.loader, ctx, makeRequest(screen.path))) as Response
      expect(res.status).toBe(302)
      expect(res.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(screen.path)}`)
    })
    it(`${screen.name}: admin may open it`, async () => {
      expect(status(await call(screen.route.loader, ctx, makeRequest(screen.path, { cookie: cookies.admin })))).toBe(200)
    })
  }
  it('nothing changed through the refused writes', async () => {
    expect(await ctx.db.select().from(apiKeys)).toHaveLength(0)
    const [row] = await ctx.db.select().from(settings)
    expect(row.orgName).not.toBe('Hacked')
  })
})

describe('settings', () => {
  const valid = { orgName: 'Acme', defaultLocale: 'it', timezone: 'Europe/Rome', currency: 'eur', enpsScale: '0-10', thresholdScores: '6', thresholdComments: '7', winRateConvention: 'closed' }

  it('refuses bad values with messages naming what is accepted, and saves nothing', async () => {
    const before = await ctx.db.select().from(settings)
    const res = (await call(settingsRoute.action, ctx, makeRequest('/settings', { cookie: cookies.admin, form: { ...valid, timezone: 'Mars/Olympus', currency: 'EURO', thresholdScores: '2', thresholdComments: '11' } }))) as Response
    expect(res.status).toBe(400)
    const body = (await res.json()) as { result: { error: Record<string, string[]> } }
    expect(body.result.error).toEqual({
      timezone: ['Enter a valid IANA time zone such as Europe/Rome or Europe/London.'],
      currency: ['Enter a three-letter ISO 4217 currency code such as EUR.'],
      thresholdScores: ['Enter a whole number from 3 to 10.'],
      thresholdComments: ['Enter a whole number from 3 to 10.'],
    })
    const low = (await call(settingsRoute.action, ctx, makeRequest('/settings', { cookie: cookies.admin, form: { ...valid, thresholdScores: '6', thresholdComments: '5' } }))) as Response
    expect(((await low.json()) as { result: { error: Record<string, string[]> } }).result.error).toEqual({ thresholdComments: ['The comment threshold must be at least the score threshold.'] })
    expect(await ctx.db.select().from(settings)).toEqual(before)
  })

  it('saves valid settings and audits threshold changes', async () => {
    const res = (await call(settingsRoute.action, ctx, makeRequest('/settings', { cookie: cookies.admin, form: valid }))) as { saved: boolean }
    expect(res.saved).toBe(true)
    const [row] = await ctx.db.select().from(settings)
    expect(row).toMatchObject({ orgName: 'Acme', currency: 'EUR', enpsScale: '0-10', thresholdScores: 6, thresholdComments: 7 })
    const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.action, 'settings.changed'))
    expect(audit).toHaveLength(1)
    expect(audit[0].details).toEqual({ thresholdScores: { from: 5, to: 6 }, thresholdComments: { from: 5, to: 7 }, enpsScale: { from: '1-10', to: '0-10' } })
  })
})

describe('API keys', () => {
  it('shows a new key once and stores only its hash; a revoked key stops working', async () => {
    const res = (await call(apiKeysRoute.action, ctx, makeRequest('/settings/api-keys', { cookie: cookies.admin, form: { intent: 'create', name: 'BI export', role: 'hr' } }))) as { key: string }
    expect(res.key).toMatch(/^pb_[A-Za-z0-9_-]{43}$/)
    const [row] = await ctx.db.select().from(apiKeys)
    expect(row).toMatchObject({ name: 'BI export', role: 'hr', prefix: res.key.slice(0, 10) })
    expect(JSON.stringify(row)).not.toContain(res.key)
    const list = (await call(apiKeysRoute.loader, ctx, makeRequest('/settings/api-keys', { cookie: cookies.admin }))) as object
    expect(JSON.stringify(list)).not.toContain(res.key)
    await call(apiKeysRoute.action, ctx, makeRequest('/settings/api-keys', { cookie: cookies.admin, form: { intent: 'revoke', id: row.id } }))
    const [revoked] = await ctx.db.select().from(apiKeys)
    expect(revoked.revokedAt).not.toBeNull()
  })
  it('refuses a nameless key', async () => {
    const res = (await call(apiKeysRoute.action, ctx, makeRequest('/settings/api-keys', { cookie: cookies.admin, form: { intent: 'create', name: '  ' } }))) as Response
    expect(res.status).toBe(400)
    expect(((await res.json()) as { result: { error: Record<string, string[]> } }).result.error.name).toEqual(['Give the key a name, such as “BI export”.'])
  })
})

describe('outbox', () => {
  it('lists stored messages and shows one with clickable links; unknown ids are 404', async () => {
    await ctx.mailer.send({ to: 'someone@example.test', subject: 'Hello', html: '<p>Hi</p>', text: 'Open http://pulseboard.test/auth/verify?token=abc to sign in', kind: 'test' })
    const list = (await call(outboxIndex.loader, ctx, makeRequest('/outbox', { cookie: cookies.admin }))) as { messages: { id: string; subject: string }[] }
    expect(list.messages.map((m) => m.subject)).toContain('Hello')
    const [stored] = await ctx.db.select().from(outbox).where(eq(outbox.subject, 'Hello'))
    const one = (await call(outboxMessage.loader, ctx, makeRequest(`/outbox/${stored.id}`, { cookie: cookies.admin }), { messageId: stored.id })) as { text: string }
    expect(one.text).toContain('http://pulseboard.test/auth/verify?token=abc')
    const missing = (await call(outboxMessage.loader, ctx, makeRequest('/outbox/x', { cookie: cookies.admin }), { messageId: 'not-a-uuid' })) as Response
    expect(missing.status).toBe(404)
    const forbidden = (await call(outboxMessage.loader, ctx, makeRequest(`/outbox/${stored.id}`, { cookie: cookies.hr }), { messageId: stored.id })) as Response
    expect(forbidden.status).toBe(403)
  })
})
