import PgBoss from 'pg-boss'
import type { Database } from '#db/client'
import type { AppContext } from '~/context.server'
import type { JobDefinition } from './define'
import { type JobData, type JobName, jobRegistry } from './registry.server'

export type Jobs = {
  boss: PgBoss
  send: <N extends JobName>(name: N, data: JobData<N>, options?: PgBoss.SendOptions) => Promise<string | null>
  /** Starts polling every queue (the in-process worker, or `npm run worker`). */
  work: (ctx: AppContext) => Promise<void>
  /** Runs whatever is queued now, in this process, until the queues are empty (tests, CLI). */
  drain: (ctx: AppContext, names?: JobName[]) => Promise<number>
  stop: () => Promise<void>
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

/** pg-boss on its own connection for PostgreSQL, or through an in-process adapter on PGlite. */
export async function createJobs(database: Database, options: { timezone: string; schedule?: boolean; supervise?: boolean } = { timezone: 'UTC' }): Promise<Jobs> {
  const common = { schedule: options.schedule ?? true, supervise: options.supervise ?? true }
  const boss =
    database.engine === 'postgres'
      ? new PgBoss({ connectionString: database.url!, max: 4, application_name: 'pulseboard-jobs', ...common })
      : new PgBoss({ db: { executeSql: (text: string, values: unknown[]) => database.executeSql(text, values) }, ...common })
  boss.on('error', (error) => console.error('[jobs]', error))
  await boss.start()
  const definitions = jobRegistry as Record<string, JobDefinition>
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
      const payload = jobRegistry[name].schema.parse(data) as object
      return boss.send(name, payload, sendOptions ?? {})
    },
    async work(ctx) {
      for (const [name, definition] of Object.entries(definitions)) {
        await boss.work(name, { batchSize: definition.batchSize ?? 1, pollingIntervalSeconds: 1 }, async (jobs) => {
          for (const [index, job] of jobs.entries()) {
            if (stopping) {
              // Shutting down: hand the jobs not started back to the queue, runnable at once by
              // another worker (pg-boss completes the whole batch when this handler returns).
              const rest = jobs.slice(index)
              await boss.insert(rest.map((j) => ({ name, data: j.data as object })))
              ctx.logger.info({ queue: name, released: rest.length }, 'jobs released at shutdown')
              return
            }
            try {
              await handle(ctx, name, job)
            } catch (error) {
              // One failed job is retried alone; the rest of the batch goes on (a thrown error
              // would fail the whole batch, delaying jobs that were never tried).
              const message = failureMessage(error)
              ctx.logger.warn({ queue: name, job: job.id, error: message }, 'job failed; pg-boss will retry it')
              await boss.fail(name, job.id, { message })
            }
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
