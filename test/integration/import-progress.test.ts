import { mkdtempSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { runStagingTable } from '~/funnel/import-merge.server'
import { commitImport, createImportRun, getImportRun, previewImport, requestCommit } from '~/funnel/import.server'
import { uploadsDir } from '~/funnel/import-upload.server'
import { setupTestContext } from '#test/support/context'
import { countRows, createFixturePeople } from '#test/support/crm-factories'
import { writeGeneratedReport } from '#test/support/crm-generator'

/**
 * A large generated export through the whole pipeline: the parser holds no ids (repeats are found
 * in SQL), rows are COPYed into the run's staging table, and the run row shows live progress
 * while the job runs — on PGlite too, where the page shares the job's process and database.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'pulseboard-progress-'))
const ctx = await setupTestContext({ env: { DATA_DIR: dataDir } })

const ROWS = 50_000
// Every 1,000th row has a negative amount; every 777th repeats the id of the row before it.
const generated = { rejectEvery: 1000, duplicateEvery: 777 }

beforeAll(async () => {
  await createFixturePeople(ctx.db)
})

type Sample = { status: string; phase: string | null; rowsProcessed: number; bytesRead: number; bytesTotal: number }

/** Runs a job while reading the run row as the page would, recording every distinct state seen. */
async function watch(runId: string, job: () => Promise<void>): Promise<Sample[]> {
  const seen: Sample[] = []
  let done = false
  const running = job().finally(() => {
    done = true
  })
  while (!done) {
    const run = await getImportRun(ctx.db, runId)
    if (run) {
      const sample = { status: run.status, phase: run.phase, rowsProcessed: run.rowsProcessed, bytesRead: run.bytesRead, bytesTotal: run.bytesTotal }
      const last = seen.at(-1)
      if (!last || JSON.stringify(last) !== JSON.stringify(sample)) seen.push(sample)
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  await running
  return seen
}

async function generatedUpload(name: string) {
  await mkdir(uploadsDir(dataDir), { recursive: true })
  const path = join(uploadsDir(dataDir), name)
  const bytes = await writeGeneratedReport(path, ROWS, generated)
  return { path, bytes }
}

describe('a 50,000-row generated Salesforce report', () => {
  it('previews with exact counts, shows its progress while reading, and commits atomically', async () => {
    const { path, bytes } = await generatedUpload('salesforce-opportunities-large.csv')
    const runId = await createImportRun(ctx, { filePath: path, filename: 'salesforce-opportunities-large.csv', createdById: null })

    const previewing = await watch(runId, () => previewImport(ctx, runId))
    const reading = previewing.filter((s) => s.status === 'previewing' && s.phase === 'reading')
    const midway = [...new Set(reading.map((s) => s.rowsProcessed))].filter((n) => n > 0 && n < ROWS)
    // Seen between two batches: at least two distinct row counts before the end, growing with the bytes read.
    expect(midway.length).toBeGreaterThanOrEqual(2)
    for (let i = 1; i < reading.length; i++) {
      expect(reading[i].rowsProcessed).toBeGreaterThanOrEqual(reading[i - 1].rowsProcessed)
      expect(reading[i].bytesRead).toBeGreaterThanOrEqual(reading[i - 1].bytesRead)
    }
    expect(reading.every((s) => s.bytesTotal === bytes && s.bytesRead <= bytes)).toBe(true)
    expect(reading.some((s) => s.bytesRead > 0 && s.bytesRead < bytes)).toBe(true)

    const previewed = await getImportRun(ctx.db, runId)
    expect(previewed).toMatchObject({ status: 'previewed', phase: null, rowsTotal: ROWS, rejected: 114 })
    expect(previewed?.details.preview).toMatchObject({ created: 49_886, updated: 0, unchanged: 0, rejected: 114, rows: 49_886 })
    expect(await countRows(ctx.db, 'opportunities')).toBe(0)

    // 50 negative amounts and 64 repeated ids, each on its own line, the repeats naming the first line.
    const byCode = await queryRows<{ code: string; n: number; first: number }>(
      ctx.db,
      sql`select code, count(*)::int as n, min(line)::int as first from import_rejections where run_id = ${runId} group by code order by code`,
    )
    expect(byCode).toEqual([
      { code: 'duplicate_id', n: 64, first: 778 },
      { code: 'negative_amount', n: 50, first: 1001 },
    ])
    const [repeat] = await queryRows<{ reason: string; params: unknown }>(ctx.db, sql`select reason, params from import_rejections where run_id = ${runId} and line = 778`)
    expect(repeat).toEqual({
      reason: 'Column "Opportunity ID": "006G00000000775AAA" is the same id as line 777; each record may appear only once per file',
      params: { column: 'Opportunity ID', value: '006G00000000775AAA', firstLine: 777 },
    })

    // The merge is one statement in one transaction (on PGlite a reader waits for it): the phase it
    // announces beforehand is recorded by a trigger, in order, as the page would have read it.
    await ctx.db.execute(sql.raw(`create table progress_log (n serial primary key, status text, phase text, rows integer)`))
    await ctx.db.execute(sql.raw(`create function log_progress() returns trigger language plpgsql as $$
      begin insert into progress_log (status, phase, rows) values (new.status, new.phase, new.rows_processed); return new; end $$`))
    await ctx.db.execute(sql.raw(`create trigger log_progress after update on import_runs for each row execute function log_progress()`))
    await requestCommit(ctx, runId)
    await commitImport(ctx, runId)
    const log = await queryRows<{ status: string; phase: string | null; rows: number }>(ctx.db, sql`select status, phase, rows from progress_log order by n`)
    expect(log).toEqual([
      { status: 'committing', phase: null, rows: 0 },
      { status: 'committing', phase: 'merging', rows: ROWS },
      { status: 'committed', phase: null, rows: ROWS },
    ])
    await ctx.db.execute(sql.raw(`drop trigger log_progress on import_runs`))
    expect(await getImportRun(ctx.db, runId)).toMatchObject({ status: 'committed', phase: null, created: 49_886, updated: 0, unchanged: 0, rejected: 114 })
    expect(await countRows(ctx.db, 'opportunities')).toBe(49_886)
    // The staging table went with the commit.
    expect(await queryRows(ctx.db, sql`select to_regclass(${runStagingTable(runId)}) as t`)).toEqual([{ t: null }])
    // Owners resolved as rows were written: no deal whose owner a person's CRM keys name is left unmapped.
    const [owners] = await queryRows<{ mapped: number; missed: number }>(
      ctx.db,
      sql`select count(*) filter (where owner_id is not null)::int as mapped,
          count(*) filter (where owner_id is null and exists (
            select 1 from people p, unnest(p.crm_owner_keys) as k(v) where lower(k.v) = lower(o.owner_key)))::int as missed
        from opportunities o`,
    )
    expect(owners.mapped).toBeGreaterThan(0)
    expect(owners.missed).toBe(0)
  }, 300_000)

  it('the same export again is all unchanged; a commit whose staging table is gone reads the file again', async () => {
    const { path } = await generatedUpload('salesforce-opportunities-large-again.csv')
    const runId = await createImportRun(ctx, { filePath: path, filename: 'salesforce-opportunities-large-again.csv', createdById: null })
    await previewImport(ctx, runId)
    expect((await getImportRun(ctx.db, runId))?.details.preview).toMatchObject({ created: 0, updated: 0, unchanged: 49_886, rejected: 114 })
    await ctx.db.execute(sql.raw(`drop table ${runStagingTable(runId)}`))
    await requestCommit(ctx, runId)
    await commitImport(ctx, runId)
    expect(await getImportRun(ctx.db, runId)).toMatchObject({ status: 'committed', created: 0, updated: 0, unchanged: 49_886, rejected: 114 })
    expect(await countRows(ctx.db, 'opportunities')).toBe(49_886)
    expect(await countRows(ctx.db, 'opportunity_stage_history')).toBe(0)
  }, 300_000)
})
