import { z } from 'zod'
import { defineJob } from '~/jobs/define'
import { sendSignalAlert } from './signal-alert.server'
import { claimSignalNotifications, detectSignals } from './signals.server'
import { SIGNAL_UNITS } from './signals'

/** Insights jobs: early-warning signals. */
export const insightsJobs = {
  /**
   * Daily at 06:30: detect new signals (idempotent: one per team, kind and period), then claim the
   * ones nobody was told about and queue one alert email per recipient.
   */
  'signals.detect': defineJob({
    schema: z.object({ unit: z.enum(SIGNAL_UNITS).default('quarter'), now: z.iso.datetime().optional() }).default({ unit: 'quarter' }),
    cron: '30 6 * * *',
    handle: async (ctx, data) => {
      await detectSignals(ctx.db, { unit: data.unit, now: data.now ? new Date(data.now) : new Date() })
      await claimSignalNotifications(ctx)
    },
  }),
  'signals.alert-email': defineJob({
    schema: z.object({ personId: z.uuid(), signalIds: z.array(z.uuid()).min(1).max(500) }),
    handle: (ctx, data) => sendSignalAlert(ctx, data),
  }),
}
