import type { z } from 'zod'
import { authJobs } from '~/auth/jobs.server'
import { funnelJobs } from '~/funnel/jobs.server'
import { reportJobs } from '~/insights/report-jobs.server'
import { insightsJobs } from '~/insights/jobs.server'
import { oneOnOneJobs } from '~/one-on-ones/jobs.server'
import { privacyJobs } from '~/privacy/jobs.server'
import { surveyJobs } from '~/surveys/jobs.server'

/** Every job Pulseboard runs, by queue name. Each feature lists its jobs in app/<feature>/jobs.server.ts. */
export const jobRegistry = {
  ...authJobs,
  ...surveyJobs,
  ...funnelJobs,
  ...oneOnOneJobs,
  ...reportJobs,
  ...insightsJobs,
  ...privacyJobs,
}

export type JobName = keyof typeof jobRegistry
export type JobData<N extends JobName> = z.input<(typeof jobRegistry)[N]['schema']>
