import { z } from 'zod'
import { defineJob } from '~/jobs/define'
import { claimPrepReminders, claimSummary, sendPrepReminder, sendSummary } from './emails.server'

const perRecipient = z.object({ meetingId: z.uuid(), personId: z.uuid() })

/** 1:1 prep reminders and summaries. */
export const oneOnOneJobs = {
  /** Hourly: claims meetings starting in 24–48 h that were not reminded yet. */
  'one-on-ones.prep-reminders': defineJob({
    schema: z.object({}),
    cron: '5 * * * *',
    handle: async (ctx) => {
      await claimPrepReminders(ctx)
    },
  }),
  'one-on-ones.prep-reminder-email': defineJob({
    schema: perRecipient,
    handle: (ctx, data) => sendPrepReminder(ctx, data),
  }),
  /** Queued when a meeting is marked held. */
  'one-on-ones.summary': defineJob({
    schema: z.object({ meetingId: z.uuid() }),
    handle: (ctx, data) => claimSummary(ctx, data.meetingId),
  }),
  'one-on-ones.summary-email': defineJob({
    schema: perRecipient,
    handle: (ctx, data) => sendSummary(ctx, data),
  }),
}
