import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { randomBytes, randomUUID } from 'node:crypto'
import type { ViteDevServer } from 'vite'
import { migrationsApplied } from '#db/migrate'
import { databaseUnavailable } from './api/errors.server'
import { isDatabaseUnavailable } from './db.server'
import type { AppContext } from './context'
import { loggedPath } from './logger.server'

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * A cross-site form post carries another Origin (or Sec-Fetch-Site: cross-site). Bearer-key API
 * calls carry no cookie, so they are exempt; everything else must come from our own pages.
 */
export function isCrossSiteRequest(req: express.Request, appUrl: string): boolean {
  if (!STATE_CHANGING.has(req.method)) return false
  if (req.path.startsWith('/api/v1/') && /^Bearer\s/i.test(req.get('authorization') ?? '')) return false
  const origin = req.get('origin')
  const fetchSite = req.get('sec-fetch-site')
  if (origin && origin !== 'null') {
    const host = req.get('x-forwarded-host') ?? req.get('host')
    const allowed = new Set([new URL(appUrl).origin, `${req.protocol}://${host}`])
    return !allowed.has(origin)
  }
  // Pages served with Referrer-Policy: no-referrer (survey links) make browsers send
  // "Origin: null" even for their own forms; Sec-Fetch-Site then tells who sent it.
  if (origin === 'null') return fetchSite !== 'same-origin'
  return fetchSite === 'cross-site' || fetchSite === 'same-site'
}

const wrapped = new WeakMap<ServerBuild, ServerBuild>()

/**
 * Every loader and action of the build, with a database outage turned into a 503: the error
 * boundary's "temporarily unavailable" page for screens, `{error:{code:'unavailable'}}` for the
 * API, instead of a 500. postgres.js reconnects by itself, so the next request after the outage
 * simply works.
 */
function withUnavailableAs503(build: ServerBuild): ServerBuild {
  const known = wrapped.get(build)
  if (known) return known
  type Handler = (args: { request: Request }) => unknown
  const guard = (handler: Handler | undefined) =>
    handler &&
    (async (args: { request: Request }) => {
      try {
        return await handler(args)
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error
        if (new URL(args.request.url).pathname.startsWith('/api/')) throw databaseUnavailable()
        throw new Response('Database unavailable', { status: 503, statusText: 'Service Unavailable', headers: { 'Retry-After': '5' } })
      }
    })
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const module = { ...route.module } as typeof route.module & { loader?: Handler; action?: Handler }
      if (module.loader) module.loader = guard(module.loader)
      if (module.action) module.action = guard(module.action)
      return [id, { ...route, module }]
    }),
  ) as ServerBuild['routes']
  const result = { ...build, routes }
  wrapped.set(build, result)
  return result
}

export type HttpOptions = { build?: () => Promise<ServerBuild>; vite?: ViteDevServer; clientDir?: string }

export function createHttpApp(ctx: AppContext, options: HttpOptions): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', ctx.env.TRUST_PROXY)
  const production = ctx.env.NODE_ENV === 'production'

  app.use((req, res, next) => {
    // Draining for shutdown: answer what is in flight and close the connection after it.
    if (req.app.locals.shuttingDown) res.setHeader('Connection', 'close')
    // A proxy's request id is kept (TRUST_PROXY) when it looks like one; otherwise one is made here.
    const forwardedId = ctx.env.TRUST_PROXY ? req.get('x-request-id') : undefined
    const requestId = forwardedId && REQUEST_ID.test(forwardedId) ? forwardedId : randomUUID()
    res.setHeader('X-Request-Id', requestId)
    // The only place the client address is decided; a client cannot set it by sending the header.
    req.headers['x-pulseboard-client-ip'] = req.ip ?? 'unknown'
    res.locals.cspNonce = randomBytes(16).toString('base64')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    // Survey links (/s/) and private reply links (/r/) carry a secret in the path: never send it on.
    res.setHeader('Referrer-Policy', /^\/[sr]\//.test(req.path) ? 'no-referrer' : 'strict-origin-when-cross-origin')
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
    if (!options.vite) {
      res.setHeader(
        'Content-Security-Policy',
        [
          "default-src 'self'",
          `script-src 'self' 'nonce-${res.locals.cspNonce}'`,
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data:",
          "connect-src 'self'",
          "font-src 'self'",
          "object-src 'none'",
          "base-uri 'self'",
          "form-action 'self'",
          "frame-ancestors 'none'",
        ].join('; '),
      )
      res.setHeader('X-Frame-Options', 'DENY')
    }
    if (production) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
    const started = process.hrtime.bigint()
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      // Paths can hold tokens (/s/<token>, /auth/verify?token=): log the route shape, not the secret.
      const path = loggedPath(req.originalUrl)
      ctx.logger.info({ requestId, method: req.method, path, status: res.statusCode, ms: Math.round(ms) }, 'request')
    })
    next()
  })

  app.use(compression())

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' })
  })
  app.get('/readyz', async (req, res) => {
    // A load balancer stops sending here while the process drains its requests.
    if (req.app.locals.shuttingDown) return void res.status(503).json({ status: 'shutting down', database: ctx.database.engine })
    try {
      // Reachable first (migrationsApplied reads a missing table as "not migrated").
      await ctx.database.executeSql('select 1', [])
      const ready = await migrationsApplied(ctx.database)
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'migrations pending', database: ctx.database.engine })
    } catch {
      res.status(503).json({ status: 'database unreachable', database: ctx.database.engine })
    }
  })

  app.use((req, res, next) => {
    if (!isCrossSiteRequest(req, ctx.env.APP_URL)) {
      // A same-origin form on a no-referrer page sends "Origin: null", which Remix's own check
      // would take for a forged request; it has just been verified here, so drop it.
      if (req.get('origin') === 'null') delete req.headers.origin
      return next()
    }
    const message = 'This request came from another site and was refused. Submit the form from Pulseboard itself.'
    if (req.path.startsWith('/api/')) {
      res.status(403).json({ error: { code: 'cross_origin', message, details: { origin: req.get('origin') ?? null } } })
    } else {
      res.status(403).type('text/plain').send(message)
    }
  })

  if (options.vite) {
    app.use(options.vite.middlewares)
  } else if (options.clientDir) {
    // The build's assets carry a content hash in their name: cached for good.
    app.use('/assets', express.static(`${options.clientDir}/assets`, { immutable: true, maxAge: '1y' }))
    // The files of public/ (favicon, icons, robots.txt, the manifest; the build copies them into
    // build/client) keep their names from release to release: a day in caches, then revalidated
    // by ETag. They are asked for by name, so only a path with an extension looks for a file: a
    // page such as /s/<token> goes straight to Remix instead of costing a failed stat first.
    const clientFiles = express.static(options.clientDir, { maxAge: '1d', etag: true, lastModified: true })
    app.use((req, res, next) => (/\.[A-Za-z0-9]+$/.test(req.path) ? clientFiles(req, res, next) : next()))
  }

  // The built server is imported once: Remix calls this on every request (for reloads in
  // development), and a dynamic import, even of a loaded module, goes through the module loader.
  // A failed import is tried again on the next request.
  let imported: Promise<ServerBuild> | undefined
  const loadBuild = options.vite
    ? () => options.vite!.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
    : () =>
        (imported ??= options.build!().catch((error: unknown) => {
          imported = undefined
          throw error
        }))
  const build = async () => withUnavailableAs503(await loadBuild())
  app.all(
    '*',
    createRequestHandler({
      build,
      mode: production ? 'production' : 'development',
      getLoadContext: (_req, res) => ({ app: ctx, cspNonce: res.locals.cspNonce as string }),
    }),
  )
  return app
}
