import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import type { Database } from './client'

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url))

// Any constant works: it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK = 7_301_962

/** Applies the committed migrations. On PostgreSQL an advisory lock lets several processes boot at once. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.engine === 'pglite') {
    await migratePglite(drizzlePglite(database.pglite!), { migrationsFolder })
    return
  }
  const sql = postgres(database.url!, { max: 1, onnotice: () => {} })
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`
    await migratePostgres(drizzlePostgres(sql), { migrationsFolder })
  } finally {
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {})
    await sql.end({ timeout: 5 })
  }
}

/** True when every committed migration has been applied (used by /readyz). */
export async function migrationsApplied(database: Database): Promise<boolean> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator')
  const expected = readMigrationFiles({ migrationsFolder }).length
  try {
    const { rows } = await database.executeSql('select count(*)::int as n from drizzle.__drizzle_migrations', [])
    return Number(rows[0]?.n) >= expected
  } catch {
    return false
  }
}
