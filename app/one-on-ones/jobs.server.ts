import { defineHandlers } from '~/jobs/define'
import { claimPrepReminders, claimSummary, sendPrepReminder, sendSummary } from './emails.server'

/** 1:1 prep reminders and summaries (payloads and schedules in app/jobs/catalog.ts). */
export const oneOnOneJobs = defineHandlers({
  'one-on-ones.prep-reminders': {
    handle: async (ctx) => {
      await claimPrepReminders(ctx)
    },
  },
  'one-on-ones.prep-reminder-email': {
    handle: (ctx, data) => sendPrepReminder(ctx, data),
  },
  'one-on-ones.summary': {
    handle: (ctx, data) => claimSummary(ctx, data.meetingId),
  },
  'one-on-ones.summary-email': {
    handle: (ctx, data) => sendSummary(ctx, data),
  },
})
