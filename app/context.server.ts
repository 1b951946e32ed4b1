import type { Database } from '#db/client'
import { createRateLimits } from './auth/rate-limit.server'
import type { AppContext } from './context'
import { createMailer } from './email/mailer.server'
import type { Env } from './env.server'
import { createJobs } from './jobs/boss.server'
import { type Logger, createLogger } from './logger.server'
import { getSettings } from './settings/settings.server'

/**
 * Builds the application context (its types are in app/context.ts). Only the entry points
 * (scripts/) and test support call this: through createJobs it brings in every job handler.
 */
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
