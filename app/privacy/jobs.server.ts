import { defineHandlers } from '~/jobs/define'
import { runRetention } from './retention.server'

/** Data protection (schedule in app/jobs/catalog.ts). */
export const privacyJobs = defineHandlers({
  /** Applies the retention setting; does nothing while it is off. */
  'privacy.retention': {
    handle: async (ctx) => {
      const run = await runRetention(ctx.db)
      if (run) ctx.logger.info({ job: 'privacy.retention', ...run }, 'retention applied')
    },
  },
})
