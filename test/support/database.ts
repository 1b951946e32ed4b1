import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import { inject } from 'vitest'
import { type Database, openDatabase } from '#db/client'
import { testDatabasePrefix, withDatabase } from './global-setup'

/**
 * A fresh, migrated database for one test file: PGlite loaded from the run's template, or, when
 * TEST_DATABASE_URL is set, a PostgreSQL database of its own created from the template database.
 */
export async function openTestDatabase(): Promise<Database & { dispose: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL
  const template = inject('postgresTemplate')
  if (url && template) {
    const name = `${testDatabasePrefix(template)}${randomBytes(6).toString('hex')}`
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name} template ${template}`)
    const database = await openDatabase({ url: withDatabase(url, name), max: 5 })
    return {
      ...database,
      dispose: async () => {
        await database.close()
        await admin.unsafe(`drop database if exists ${name} with (force)`)
        await admin.end()
      },
    }
  }
  const dump = readFileSync(inject('pgliteTemplate'))
  const database = await openDatabase({ loadDataDir: new Blob([dump]) })
  return { ...database, dispose: () => database.close() }
}
