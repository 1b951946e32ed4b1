/**
 * Measures the CRM import end to end on PostgreSQL, through the product's own functions
 * (createImportRun → previewImport → requestCommit → commitImport), against `psql \copy` of the
 * same file into a plain table (the targets of docs/architecture.md#performance-targets: ≥ 25% of
 * \copy's speed, peak RSS ≤ 400 MB).
 *
 *   npx tsx scripts/measure-crm-import.ts [rows=1000000] [postgres://…/postgres]
 *
 * Generates a deterministic Salesforce-style report (test/support/crm-generator.ts) in a temp
 * directory, creates the database pulseboard_import_measure, imports into it in a child process
 * (so its peak RSS, VmHWM, is the import's alone), runs \copy, prints the numbers and drops the
 * database and the file.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { writeGeneratedReport } from '#test/support/crm-generator'

const DB = 'pulseboard_import_measure'

function withDatabase(url: string, name: string) {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

async function child(url: string, file: string) {
  const { openDatabase } = await import('#db/client')
  const { migrateDatabase } = await import('#db/migrate')
  const { createAppContext } = await import('~/context.server')
  const { parseEnv } = await import('~/env.server')
  const { createLogger } = await import('~/logger.server')
  const { createImportRun, previewImport, requestCommit, commitImport, getImportRun } = await import('~/funnel/import.server')
  const { copyFile, mkdir } = await import('node:fs/promises')

  const database = await openDatabase({ url })
  await migrateDatabase(database)
  const dataDir = mkdtempSync(join(tmpdir(), 'pulseboard-measure-data-'))
  const env = parseEnv({ NODE_ENV: 'test', DATABASE_URL: url, DATA_DIR: dataDir, SESSION_SECRET: 'measure-session-secret-0123456789abcdef01234', NOTES_ENCRYPTION_KEY: '0f'.repeat(32) })
  const ctx = await createAppContext(env, database, { logger: createLogger('silent'), schedule: false, supervise: false })
  await mkdir(join(dataDir, 'uploads'), { recursive: true })
  const upload = join(dataDir, 'uploads', 'salesforce-opportunities.csv')
  await copyFile(file, upload)

  // Phase boundaries as the run page sees them: a second connection polls the run row.
  const watcher = postgres(url, { max: 1, onnotice: () => {} })
  const marks: Record<string, number> = {}
  let runId = ''
  let polling = true
  const poll = (async () => {
    while (polling) {
      if (runId) {
        const [row] = await watcher`select status, phase from import_runs where id = ${runId}`
        const key = `${row.status}:${row.phase ?? ''}`
        marks[key] ??= performance.now()
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()

  const t0 = performance.now()
  runId = await createImportRun(ctx, { filePath: upload, filename: 'salesforce-opportunities.csv', createdById: null })
  await previewImport(ctx, runId)
  const t1 = performance.now()
  const previewed = await getImportRun(ctx.db, runId)
  await requestCommit(ctx, runId)
  const t2 = performance.now()
  await commitImport(ctx, runId)
  const t3 = performance.now()
  polling = false
  await poll
  const committed = await getImportRun(ctx.db, runId)
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
  const readingEnd = marks['previewing:checking'] ?? t1
  console.log(
    JSON.stringify({
      status: committed?.status,
      error: committed?.error,
      preview: previewed?.details.preview,
      committed: { created: committed?.created, updated: committed?.updated, unchanged: committed?.unchanged, rejected: committed?.rejected },
      ms: {
        parseAndStage: Math.round(readingEnd - t0),
        checkAndPreview: Math.round(t1 - readingEnd),
        commit: Math.round(t3 - t2),
        total: Math.round(t3 - t0),
      },
      peakRssMb: Math.round(Number(hwm) / 1024),
    }),
  )
  await watcher.end()
  await ctx.jobs.stop().catch(() => {})
  ctx.mailer.close()
  await database.close()
  rmSync(dataDir, { recursive: true, force: true })
}

async function main() {
  const rows = Number(process.argv[2] ?? 1_000_000)
  const base = process.argv[3] ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const dir = mkdtempSync(join(tmpdir(), 'pulseboard-measure-'))
  const file = join(dir, 'salesforce-opportunities.csv')
  const bytes = await writeGeneratedReport(file, rows)
  const admin = postgres(base, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`drop database if exists ${DB}`)
    await admin.unsafe(`create database ${DB}`)
    const url = withDatabase(base, DB)

    const run = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', url, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    const result = JSON.parse(run.stdout.trim().split('\n').pop() as string)

    execFileSync('psql', [url, '-qc', 'create table raw_copy (opportunity_id text, owner text, name text, account text, stage text, amount text, probability text, lead_source text, industry text, created text, close text, won text, closed text)'])
    const copyStart = performance.now()
    execFileSync('psql', [url, '-qc', `\\copy raw_copy from '${file}' with (format csv, header true)`])
    const copyMs = Math.round(performance.now() - copyStart)
    console.log(
      JSON.stringify(
        {
          rows,
          fileMb: Math.round(bytes / 1024 / 1024),
          ...result,
          rowsPerSecond: Math.round(rows / (result.ms.total / 1000)),
          psqlCopyMs: copyMs,
          speedVsCopy: `${Math.round((copyMs / result.ms.total) * 1000) / 10}%`,
        },
        null,
        2,
      ),
    )
  } finally {
    await admin.unsafe(`drop database if exists ${DB} with (force)`)
    await admin.end()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4])
else await main()
