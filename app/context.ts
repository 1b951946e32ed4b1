import type PgBoss from 'pg-boss'
import type { Database, Db } from '#db/client'
import type { RateLimits } from './auth/rate-limit.server'
import type { Mailer } from './email/mailer.server'
import type { Env } from './env.server'
import type { JobData, JobName } from './jobs/catalog'
import type { Logger } from './logger.server'

/**
 * The types of the application context, and nothing that builds it (app/context.server.ts does):
 * every domain module and route may import this file without depending on the job handlers.
 */

/** Everything a loader, action or job needs, built once per process and passed down explicitly. */
export type AppContext = {
  database: Database
  db: Db
  env: Env
  mailer: Mailer
  jobs: Jobs
  logger: Logger
  limits: RateLimits
}

/** The job queue (pg-boss): sending is typed by the catalog (app/jobs/catalog.ts). */
export type Jobs = {
  boss: PgBoss
  send: <N extends JobName>(name: N, data: JobData<N>, options?: PgBoss.SendOptions) => Promise<string | null>
  /** Starts polling every queue (the in-process worker, or `npm run worker`). */
  work: (ctx: AppContext) => Promise<void>
  /** Runs whatever is queued now, in this process, until the queues are empty (tests, CLI). */
  drain: (ctx: AppContext, names?: JobName[]) => Promise<number>
  stop: () => Promise<void>
}

declare module '@remix-run/node' {
  interface AppLoadContext {
    app: AppContext
    /** The nonce of this response's Content-Security-Policy, for Remix's inline scripts. */
    cspNonce?: string
  }
}
