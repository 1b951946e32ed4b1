import { afterAll } from 'vitest'
import type { AppContext } from '~/context'
import { closeAppContext, createAppContext } from '~/context.server'
import { parseEnv } from '~/env.server'
import { createLogger } from '~/logger.server'
import { openTestDatabase } from './database'

export const TEST_APP_URL = 'http://pulseboard.test'

/** The application context of one test file, on its own fresh database; closed after the file. */
export async function setupTestContext(options: { smtpUrl?: string; env?: Record<string, string> } = {}): Promise<AppContext> {
  const env = parseEnv({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-session-secret-0123456789abcdef0123456789',
    NOTES_ENCRYPTION_KEY: '0f'.repeat(32),
    APP_URL: TEST_APP_URL,
    SMTP_URL: options.smtpUrl,
    ...options.env,
  })
  const database = await openTestDatabase()
  const ctx = await createAppContext(env, database, { logger: createLogger('silent'), schedule: false, supervise: false })
  afterAll(async () => {
    await ctx.jobs.stop().catch(() => {})
    ctx.mailer.close()
    await database.dispose()
  })
  return ctx
}

export { closeAppContext }
