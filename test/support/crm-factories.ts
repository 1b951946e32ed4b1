import { sql } from 'drizzle-orm'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type Db, queryRows } from '#db/client'
import { apiKeys } from '#db/schema'
import type { Person } from '#db/schema'
import type { Role } from '#db/schema/people'
import { hashToken, randomToken } from '~/auth/tokens.server'
import type { AppContext } from '~/context'
import type { CrmKind } from '~/funnel/csv'
import { createImportRun, getImportRun, requestCommit } from '~/funnel/import.server'
import { uploadsDir } from '~/funnel/import-upload.server'
import { createPerson } from './factories'

export const fixture = (name: string) => join(process.cwd(), 'test/fixtures', name)

/** people.csv as an HRIS export gives it: each person with their CRM owner name as an owner key. */
export async function createFixturePeople(db: Db, options: { skip?: string[] } = {}): Promise<Map<string, Person>> {
  const { readFile } = await import('node:fs/promises')
  const lines = (await readFile(fixture('people.csv'), 'utf8')).trim().split('\n').slice(1)
  const byName = new Map<string, Person>()
  for (const line of lines) {
    const [email, name, role, , , crmOwner, locale, timezone] = line.split(',')
    if (options.skip?.includes(name)) continue
    const person = await createPerson(db, {
      email,
      name,
      role: role as Role,
      locale: locale as 'en' | 'it',
      timezone,
      crmOwnerKeys: crmOwner ? [crmOwner] : [],
    })
    byName.set(name, person)
  }
  return byName
}

/** Copies a fixture into DATA_DIR/uploads (the pipeline deletes its upload once committed) and starts a run. */
export async function uploadFixture(ctx: AppContext, name: string, options: { kind?: CrmKind; locale?: string; filename?: string; createdById?: string | null } = {}) {
  const dir = uploadsDir(ctx.env.DATA_DIR)
  await mkdir(dir, { recursive: true })
  const path = join(dir, `${Math.random().toString(36).slice(2)}-${name.replace(/\//g, '_')}`)
  await copyFile(fixture(name), path)
  const runId = await createImportRun(ctx, { filePath: path, filename: options.filename ?? name.split('/').pop() ?? name, kind: options.kind, locale: options.locale, createdById: options.createdById ?? null })
  await ctx.jobs.drain(ctx, ['crm.import.preview'])
  return runId
}

/** Upload → preview → commit, as an admin would click through it; returns the committed run. */
export async function importFixture(ctx: AppContext, name: string, options: Parameters<typeof uploadFixture>[2] = {}) {
  const runId = await uploadFixture(ctx, name, options)
  const previewed = await getImportRun(ctx.db, runId)
  if (previewed?.status !== 'previewed') throw new Error(`${name} did not preview: ${previewed?.status} ${previewed?.error ?? JSON.stringify(previewed?.details.format?.missing)}`)
  await requestCommit(ctx, runId)
  await ctx.jobs.drain(ctx, ['crm.import.commit'])
  return (await getImportRun(ctx.db, runId))!
}

export async function countRows(db: Db, table: 'opportunities' | 'leads' | 'opportunity_stage_history' | 'import_rejections'): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`)
  return row.n
}

/** An API key with a role, inserted hashed as the api-keys module stores it; returns the plain key. */
export async function createTestApiKey(db: Db, role: Role = 'admin'): Promise<string> {
  const key = `pb_${randomToken(32)}`
  await db.insert(apiKeys).values({ name: `test ${role}`, role, prefix: key.slice(0, 10), keyHash: hashToken(key) })
  return key
}
