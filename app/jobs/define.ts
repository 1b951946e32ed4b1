import type PgBoss from 'pg-boss'
import type { z } from 'zod'
import type { AppContext } from '~/context.server'

export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  /** The payload, validated when sent and again when worked (a job row is an input like any other). */
  schema: S
  /** Queue options: retries with backoff by default. */
  queue?: Omit<PgBoss.Queue, 'name'>
  /** A cron expression in the organisation's time zone, for recurring jobs. */
  cron?: string
  /** How many jobs one fetch takes; `handle` gets them one by one, `handleBatch` all together. */
  batchSize?: number
  handle: (ctx: AppContext, data: z.infer<S>, job: { id: string; retryCount?: number }) => Promise<void>
  /**
   * Handles a whole fetched batch at once instead of job by job (used by the worker and by drain).
   * Returns one result per job, in order: `done`, `{ error }` (that job alone is retried), or
   * `not-started` (only when `stopping()` turned true: the job goes back to the queue).
   */
  handleBatch?: (ctx: AppContext, jobs: { id: string; data: z.infer<S> }[], control: { stopping: () => boolean }) => Promise<BatchResult[]>
}

export type BatchResult = 'done' | 'not-started' | { error: unknown }

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition
}
