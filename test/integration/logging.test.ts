import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import { invitations } from '#db/schema'
import { hashToken, randomToken } from '~/auth/tokens.server'
import type { AppContext } from '~/context'
import { createHttpApp } from '~/http.server'
import { createLogger, loggedPath } from '~/logger.server'
import * as verify from '~/routes/auth.verify'
import * as login from '~/routes/login'
import * as respond from '~/routes/s.$token'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { call, makeRequest } from '#test/support/requests'
import { createRound, createSurvey } from '#test/support/response-factories'
import { startSmtpSink } from '#test/support/smtp-sink'

/**
 * What reaches the logs during a survey submission, a sign-in link request and a magic-link
 * verification: every line the app writes is captured (the request lines of the real HTTP
 * middleware, and whatever the route actions, jobs and mailer log while doing the work). The HTTP
 * requests carry the secrets where a browser puts them (token in the path or query, email in the
 * body, session cookie in the header); the route actions do the actual work, since integration tests
 * run without the Remix build (the end-to-end tests run the real server).
 */
let ctx: AppContext
let base: string
let baseUntrusted: string
const lines: string[] = []

async function listen(app: ReturnType<typeof createHttpApp>) {
  const server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

beforeAll(async () => {
  const sink = await startSmtpSink()
  ctx = await setupTestContext({ smtpUrl: sink.url, env: { TRUST_PROXY: 'true' } })
  const capture = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      done()
    },
  })
  Object.assign(ctx, { logger: createLogger('info', capture) })
  const noBuild = () => Promise.reject(new Error('no Remix build in integration tests'))
  const trusted = await listen(createHttpApp(ctx, { build: noBuild }))
  const untrusted = await listen(createHttpApp({ ...ctx, env: { ...ctx.env, TRUST_PROXY: false } }, { build: noBuild }))
  base = trusted.url
  baseUntrusted = untrusted.url
  return async () => {
    await trusted.close()
    await untrusted.close()
    await sink.close()
  }
})

describe('request paths as logged', () => {
  it('redacts survey and reply tokens and every query value, keeping the route shape', () => {
    expect(loggedPath('/s/abcDEF123_-xyz')).toBe('/s/[redacted]')
    expect(loggedPath('/s/abcDEF123/thanks?x=1')).toBe('/s/[redacted]/thanks?x=[redacted]')
    expect(loggedPath('/r/reply-token-value')).toBe('/r/[redacted]')
    expect(loggedPath('/auth/verify?token=secret-token&token=again')).toBe('/auth/verify?token=[redacted]')
    expect(loggedPath('/people?q=maria.rossi%40example.it&team=1')).toBe('/people?q=[redacted]&team=[redacted]')
    expect(loggedPath('/results/123')).toBe('/results/123')
  })
})

describe('logs of a submission, a sign-in request and a verification', () => {
  it('hold request ids (echoed to the client) and no token, email or cookie', async () => {
    const team = await createTeam(ctx.db)
    const email = 'Loredana.Secret@Example.it'
    const person = await createPerson(ctx.db, { email, name: 'Loredana Secret', teamId: team.id })
    const survey = await createSurvey(ctx.db)
    const round = await createRound(ctx.db, { surveyId: survey.id, opensAt: new Date(Date.now() - 3600000), status: 'open' })
    const surveyToken = randomToken()
    await ctx.db.insert(invitations).values({ roundId: round.id, personId: person.id, tokenHash: hashToken(surveyToken), deliveryStatus: 'sent', sentAt: new Date() })
    const cookie = 'pb_session=s%3Asession-cookie-secret-value.signature'
    const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie }, body: new URLSearchParams(fields).toString() })

    // 1. The survey submission.
    const submitHttp = await fetch(`${base}/s/${surveyToken}`, { ...form({ q1: '9', q2: 'My manager listens', q3: '4' }), headers: { ...form({}).headers, 'X-Request-Id': 'proxy-req-0001' } })
    expect(submitHttp.headers.get('x-request-id')).toBe('proxy-req-0001')
    const submitted = (await call(respond.action, ctx, makeRequest(`/s/${surveyToken}`, { form: { q1: '9', q2: 'My manager listens', q3: '4' } }), { token: surveyToken })) as { state: string }
    expect(submitted.state).toBe('thanks')

    // 2. The sign-in link request (the job sends the email through the SMTP sink).
    const loginHttp = await fetch(`${base}/login`, form({ intent: 'link', email }))
    const loginId = loginHttp.headers.get('x-request-id')!
    expect(loginId).toMatch(/^[0-9a-f-]{36}$/)
    await call(login.action, ctx, makeRequest('/login', { form: { intent: 'link', email } }))
    expect(await ctx.jobs.drain(ctx)).toBe(1)

    // 3. The magic-link verification: the page (GET with the token in the query) and the button (POST).
    // The emailed token exists only in the email; a second one is stored the same way for this request.
    const signInToken = randomToken()
    await ctx.database.executeSql(`insert into sign_in_tokens (token_hash, person_id, redirect_to, expires_at) values ($1, $2, '/', now() + interval '15 minutes')`, [hashToken(signInToken), person.id])
    const verifyPage = await fetch(`${base}/auth/verify?token=${signInToken}`, { headers: { Cookie: cookie } })
    const verifyPost = await fetch(`${base}/auth/verify`, form({ token: signInToken }))
    const signedIn = (await call(verify.action, ctx, makeRequest('/auth/verify', { form: { token: signInToken } }))) as Response
    expect(signedIn.status).toBe(302)
    const sessionCookie = signedIn.headers.get('Set-Cookie')!.split(';')[0].split('=')[1]

    // A client's own X-Request-Id is ignored unless the proxy is trusted.
    const spoofed = await fetch(`${baseUntrusted}/healthz`, { headers: { 'X-Request-Id': 'client-chosen-id' } })
    expect(spoofed.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)

    const log = lines.join('\n')
    for (const secret of [surveyToken, signInToken, email, email.toLowerCase(), 'Loredana', 'session-cookie-secret-value', decodeURIComponent(sessionCookie), 'My manager listens']) {
      expect(log, `the log holds ${secret}`).not.toContain(secret)
    }
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request')
    const byId = (id: string | null) => requests.find((r) => r.requestId === id)
    expect(byId('proxy-req-0001')).toMatchObject({ method: 'POST', path: '/s/[redacted]' })
    expect(byId(loginId)).toMatchObject({ method: 'POST', path: '/login' })
    expect(byId(verifyPage.headers.get('x-request-id'))).toMatchObject({ method: 'GET', path: '/auth/verify?token=[redacted]' })
    expect(byId(verifyPost.headers.get('x-request-id'))).toMatchObject({ method: 'POST', path: '/auth/verify' })
    expect(byId(spoofed.headers.get('x-request-id'))).toMatchObject({ method: 'GET', path: '/healthz', status: 200 })
    for (const r of requests) {
      expect(Object.keys(r).sort()).toEqual(['app', 'level', 'method', 'ms', 'msg', 'path', 'requestId', 'status', 'time'])
      expect(typeof r.requestId).toBe('string')
    }
    expect(requests).toHaveLength(5)
  }, 120_000)
})
