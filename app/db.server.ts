import { resolve } from 'node:path'
import { type Database, openDatabase } from '#db/client'
import { migrateDatabase } from '#db/migrate'
import type { Env } from './env.server'

/** The database of this environment: PostgreSQL when DATABASE_URL is set, else PGlite in PGLITE_DIR. */
export async function openAppDatabase(env: Pick<Env, 'DATABASE_URL' | 'PGLITE_DIR'>, options: { migrate?: boolean } = {}): Promise<Database> {
  const database = env.DATABASE_URL ? await openDatabase({ url: env.DATABASE_URL }) : await openDatabase({ dataDir: resolve(env.PGLITE_DIR) })
  if (options.migrate ?? true) await migrateDatabase(database)
  return database
}

/** postgres.js / node errors that mean the server cannot be reached (not that a query was wrong). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED'])

/**
 * Whether an error (or its cause: drizzle wraps driver errors) says the database is unavailable:
 * unreachable, a broken connection, or SQLSTATE class 08 (connection exception) and 57P01–57P03
 * (shut down by the administrator, crashed, starting up or shutting down).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? '')
    if (UNREACHABLE.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code)) return true
    if ((e as { errors?: unknown[] }).errors?.some((inner) => isDatabaseUnavailable(inner))) return true
  }
  return false
}
