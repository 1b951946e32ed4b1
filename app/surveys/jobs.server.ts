import { defineHandlers } from '~/jobs/define'
import { closeDueRounds, runReminders, runScheduler } from './rounds.server'
import { requeueStalledInvitations, sendInvitation, sendInvitations, sendReminder } from './sending.server'

/** Survey scheduling, sending, reminders and closing (payloads, schedules and retries in app/jobs/catalog.ts). */
export const surveyJobs = defineHandlers({
  'surveys.schedule': {
    handle: async (ctx, data) => {
      await runScheduler(ctx, data.now ? new Date(data.now) : new Date())
      await requeueStalledInvitations(ctx)
    },
  },
  'surveys.remind': {
    handle: async (ctx, data) => {
      await runReminders(ctx, data.now ? new Date(data.now) : new Date())
    },
  },
  'surveys.close-round': {
    handle: async (ctx) => {
      await closeDueRounds(ctx)
    },
  },
  /**
   * A wave's sends, a batch at a time: the batch is leased, claimed and rendered in chunks and
   * handed to SMTP one email after another (see sendInvitations).
   */
  'surveys.send-invitation': {
    batchSize: 100,
    handle: async (ctx, data) => {
      await sendInvitation(ctx, data.invitationId)
    },
    handleBatch: async (ctx, jobs, control) => {
      const outcomes = await sendInvitations(ctx, jobs.map((j) => j.data.invitationId), control)
      return jobs.map((j) => {
        const outcome = outcomes.get(j.data.invitationId.toLowerCase())
        return !outcome ? 'not-started' : 'error' in outcome ? { error: outcome.error } : 'done'
      })
    },
  },
  'surveys.send-reminder': {
    batchSize: 20,
    handle: async (ctx, data) => {
      await sendReminder(ctx, data)
    },
  },
})
