import { z } from 'zod'
import { defineJob } from '~/jobs/define'
import { runRetention } from './retention.server'

/** Data protection. */
export const privacyJobs = {
  /** Daily at 03:30 (organisation time): apply the retention setting; does nothing while it is off. */
  'privacy.retention': defineJob({
    schema: z.object({}).default({}),
    cron: '30 3 * * *',
    handle: async (ctx) => {
      const run = await runRetention(ctx.db)
      if (run) ctx.logger.info({ job: 'privacy.retention', ...run }, 'retention applied')
    },
  }),
}
