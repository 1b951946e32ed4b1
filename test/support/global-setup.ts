import { type PGlite } from '@electric-sql/pglite'
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '#db/client'
import { migrateDatabase } from '#db/migrate'
import { createJobs } from '~/jobs/boss.server'
import { buildIfStale } from '../../scripts/build-if-stale'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    postgresTemplate: string | null
  }
}

/** The names of this run's per-file test databases start with this (the template's name carries the run's pid). */
export const testDatabasePrefix = (template: string) => `${template.replace('pulseboard_template_', 'pulseboard_test_')}_`

/**
 * Builds one migrated database (with pg-boss's schema) per run; each test file then starts from a
 * copy: a PGlite data dir loaded from the dump, or a PostgreSQL database created from the template.
 */
export default async function setup(project: TestProject) {
  // Files that start the real server build the app when it is stale; building here, once, before
  // any worker runs keeps a minute-long synchronous build out of a test worker (whose calls back to
  // vitest would time out meanwhile).
  buildIfStale()
  const url = process.env.TEST_DATABASE_URL
  if (url) {
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    const template = `pulseboard_template_${process.pid}`
    await admin.unsafe(`drop database if exists ${template}`)
    await admin.unsafe(`create database ${template}`)
    const templateUrl = withDatabase(url, template)
    const database = await openDatabase({ url: templateUrl, max: 2 })
    await migrateDatabase(database)
    const jobs = await createJobs(database, { timezone: 'UTC', schedule: false, supervise: false })
    await jobs.stop()
    await database.close()
    project.provide('postgresTemplate', template)
    project.provide('pgliteTemplate', '')
    return async () => {
      // Each test file drops its database after its tests; one whose afterAll did not run (a worker
      // stopped, a hook timed out) is dropped here, by the run's prefix (see test/support/database.ts).
      const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`${testDatabasePrefix(template)}%`}`
      for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`).catch(() => {})
      await admin.unsafe(`drop database if exists ${template} with (force)`).catch(() => {})
      await admin.end()
    }
  }
  const database = await openDatabase({})
  await migrateDatabase(database)
  const jobs = await createJobs(database, { timezone: 'UTC', schedule: false, supervise: false })
  await jobs.stop()
  const dump = await (database.pglite as PGlite).dumpDataDir('none')
  const dir = join(tmpdir(), 'pulseboard-test')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `template-${process.pid}.tar`)
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  await database.close()
  project.provide('pgliteTemplate', file)
  project.provide('postgresTemplate', null)
}

export function withDatabase(url: string, name: string) {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}
