import { z } from 'zod'
import { defineJob } from '~/jobs/define'
import { closeDueRounds, runReminders, runScheduler, SEND_RETRY } from './rounds.server'
import { requeueStalledInvitations, sendInvitation, sendInvitations, sendReminder } from './sending.server'

/** Survey scheduling, sending, reminders and closing. */
export const surveyJobs = {
  /**
   * Every minute: create the rounds that are due (idempotent across workers) and queue their
   * invitations; queue again the invitations whose job was lost (a killed worker, retries spent).
   */
  'surveys.schedule': defineJob({
    schema: z.object({ now: z.iso.datetime().optional() }).default({}),
    cron: '* * * * *',
    handle: async (ctx, data) => {
      await runScheduler(ctx, data.now ? new Date(data.now) : new Date())
      await requeueStalledInvitations(ctx)
    },
  }),
  /** Every five minutes: queue the reminders that are due, to non-respondents only. */
  'surveys.remind': defineJob({
    schema: z.object({ now: z.iso.datetime().optional() }).default({}),
    cron: '*/5 * * * *',
    handle: async (ctx, data) => {
      await runReminders(ctx, data.now ? new Date(data.now) : new Date())
    },
  }),
  /** Queued for each round at its closing time; the sweep also closes any round a lost job missed. */
  'surveys.close-round': defineJob({
    schema: z.object({ roundId: z.uuid().optional() }).default({}),
    cron: '*/5 * * * *',
    handle: async (ctx) => {
      await closeDueRounds(ctx)
    },
  }),
  /**
   * A wave's sends, a batch at a time: the batch is leased, claimed and rendered in chunks and
   * handed to SMTP one email after another (see sendInvitations).
   */
  'surveys.send-invitation': defineJob({
    schema: z.object({ invitationId: z.uuid() }),
    queue: SEND_RETRY,
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
  }),
  'surveys.send-reminder': defineJob({
    schema: z.object({ invitationId: z.uuid(), number: z.number().int().min(1).max(3) }),
    queue: SEND_RETRY,
    batchSize: 20,
    handle: async (ctx, data) => {
      await sendReminder(ctx, data)
    },
  }),
}
