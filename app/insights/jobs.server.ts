import { defineHandlers } from '~/jobs/define'
import { sendSignalAlert } from './signal-alert.server'
import { claimSignalNotifications, detectSignals } from './signals.server'

/** Insights jobs: early-warning signals (payloads and schedules in app/jobs/catalog.ts). */
export const insightsJobs = defineHandlers({
  /** Detects new signals, then claims the ones nobody was told about and queues their alert emails. */
  'signals.detect': {
    handle: async (ctx, data) => {
      await detectSignals(ctx.db, { unit: data.unit, now: data.now ? new Date(data.now) : new Date() })
      await claimSignalNotifications(ctx)
    },
  },
  'signals.alert-email': {
    handle: (ctx, data) => sendSignalAlert(ctx, data),
  },
})
