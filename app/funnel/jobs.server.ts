import { defineHandlers } from '~/jobs/define'
import { commitImport, previewImport } from './import.server'

/** CRM imports that run in the background (payloads and queue options in app/jobs/catalog.ts). */
export const funnelJobs = defineHandlers({
  'crm.import.preview': {
    handle: (ctx, data) => previewImport(ctx, data.runId),
  },
  'crm.import.commit': {
    handle: (ctx, data) => commitImport(ctx, data.runId),
  },
})
