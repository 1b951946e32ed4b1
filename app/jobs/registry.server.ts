import type { z } from 'zod'
import { authJobs } from '~/auth/jobs.server'

/** Every job Pulseboard runs, by queue name. A feature adds its jobs here. */
export const jobRegistry = {
  ...authJobs,
}

export type JobName = keyof typeof jobRegistry
export type JobData<N extends JobName> = z.input<(typeof jobRegistry)[N]['schema']>
