import { z } from 'zod'
import { defineJob } from '~/jobs/define'
import { commitImport, previewImport } from './import.server'

/**
 * CRM imports that run in the background. Both handlers record their own failure on the run (and
 * roll back), so a retry happens only when a worker dies mid-job — and then starts over cleanly.
 * Long exports get an hour before pg-boss considers a job lost.
 */
const importQueue = { retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 60 * 60 }

export const funnelJobs = {
  'crm.import.preview': defineJob({
    schema: z.object({ runId: z.uuid() }),
    queue: importQueue,
    handle: (ctx, data) => previewImport(ctx, data.runId),
  }),
  'crm.import.commit': defineJob({
    schema: z.object({ runId: z.uuid() }),
    queue: importQueue,
    handle: (ctx, data) => commitImport(ctx, data.runId),
  }),
}
