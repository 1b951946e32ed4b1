import PgBoss from 'pg-boss'
import type { Database } from '#db/client'
import type { AppContext, Jobs } from '~/context'
import { type JobEntry, type JobName, jobCatalog } from './catalog'
import type { BatchResult } from './define'
import { jobHandlers } from './registry.server'

/** A queue as the runner sees it: the catalog's entry joined to its handler (payloads already parsed). */
type Definition = JobEntry & {
  batchSize?: number
  handle: (ctx: AppContext, data: unknown, job: { id: string; retryCount?: number }) => Promise<void>
  handleBatch?: (ctx: AppContext, jobs: { id: string; data: unknown }[], control: { stopping: () => boolean }) => Promise<BatchResult[]>
}

const defaultQueue = { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 15 * 60 }

/**
 * What a failed job records and logs: the driver's own message when drizzle wrapped it, since
 * drizzle's message repeats the query's parameters (an email's token, an address).
 */
function failureMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause
  const own = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error)
  return own.slice(0, 500)
}

/**
 * pg-boss on its own connection for PostgreSQL, or through an in-process adapter on PGlite. The
 * runner of the composition roots: it joins the catalog to the handlers (app/jobs/registry.server.ts).
 */
export async function createJobs(database: Database, options: { timezone: string; schedule?: boolean; supervise?: boolean } = { timezone: 'UTC' }): Promise<Jobs> {
  const common = { schedule: options.schedule ?? true, supervise: options.supervise ?? true }
  const boss =
    database.engine === 'postgres'
      ? new PgBoss({ connectionString: database.url!, max: 4, application_name: 'pulseboard-jobs', ...common })
      : new PgBoss({ db: { executeSql: (text: string, values: unknown[]) => database.executeSql(text, values) }, ...common })
  boss.on('error', (error) => console.error('[jobs]', error))
  await boss.start()
  const definitions = Object.fromEntries(
    Object.entries(jobCatalog).map(([name, entry]) => [name, { ...entry, ...jobHandlers[name as JobName] } as Definition]),
  ) as Record<string, Definition>
  for (const [name, definition] of Object.entries(definitions)) {
    await boss.createQueue(name, { name, ...defaultQueue, ...definition.queue })
  }

  let stopping = false

  async function handle(ctx: AppContext, name: string, job: PgBoss.Job<unknown>) {
    const definition = definitions[name]
    const data = definition.schema.parse(job.data)
    await definition.handle(ctx, data, { id: job.id })
  }

  return {
    boss,
    async send(name, data, sendOptions) {
      const payload = jobCatalog[name].schema.parse(data) as object
      return boss.send(name, payload, sendOptions ?? {})
    },
    async work(ctx) {
      for (const [name, definition] of Object.entries(definitions)) {
        const batchSize = definition.batchSize ?? 1
        // Shutting down: hand the jobs not started back to the queue, runnable at once by another
        // worker (pg-boss completes the whole batch when the handler returns).
        const release = async (rest: PgBoss.Job<unknown>[]) => {
          if (!rest.length) return
          await boss.insert(rest.map((j) => ({ name, data: j.data as object })))
          ctx.logger.info({ queue: name, released: rest.length }, 'jobs released at shutdown')
        }
        // One failed job is retried alone; the rest of the batch goes on (a thrown error would
        // fail the whole batch, delaying jobs that were never tried).
        const failOne = async (job: PgBoss.Job<unknown>, error: unknown) => {
          const message = failureMessage(error)
          ctx.logger.warn({ queue: name, job: job.id, error: message }, 'job failed; pg-boss will retry it')
          await boss.fail(name, job.id, { message })
        }
        // Its id, for the handler (which first runs after work() has returned it).
        const worker: { id?: string } = {}
        worker.id = await boss.work(name, { batchSize, pollingIntervalSeconds: 1 }, async (jobs) => {
          try {
            if (definition.handleBatch) {
              if (stopping) return await release(jobs)
              const parsed: { job: PgBoss.Job<unknown>; data: unknown }[] = []
              for (const job of jobs) {
                const result = definition.schema.safeParse(job.data)
                if (result.success) parsed.push({ job, data: result.data })
                else await failOne(job, result.error)
              }
              const results = await definition.handleBatch(ctx, parsed.map((p) => ({ id: p.job.id, data: p.data })), { stopping: () => stopping })
              const notStarted: PgBoss.Job<unknown>[] = []
              for (const [index, { job }] of parsed.entries()) {
                const result = results[index]
                if (result === 'not-started') notStarted.push(job)
                else if (result !== 'done') await failOne(job, result.error)
              }
              return await release(notStarted)
            }
            for (const [index, job] of jobs.entries()) {
              if (stopping) return await release(jobs.slice(index))
              try {
                await handle(ctx, name, job)
              } catch (error) {
                await failOne(job, error)
              }
            }
          } finally {
            // A full batch means more are probably waiting: fetch again at once rather than
            // after the polling interval (which would cap a queue at one batch a second).
            if (jobs.length >= batchSize && !stopping && worker.id) boss.notifyWorker(worker.id)
          }
        })
        if (definition.cron) await boss.schedule(name, definition.cron, {}, { tz: options.timezone })
      }
    },
    async drain(ctx, names) {
      let done = 0
      for (;;) {
        let round = 0
        for (const name of names ?? (Object.keys(definitions) as JobName[])) {
          const jobs = await boss.fetch<unknown>(name, { batchSize: 50 })
          const definition = definitions[name]
          if (definition.handleBatch && jobs.length) {
            const parsed = jobs.map((job) => ({ job, data: definition.schema.safeParse(job.data) }))
            const valid = parsed.filter((p) => p.data.success)
            const results = await definition.handleBatch(ctx, valid.map((p) => ({ id: p.job.id, data: p.data.data })), { stopping: () => false })
            for (const p of parsed) {
              const result = p.data.success ? results[valid.indexOf(p)] : { error: p.data.error }
              if (result === 'done') await boss.complete(name, p.job.id)
              else await boss.fail(name, p.job.id, { message: result === 'not-started' ? 'not started' : (result.error as Error).message })
            }
            round += jobs.length
            continue
          }
          for (const job of jobs) {
            try {
              await handle(ctx, name, job)
              await boss.complete(name, job.id)
            } catch (error) {
              await boss.fail(name, job.id, { message: (error as Error).message })
            }
            round++
          }
        }
        done += round
        if (round === 0) return done
      }
    },
    async stop() {
      // Graceful: no new fetches, the job in hand finishes, the rest of its batch is released;
      // whatever is still active after the timeout is failed by pg-boss and so retried elsewhere.
      stopping = true
      await boss.stop({ graceful: true, timeout: 10_000, close: true, wait: true })
    },
  }
}
