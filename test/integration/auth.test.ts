import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { people, sessions, signInTokens } from '#db/schema'
import { hashToken } from '~/auth/tokens.server'
import * as login from '~/routes/login'
import * as verify from '~/routes/auth.verify'
import * as logout from '~/routes/logout'
import { setupTestContext } from '#test/support/context'
import { createPerson } from '#test/support/factories'
import { call, makeRequest } from '#test/support/requests'
import { startSmtpSink } from '#test/support/smtp-sink'
import type { AppContext } from '~/context'

let ctx: AppContext
let sink: Awaited<ReturnType<typeof startSmtpSink>>

beforeAll(async () => {
  sink = await startSmtpSink()
  ctx = await setupTestContext({ smtpUrl: sink.url })
  return () => sink.close()
})

const tokenFrom = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)![1]

describe('magic-link sign-in', () => {
  it('emails a single-use link in the person’s language and signs in with a rotated session', async () => {
    const person = await createPerson(ctx.db, { email: 'Giulia.Rossi@example.it', name: 'Giulia Rossi', locale: 'it' })
    const res = (await call(login.action, ctx, makeRequest('/login', { form: { intent: 'link', email: ' giulia.rossi@EXAMPLE.it ' } }))) as { sent: boolean }
    expect(res.sent).toBe(true)
    expect(await ctx.jobs.drain(ctx)).toBe(1)
    const mail = await sink.waitFor('giulia.rossi@example.it')
    expect(mail.subject).toBe('Il tuo link di accesso a Pulseboard')
    expect(mail.text).toContain('http://pulseboard.test/auth/verify?token=')
    expect(mail.html).toContain('Accedi a Pulseboard')
    const token = tokenFrom(mail.text)
    // Stored hashed, never in plain text.
    const [row] = await ctx.db.select().from(signInTokens).where(eq(signInTokens.personId, person.id))
    expect(row.tokenHash).toBe(hashToken(token))
    expect(row.tokenHash).not.toContain(token)
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThanOrEqual(15 * 60 * 1000 - 1000)
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(15 * 60 * 1000 + 1000)

    // An earlier session cookie on this browser is replaced, not reused (fixation).
    const old = (await call(verify.action, ctx, makeRequest('/auth/verify', { form: { token } }))) as Response
    expect(old.status).toBe(302)
    const cookie = old.headers.get('Set-Cookie')!
    expect(cookie).toMatch(/^pb_session=/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).not.toContain('Secure')
    const [{ count }] = (await ctx.database.executeSql('select count(*)::int as count from sessions', [])).rows as { count: number }[]
    expect(count).toBe(1)

    // Used once: the second use is refused with a clear reason.
    const again = (await call(verify.action, ctx, makeRequest('/auth/verify', { form: { token } }))) as Response
    expect(again.status).toBe(400)
    expect(await again.json()).toEqual({ state: 'used' })
  })

  it('rotates the session id at sign-in and revokes it at sign-out', async () => {
    const person = await createPerson(ctx.db, { email: 'rotate@example.test' })
    await call(login.action, ctx, makeRequest('/login', { form: { intent: 'link', email: 'rotate@example.test' } }))
    await ctx.jobs.drain(ctx)
    const first = tokenFrom((await sink.waitFor('rotate@example.test')).text)
    const signedIn = (await call(verify.action, ctx, makeRequest('/auth/verify', { form: { token: first } }))) as Response
    const cookieA = signedIn.headers.get('Set-Cookie')!.split(';')[0]
    sink.messages.length = 0
    await call(login.action, ctx, makeRequest('/login', { form: { intent: 'link', email: 'rotate@example.test' } }))
    await ctx.jobs.drain(ctx)
    const second = tokenFrom((await sink.waitFor('rotate@example.test')).text)
    const again = (await call(verify.action, ctx, makeRequest('/auth/verify', { form: { token: second }, cookie: cookieA }))) as Response
    const cookieB = again.headers.get('Set-Cookie')!.split(';')[0]
    expect(cookieB).not.toBe(cookieA)
    const rows = await ctx.db.select().from(sessions).where(eq(sessions.personId, person.id))
    expect(rows).toHaveLength(1)
    const out = (await call(logout.action, ctx, makeRequest('/logout', { method: 'POST', cookie: cookieB }))) as Response
    expect(out.headers.get('Set-Cookie')).toContain('Max-Age=0')
    expect(await ctx.db.select().from(sessions).where(eq(sessions.personId, person.id))).toHaveLength(0)
  })

  it('answers the same for unknown addresses and sends nothing', async () => {
    sink.messages.length = 0
    const known = await call(login.action, ctx, makeRequest('/login', { form: { intent: 'link', email: 'nobody@example.test' } }))
    expect(known).toMatchObject({ sent: true })
    expect(await ctx.jobs.drain(ctx)).toBe(0)
    expect(sink.messages).toHaveLength(0)
  })

  it('refuses expired and forged links with a clear reason', async () => {
    const person = await createPerson(ctx.db)
    await ctx.db.insert(signInTokens).values({ tokenHash: hashToken('expired-token-aaaaaaaaaaaaaaaaaaaa'), personId: person.id, expiresAt: new Date(Date.now() - 1000) })
    const expired = (await call(verify.action, ctx, makeRequest('/auth/verify', { form: { token: 'expired-token-aaaaaaaaaaaaaaaaaaaa' } }))) as Response
    expect(await expired.json()).toEqual({ state: 'expired' })
    const forged = (await call(verify.action, ctx, makeRequest('/auth/verify', { form: { token: 'forged-token-bbbbbbbbbbbbbbbbbbbbbb' } }))) as Response
    expect(await forged.json()).toEqual({ state: 'invalid' })
    const page = (await call(verify.loader, ctx, makeRequest('/auth/verify?token=%3Cscript%3E'))) as { state: string }
    expect(page.state).toBe('invalid')
  })

  it('rate-limits link requests per email', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const res = await call(login.action, ctx, makeRequest('/login', { form: { intent: 'link', email: 'limit@example.test' }, headers: { 'X-Pulseboard-Client-Ip': `198.51.100.${i}` } }))
      statuses.push(res instanceof Response ? res.status : 200)
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429])
  })

  it('rate-limits link requests per IP across addresses', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 32; i++) {
      const res = await call(login.action, ctx, makeRequest('/login', { form: { intent: 'link', email: `ip${i}@example.test` }, headers: { 'X-Pulseboard-Client-Ip': '192.0.2.77' } }))
      statuses.push(res instanceof Response ? res.status : 200)
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30)
    expect(statuses.slice(30)).toEqual([429, 429])
  })
})

describe('password sign-in', () => {
  it('signs in with a correct argon2id password and rate-limits guessing', async () => {
    const { setPassword } = await import('~/auth/password-sign-in.server')
    const person = await createPerson(ctx.db, { email: 'pw@example.test' })
    await setPassword(ctx, person.id, 'correct horse battery staple')
    const [stored] = await ctx.db.select({ hash: people.passwordHash }).from(people).where(eq(people.id, person.id))
    expect(stored.hash).toMatch(/^\$argon2id\$/)
    const ok = (await call(login.action, ctx, makeRequest('/login', { form: { intent: 'password', email: 'pw@example.test', password: 'correct horse battery staple' } }))) as Response
    expect(ok.status).toBe(302)
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) {
      const res = (await call(login.action, ctx, makeRequest('/login', { form: { intent: 'password', email: 'pw@example.test', password: `wrong-${i}` }, headers: { 'X-Pulseboard-Client-Ip': `198.51.100.${100 + i}` } }))) as Response
      statuses.push(res.status)
    }
    // Ten attempts per 15 minutes per address: the successful one counted too.
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 400, 429])
    const blocked = (await call(login.action, ctx, makeRequest('/login', { form: { intent: 'password', email: 'pw@example.test', password: 'correct horse battery staple' }, headers: { 'X-Pulseboard-Client-Ip': '198.51.100.250' } }))) as Response
    expect(blocked.status).toBe(429)
  })
})
