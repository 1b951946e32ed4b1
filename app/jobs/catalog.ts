import type PgBoss from 'pg-boss'
import { z } from 'zod'
import { SIGNAL_UNITS } from '~/insights/signals'

/**
 * Every job Pulseboard runs, by queue name: its payload schema and its queue options, and nothing
 * of how it is worked. Whatever sends a job (`ctx.jobs.send(name, data)`) is typed by this file
 * alone; the handlers live in each feature's jobs.server.ts and are brought together only by
 * app/jobs/registry.server.ts, which the job runner (app/jobs/boss.server.ts) imports.
 */
export type JobEntry = {
  /** The payload, validated when sent and again when worked (a job row is an input like any other). */
  schema: z.ZodType
  /** Queue options: retries with backoff by default (app/jobs/boss.server.ts). */
  queue?: Omit<PgBoss.Queue, 'name'>
  /** A cron expression in the organisation's time zone, for recurring jobs. */
  cron?: string
}

/**
 * CRM imports: both handlers record their own failure on the run (and roll back), so a retry
 * happens only when a worker dies mid-job — and then starts over cleanly. Long exports get an hour
 * before pg-boss considers a job lost.
 */
const IMPORT_QUEUE = { retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 60 * 60 }

/**
 * Survey invitations and reminders: retries with exponential backoff (pg-boss: retryDelay × 2^n)
 * for temporary SMTP failures. Also given to each job of a wave inserted in bulk.
 */
export const SEND_RETRY = { retryLimit: 6, retryDelay: 30, retryBackoff: true }

/** The scheduled reports' emails. */
const REPORT_SEND_RETRY = { retryLimit: 5, retryDelay: 60, retryBackoff: true }

const now = z.object({ now: z.iso.datetime().optional() }).default({})
const meetingRecipient = z.object({ meetingId: z.uuid(), personId: z.uuid() })
const reportRecipient = z.object({ personId: z.uuid(), period: z.iso.date(), now: z.iso.datetime() })

export const jobCatalog = {
  // Sign-in: the job creates the token and stores its hash; the plain token exists only in the email.
  'email.sign-in-link': { schema: z.object({ personId: z.uuid(), redirectTo: z.string().startsWith('/') }) },

  /**
   * Every minute: create the rounds that are due (idempotent across workers) and queue their
   * invitations; queue again the invitations whose job was lost (a killed worker, retries spent).
   */
  'surveys.schedule': { schema: now, cron: '* * * * *' },
  /** Every five minutes: queue the reminders that are due, to non-respondents only. */
  'surveys.remind': { schema: now, cron: '*/5 * * * *' },
  /** Queued for each round at its closing time; the sweep also closes any round a lost job missed. */
  'surveys.close-round': { schema: z.object({ roundId: z.uuid().optional() }).default({}), cron: '*/5 * * * *' },
  'surveys.send-invitation': { schema: z.object({ invitationId: z.uuid() }), queue: SEND_RETRY },
  'surveys.send-reminder': { schema: z.object({ invitationId: z.uuid(), number: z.number().int().min(1).max(3) }), queue: SEND_RETRY },

  'crm.import.preview': { schema: z.object({ runId: z.uuid() }), queue: IMPORT_QUEUE },
  'crm.import.commit': { schema: z.object({ runId: z.uuid() }), queue: IMPORT_QUEUE },

  /** Hourly: claims meetings starting in 24–48 h that were not reminded yet. */
  'one-on-ones.prep-reminders': { schema: z.object({}), cron: '5 * * * *' },
  'one-on-ones.prep-reminder-email': { schema: meetingRecipient },
  /** Queued when a meeting is marked held. */
  'one-on-ones.summary': { schema: z.object({ meetingId: z.uuid() }) },
  'one-on-ones.summary-email': { schema: meetingRecipient },

  /** Mondays at 07:00: the digest of the week that ended, to every manager who did not opt out. */
  'reports.weekly-digest': { schema: now, cron: '0 7 * * 1' },
  /** The 1st of each month at 07:00: the report of the month that ended, to hr and leaders. */
  'reports.leadership-report': { schema: now, cron: '0 7 1 * *' },
  'reports.weekly-digest-email': { schema: reportRecipient, queue: REPORT_SEND_RETRY },
  'reports.leadership-report-email': { schema: reportRecipient, queue: REPORT_SEND_RETRY },

  /**
   * Daily at 06:30: detect new signals (idempotent: one per team, kind and period), then claim the
   * ones nobody was told about and queue one alert email per recipient.
   */
  'signals.detect': {
    schema: z.object({ unit: z.enum(SIGNAL_UNITS).default('quarter'), now: z.iso.datetime().optional() }).default({ unit: 'quarter' }),
    cron: '30 6 * * *',
  },
  'signals.alert-email': { schema: z.object({ personId: z.uuid(), signalIds: z.array(z.uuid()).min(1).max(500) }) },

  /** Daily at 03:30 (organisation time): apply the retention setting; does nothing while it is off. */
  'privacy.retention': { schema: z.object({}).default({}), cron: '30 3 * * *' },
} satisfies Record<string, JobEntry>

export type JobName = keyof typeof jobCatalog
/** What a sender passes (defaults not applied yet). */
export type JobData<N extends JobName> = z.input<(typeof jobCatalog)[N]['schema']>
/** What a handler receives: the payload as the schema parsed it. */
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]['schema']>
