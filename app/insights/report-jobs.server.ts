import { defineHandlers } from '~/jobs/define'
import { queueReports, sendReport } from './report-delivery.server'

/**
 * The scheduled reports (payloads, schedules and retries in app/jobs/catalog.ts). Crons run in the
 * organisation's time zone (app/jobs/boss.server.ts).
 */
export const reportJobs = defineHandlers({
  'reports.weekly-digest': {
    handle: async (ctx, data) => {
      await queueReports(ctx, 'weekly_digest', data.now ? new Date(data.now) : new Date())
    },
  },
  'reports.leadership-report': {
    handle: async (ctx, data) => {
      await queueReports(ctx, 'leadership_report', data.now ? new Date(data.now) : new Date())
    },
  },
  'reports.weekly-digest-email': {
    handle: async (ctx, data) => {
      await sendReport(ctx, 'weekly_digest', { personId: data.personId, period: data.period, now: new Date(data.now) })
    },
  },
  'reports.leadership-report-email': {
    handle: async (ctx, data) => {
      await sendReport(ctx, 'leadership_report', { personId: data.personId, period: data.period, now: new Date(data.now) })
    },
  },
})
