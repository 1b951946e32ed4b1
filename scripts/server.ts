import type { ServerBuild } from '@remix-run/node'
import { createServer } from 'node:http'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ViteDevServer } from 'vite'
import { closeAppContext, createAppContext } from '~/context.server'
import { openAppDatabase } from '~/db.server'
import { createHttpApp } from '~/http.server'
import { seedDemoIfEmpty } from '#db/seed/demo'
import { loadEnvOrExit, onShutdown } from './boot'

/** How long requests in flight may take to finish after SIGTERM before their connections are cut. */
const DRAIN_TIMEOUT_MS = 10_000

/** The web server, with the job worker in the same process unless RUN_WORKER=false. */
export async function runServer(options: { dev: boolean }) {
  const env = loadEnvOrExit()
  const started = Date.now()
  const database = await openAppDatabase(env)
  const ctx = await createAppContext(env, database)
  if (env.SEED_DEMO) await seedDemoIfEmpty(ctx)
  if (env.RUN_WORKER) await ctx.jobs.work(ctx)

  let vite: ViteDevServer | undefined
  if (options.dev) {
    const { createServer: createVite } = await import('vite')
    vite = await createVite({ server: { middlewareMode: true } })
  }
  const buildPath = pathToFileURL(resolve('build/server/index.js')).href
  const app = createHttpApp(ctx, {
    vite,
    build: () => import(buildPath) as Promise<ServerBuild>,
    clientDir: resolve('build/client'),
  })
  const server = createServer(app)
  server.listen(env.PORT, env.HOST, () => {
    ctx.logger.info({ url: env.APP_URL, database: database.engine, mail: ctx.mailer.transport, worker: env.RUN_WORKER, ms: Date.now() - started }, 'Pulseboard is listening')
    console.log(`\n  Pulseboard is running at ${env.APP_URL} (database: ${database.engine === 'pglite' ? `PGlite in ${env.PGLITE_DIR}` : 'PostgreSQL'}, email: ${ctx.mailer.transport})\n`)
  })
  onShutdown(async () => {
    // Stop accepting, let the requests in flight finish (idle keep-alive connections close now),
    // cut what is still open after the drain timeout; then the worker finishes or releases its
    // jobs, and the database closes last.
    app.locals.shuttingDown = true
    const drained = new Promise<void>((done) => server.close(() => done()))
    server.closeIdleConnections()
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS)
    await drained
    clearTimeout(timer)
    await vite?.close()
    await closeAppContext(ctx)
  })
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runServer({ dev: process.argv.includes('--dev') })
}
