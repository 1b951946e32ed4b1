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
