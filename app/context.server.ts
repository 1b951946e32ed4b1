import type { Database, Db } from '#db/client'
import { type RateLimits, createRateLimits } from './auth/rate-limit.server'
import { type Mailer, createMailer } from './email/mailer.server'
import type { Env } from './env.server'
import { type Jobs, createJobs } from './jobs/boss.server'
import { type Logger, createLogger } from './logger.server'
import { getSettings } from './settings/settings.server'

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

declare module '@remix-run/node' {
  interface AppLoadContext {
    app: AppContext
    /** The nonce of this response's Content-Security-Policy, for Remix's inline scripts. */
    cspNonce?: string
  }
}

export async function createAppContext(
  env: Env,
  database: Database,
  options: { logger?: Logger; schedule?: boolean; supervise?: boolean } = {},
): Promise<AppContext> {
  const db = database.db
  const settings = await getSettings(db)
  const jobs = await createJobs(database, { timezone: settings.timezone, schedule: options.schedule, supervise: options.supervise })
  return {
    database,
    db,
    env,
    mailer: createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, db, echo: env.NODE_ENV === 'development' ? (line) => console.log(line) : undefined }),
    jobs,
    logger: options.logger ?? createLogger(env.LOG_LEVEL),
    limits: createRateLimits(db),
  }
}

export async function closeAppContext(ctx: AppContext) {
  await ctx.jobs.stop().catch((error) => ctx.logger.error({ err: error }, 'stopping jobs failed'))
  ctx.mailer.close()
  await ctx.database.close()
}
