import type { AddressInfo } from 'node:net'
import { createServer } from 'node:http'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '~/context'
import { createHttpApp } from '~/http.server'
import { createApiKey } from '~/settings/api-keys.server'
import { setupTestContext } from '#test/support/context'
import * as openapi from '~/routes/api.v1.openapi[.]json'
import * as notFound from '~/routes/api.v1.$'
import { call, makeRequest } from '#test/support/requests'
import { requireApiKey } from '~/auth/guards.server'
import { startAppServer } from '#test/support/app-server'

let ctx: AppContext
let base: string

// The Remix build is not needed for the middleware under test: a request reaching Remix fails.
const fakeBuild = () => Promise.reject(new Error('no build in this test'))

beforeAll(async () => {
  ctx = await setupTestContext()
  const app = createHttpApp(ctx, { build: fakeBuild })
  const server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return () => new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('health and readiness', () => {
  it('/healthz answers while the process is up; /readyz checks the database and migrations', async () => {
    const health = await fetch(`${base}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    const ready = await fetch(`${base}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready', database: ctx.database.engine })
  })
})

describe('security headers', () => {
  it('sends a strict Content-Security-Policy with a fresh nonce, no framing, nosniff', async () => {
    const a = await fetch(`${base}/healthz`)
    const b = await fetch(`${base}/healthz`)
    const csp = a.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/)
    expect(csp).not.toContain('unsafe-eval')
    expect(/nonce-([^']+)/.exec(csp)![1]).not.toBe(/nonce-([^']+)/.exec(b.headers.get('content-security-policy')!)![1])
    expect(a.headers.get('x-content-type-options')).toBe('nosniff')
    expect(a.headers.get('x-frame-options')).toBe('DENY')
    expect(a.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    // HSTS only in production (it would pin plain-http development hosts).
    expect(a.headers.get('strict-transport-security')).toBeNull()
  })
  it('sends no referrer from survey links', async () => {
    const res = await fetch(`${base}/s/some-token`, { redirect: 'manual' })
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
  })
})

describe('cross-origin requests', () => {
  it('refuses a state-changing browser request from another origin before it reaches a route', async () => {
    const res = await fetch(`${base}/login`, { method: 'POST', headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'intent=link&email=a@b.co' })
    expect(res.status).toBe(403)
    expect(await res.text()).toBe('This request came from another site and was refused. Submit the form from Pulseboard itself.')
    const fetchMeta = await fetch(`${base}/logout`, { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' } })
    expect(fetchMeta.status).toBe(403)
    const opaque = await fetch(`${base}/s/token`, { method: 'POST', headers: { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' } })
    expect(opaque.status).toBe(403)
    const api = await fetch(`${base}/api/v1/people`, { method: 'POST', headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' }, body: '{}' })
    expect(api.status).toBe(403)
    expect(await api.json()).toEqual({ error: { code: 'cross_origin', message: 'This request came from another site and was refused. Submit the form from Pulseboard itself.', details: { origin: 'https://evil.example' } } })
  })
  it('lets same-origin posts and bearer-key API calls through to the app', async () => {
    const same = await fetch(`${base}/login`, { method: 'POST', headers: { Origin: base }, body: 'x=1' })
    expect(same.status).not.toBe(403)
    // A survey page (no-referrer) posting its own form: the browser sends Origin: null.
    const survey = await fetch(`${base}/s/token`, { method: 'POST', headers: { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' }, body: 'x=1' })
    expect(survey.status).not.toBe(403)
    const bearer = await fetch(`${base}/api/v1/people`, { method: 'POST', headers: { Origin: 'https://bi.example', Authorization: 'Bearer pb_x' }, body: '{}' })
    expect(bearer.status).not.toBe(403)
  })
})

describe('API authentication', () => {
  it('401 without a key or with an unknown one, 403 when the role lacks the permission, in the JSON error shape', async () => {
    const attempt = async (authorization?: string) => {
      try {
        await requireApiKey(ctx, makeRequest('/api/v1/x', { headers: authorization ? { Authorization: authorization } : {} }), 'people:write')
        return null
      } catch (error) {
        return error as Response
      }
    }
    const missing = (await attempt())!
    expect(missing.status).toBe(401)
    expect(await missing.json()).toEqual({ error: { code: 'unauthorized', message: 'Send an API key as "Authorization: Bearer <key>". Admins create keys under Settings → API keys.', details: {} } })
    const unknown = (await attempt('Bearer pb_unknown'))!
    expect(unknown.status).toBe(401)
    const { key } = await createApiKey(ctx.db, { name: 'marketing bot', role: 'marketing' })
    const forbidden = (await attempt(`Bearer ${key}`))!
    expect(forbidden.status).toBe(403)
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('forbidden')
    const { key: adminKey } = await createApiKey(ctx.db, { name: 'admin bot' })
    expect(await attempt(`Bearer ${adminKey}`)).toBeNull()
  })
  it('serves the OpenAPI 3.1 document and answers unknown API paths with a JSON 404', async () => {
    const doc = (await (openapi.loader as (a: object) => Promise<Response>)({ request: makeRequest('/api/v1/openapi.json'), params: {}, context: { app: ctx } })) as Response
    const body = (await doc.json()) as { openapi: string; components: object }
    expect(body.openapi).toBe('3.1.0')
    expect(body.components).toEqual({ securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } })
    const res = (await call(notFound.loader as never, ctx, makeRequest('/api/v1/nope'))) as Response
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'There is no endpoint GET /api/v1/nope. See /api/v1/openapi.json for the list.', details: {} } })
  })
})

describe('the files of public/', () => {
  // The real server on the production build: what it serves is what `npm run build` copied from
  // public/ into build/client, answered by the static handler before Remix is asked.
  let server: Awaited<ReturnType<typeof startAppServer>>
  beforeAll(async () => {
    server = await startAppServer()
    return () => server.stop()
  })

  const DAY = 'public, max-age=86400'

  it('answers /favicon.ico and /favicon.svg with the icons, cached for a day and revalidated by ETag', async () => {
    const ico = await fetch(`${server.url}/favicon.ico`)
    expect(ico.status).toBe(200)
    expect(ico.headers.get('content-type')).toBe('image/x-icon')
    expect(ico.headers.get('cache-control')).toBe(DAY)
    const bytes = Buffer.from(await ico.arrayBuffer())
    // An ICO directory (reserved 0, type 1) with the 16×16 and 32×32 images.
    expect([bytes.readUInt16LE(0), bytes.readUInt16LE(2), bytes.readUInt16LE(4)]).toEqual([0, 1, 2])
    const etag = ico.headers.get('etag')
    expect(etag).toBeTruthy()
    // A browser revalidating (fetch() alone would add Cache-Control: no-cache to a conditional request).
    const again = await fetch(`${server.url}/favicon.ico`, { headers: { 'If-None-Match': etag!, 'Cache-Control': 'max-age=0' } })
    expect(again.status).toBe(304)

    const svg = await fetch(`${server.url}/favicon.svg`)
    expect(svg.status).toBe(200)
    expect(svg.headers.get('content-type')).toBe('image/svg+xml')
    expect(svg.headers.get('cache-control')).toBe(DAY)
    expect(await svg.text()).toContain('<svg')
  })

  it('answers /robots.txt, which keeps survey, reply and sign-in links out of search indexes', async () => {
    const res = await fetch(`${server.url}/robots.txt`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; charset=UTF-8')
    expect(res.headers.get('cache-control')).toBe(DAY)
    const rules = (await res.text()).split('\n').map((line) => line.trim())
    expect(rules).toContain('User-agent: *')
    for (const path of ['/s/', '/r/', '/auth/']) expect(rules).toContain(`Disallow: ${path}`)
    // Everything else too, but the sign-in page; the secret-bearing paths come before that Allow.
    expect(rules.indexOf('Allow: /login')).toBeGreaterThan(rules.indexOf('Disallow: /r/'))
    expect(rules).toContain('Disallow: /')
  })

  it('answers /manifest.webmanifest with the app name, the brand colour and icons that exist', async () => {
    const res = await fetch(`${server.url}/manifest.webmanifest`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/manifest+json')
    expect(res.headers.get('cache-control')).toBe(DAY)
    const manifest = (await res.json()) as { name: string; theme_color: string; icons: { src: string; type: string }[] }
    expect(manifest.name).toBe('Pulseboard')
    expect(manifest.theme_color).toBe('#4338ca')
    expect(manifest.icons.length).toBeGreaterThan(0)
    for (const icon of manifest.icons) {
      const file = await fetch(`${server.url}${icon.src}`)
      expect(file.status, icon.src).toBe(200)
      expect(file.headers.get('content-type'), icon.src).toBe(icon.type)
    }
  })

  it('links the icons and the manifest from every page', async () => {
    const html = await (await fetch(`${server.url}/login`)).text()
    expect(html).toContain('<link rel="icon" href="/favicon.ico" sizes="32x32"/>')
    expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>')
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"/>')
  })
})
