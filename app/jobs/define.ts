import type { AppContext } from '~/context'
import type { JobName, JobPayload } from './catalog'

/** How one job of the catalog (app/jobs/catalog.ts) is worked. */
export type JobHandler<N extends JobName> = {
  /** How many jobs one fetch takes; `handle` gets them one by one, `handleBatch` all together. */
  batchSize?: number
  handle: (ctx: AppContext, data: JobPayload<N>, job: { id: string; retryCount?: number }) => Promise<void>
  /**
   * Handles a whole fetched batch at once instead of job by job (used by the worker and by drain).
   * Returns one result per job, in order: `done`, `{ error }` (that job alone is retried), or
   * `not-started` (only when `stopping()` turned true: the job goes back to the queue).
   */
  handleBatch?: (ctx: AppContext, jobs: { id: string; data: JobPayload<N> }[], control: { stopping: () => boolean }) => Promise<BatchResult[]>
}

export type BatchResult = 'done' | 'not-started' | { error: unknown }

/** Handlers for some of the catalog's jobs, each typed by its name's payload. */
export type JobHandlers<N extends JobName = JobName> = { [K in N]: JobHandler<K> }

export function defineHandlers<N extends JobName>(handlers: JobHandlers<N>): JobHandlers<N> {
  return handlers
}
