import { authJobs } from '~/auth/jobs.server'
import { funnelJobs } from '~/funnel/jobs.server'
import { reportJobs } from '~/insights/report-jobs.server'
import { insightsJobs } from '~/insights/jobs.server'
import { oneOnOneJobs } from '~/one-on-ones/jobs.server'
import { privacyJobs } from '~/privacy/jobs.server'
import { surveyJobs } from '~/surveys/jobs.server'
import type { JobHandlers } from './define'

/**
 * How every job of the catalog (app/jobs/catalog.ts) is worked, by queue name; each feature lists
 * its handlers in app/<feature>/jobs.server.ts. Only the job runner (app/jobs/boss.server.ts)
 * imports this file: everything that merely sends a job needs the catalog alone, so no domain
 * module depends on the handlers (`npm run check:cycles`).
 */
export const jobHandlers = {
  ...authJobs,
  ...surveyJobs,
  ...funnelJobs,
  ...oneOnOneJobs,
  ...reportJobs,
  ...insightsJobs,
  ...privacyJobs,
} satisfies JobHandlers
