/**
 * The product's CRM import of one export, in a process of its own so that its peak memory is its
 * own: the run is created as the upload handler creates it, then the preview and commit job
 * handlers run one after the other (what the worker does when the admin presses "Import").
 * Prints the timings, the run's outcome and VmHWM as JSON on its last line.
 */
import { readFileSync } from 'node:fs'
import { closeAppContext, createAppContext } from '~/context.server'
import { openAppDatabase } from '~/db.server'
import { parseEnv } from '~/env.server'
import { commitImport, createImportRun, getImportRun, previewImport, requestCommit } from '~/funnel/import.server'

const env = parseEnv()
const database = await openAppDatabase(env)
const ctx = await createAppContext(env, database, { schedule: false, supervise: false })
const peakMb = () => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024
try {
  const runId = await createImportRun(ctx, { filePath: process.env.BENCH_FILE!, filename: 'bench-opportunities.csv', kind: 'opportunities', createdById: null })
  const t0 = performance.now()
  await previewImport(ctx, runId)
  const t1 = performance.now()
  const previewed = await getImportRun(ctx.db, runId)
  let t2 = t1
  if (previewed?.status === 'previewed') {
    await requestCommit(ctx, runId)
    await commitImport(ctx, runId)
    t2 = performance.now()
  }
  const run = await getImportRun(ctx.db, runId)
  console.log(
    'BENCH_RESULT ' +
    JSON.stringify({
      status: run?.status,
      error: run?.error ?? null,
      rowsTotal: run?.rowsTotal,
      created: run?.created,
      updated: run?.updated,
      rejected: run?.rejected,
      previewSeconds: (t1 - t0) / 1000,
      commitSeconds: (t2 - t1) / 1000,
      peakMb: peakMb(),
    }),
  )
} finally {
  await closeAppContext(ctx)
}
process.exit(0)
