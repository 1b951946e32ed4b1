import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { type Database, openDatabase } from '#db/client'
import { migrateDatabase } from '#db/migrate'
import { createAppContext } from '~/context.server'
import { parseEnv } from '~/env.server'
import { createHttpApp } from '~/http.server'
import { createLogger } from '~/logger.server'
import { TEST_APP_URL } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { withDatabase } from '#test/support/global-setup'
import { answerEnps, createRound, createSurvey, publishedFigures } from '#test/support/response-factories'

/**
 * Backup and restore as the README documents them. CI runs `npm test` on both engines: on
 * PostgreSQL (TEST_DATABASE_URL set) the pg_dump → pg_restore round trip is tested; on PGlite, the
 * embedded database's documented backup (a copy of its directory, taken while it is closed). Each
 * engine registers its own suite, so neither run skips anything. Booting the app twice (pg-boss
 * creates its schema) and copying a database take tens of seconds on a busy machine: hence the timeout.
 */

const env = parseEnv({ NODE_ENV: 'test', SESSION_SECRET: 'test-session-secret-0123456789abcdef0123456789', NOTES_ENCRYPTION_KEY: '0f'.repeat(32), APP_URL: TEST_APP_URL })

/** A small organisation: a team of six with a confidential eNPS round. */
async function seed(database: Database) {
  const team = await createTeam(database.db, { name: 'Backup team' })
  const people = []
  for (let i = 0; i < 6; i++) people.push(await createPerson(database.db, { teamId: team.id }))
  const survey = await createSurvey(database.db)
  const round = await createRound(database.db, { surveyId: survey.id, opensAt: '2026-03-02T08:00:00Z' })
  await answerEnps(database.db, round, people.map((p, i) => ({ personId: p.id, teamId: team.id, score: [10, 9, 9, 7, 4, 2][i], comment: `reason ${i}` })), '2026-03-03')
  return { surveyId: survey.id }
}

/** Rows per table, every schema the app owns (the app's tables, drizzle's ledger, pg-boss's queue). */
async function rowCounts(database: Database): Promise<Record<string, number>> {
  const { rows } = await database.executeSql(
    `select table_schema || '.' || table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1`,
    [],
  )
  const counts: Record<string, number> = {}
  for (const { name } of rows as { name: string }[]) {
    const [schema, table] = name.split('.')
    const result = await database.executeSql(`select count(*)::int as n from "${schema}"."${table}"`, [])
    counts[name] = Number(result.rows[0].n)
  }
  return counts
}

/** Boots the app on a database (context, jobs, HTTP) and asks /readyz, as a load balancer would. */
async function bootAndCheck(database: Database) {
  const ctx = await createAppContext(env, database, { logger: createLogger('silent'), schedule: false, supervise: false })
  const server = createServer(createHttpApp(ctx, { build: () => Promise.reject(new Error('no build in this test')) }))
  try {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`)
    return { status: response.status, body: await response.json() }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await ctx.jobs.stop().catch(() => {})
    ctx.mailer.close()
  }
}

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

if (process.env.TEST_DATABASE_URL) {
  const url = process.env.TEST_DATABASE_URL
  describe('PostgreSQL: pg_dump and pg_restore', () => {
    it('restores a dump into another database with the same rows, and the app boots and serves on it', async () => {
      const admin = postgres(url, { max: 1, onnotice: () => {} })
      const suffix = randomBytes(5).toString('hex')
      const [sourceName, targetName] = [`pulseboard_backup_${suffix}`, `pulseboard_restore_${suffix}`]
      const dir = mkdtempSync(join(tmpdir(), 'pulseboard-backup-'))
      cleanups.push(async () => {
        await admin.unsafe(`drop database if exists ${sourceName} with (force)`)
        await admin.unsafe(`drop database if exists ${targetName} with (force)`)
        await admin.end()
        rmSync(dir, { recursive: true, force: true })
      })
      await admin.unsafe(`create database ${sourceName}`)
      const source = await openDatabase({ url: withDatabase(url, sourceName), max: 2 })
      cleanups.push(() => source.close())
      await migrateDatabase(source)
      const { surveyId } = await seed(source)
      // pg-boss creates its schema when the app first boots: boot once so the dump holds it too.
      expect((await bootAndCheck(source)).status).toBe(200)
      // Reading the figures freezes the seeded rounds first: the counts are taken after it.
      const results = await publishedFigures(source.db, surveyId)
      const before = await rowCounts(source)

      const file = join(dir, 'pulseboard.dump')
      execFileSync('pg_dump', ['--format=custom', '--no-owner', '--no-acl', `--file=${file}`, withDatabase(url, sourceName)], { stdio: 'pipe' })
      await admin.unsafe(`create database ${targetName}`)
      execFileSync('pg_restore', ['--no-owner', '--no-acl', '--exit-on-error', `--dbname=${withDatabase(url, targetName)}`, file], { stdio: 'pipe' })

      const target = await openDatabase({ url: withDatabase(url, targetName), max: 2 })
      cleanups.push(() => target.close())
      expect(await rowCounts(target)).toEqual(before)
      expect(before['public.people']).toBe(6)
      expect(before['public.answers']).toBe(12)
      expect(await publishedFigures(target.db, surveyId)).toEqual(results)
      expect(await bootAndCheck(target)).toEqual({ status: 200, body: { status: 'ready', database: 'postgres' } })
    }, 180_000)
  })
} else {
  describe('PGlite: a copy of the data directory', () => {
    it('restores from a copy of the closed directory with the same rows, and the app boots and serves on it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pulseboard-backup-'))
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
      // The run's migrated template, unpacked into a directory (migrating from scratch here would be slow).
      const source = await openDatabase({ dataDir: join(dir, 'pglite'), loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) })
      await migrateDatabase(source)
      const { surveyId } = await seed(source)
      expect((await bootAndCheck(source)).status).toBe(200)
      // Reading the figures freezes the seeded rounds first: the counts are taken after it.
      const results = await publishedFigures(source.db, surveyId)
      const before = await rowCounts(source)
      await source.close()

      // The README's backup: the server stopped, the directory copied; restore = put the copy in place.
      cpSync(join(dir, 'pglite'), join(dir, 'restored'), { recursive: true })
      const target = await openDatabase({ dataDir: join(dir, 'restored') })
      cleanups.push(() => target.close())
      expect(await rowCounts(target)).toEqual(before)
      expect(before['public.people']).toBe(6)
      expect(before['public.answers']).toBe(12)
      expect(await publishedFigures(target.db, surveyId)).toEqual(results)
      expect(await bootAndCheck(target)).toEqual({ status: 200, body: { status: 'ready', database: 'pglite' } })
    }, 180_000)
  })
}
