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
  /** How many jobs one fetch takes; handlers get them one by one. */
  batchSize?: number
  handle: (ctx: AppContext, data: z.infer<S>, job: { id: string; retryCount?: number }) => Promise<void>
}

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition
}
