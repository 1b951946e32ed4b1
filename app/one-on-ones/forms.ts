import { z } from 'zod'
import { cadenceOptions } from './cadence'
import type { Messages } from '~/i18n'

/** The forms of the 1:1 pages: one schema each, shared by the action and the component (Conform). */
export const TEXT_MAX = 500
export const NOTES_MAX = 20_000

const isoDate = /^\d{4}-\d{2}-\d{2}$/
/** A real calendar day (2031-02-30 is not), so the database never sees an impossible date. */
export const isCalendarDate = (v: string) => isoDate.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)

export const scheduleSchema = (t: Messages) =>
  z.object({
    intent: z.literal('schedule'),
    reportId: z.uuid({ error: t.oneOnOnes.errors.report }),
    date: z.string({ error: t.oneOnOnes.errors.date }).refine(isCalendarDate, { error: t.oneOnOnes.errors.date }),
    time: z.string({ error: t.oneOnOnes.errors.time }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: t.oneOnOnes.errors.time }),
    durationMinutes: z.coerce
      .number({ error: t.oneOnOnes.errors.duration })
      .int({ error: t.oneOnOnes.errors.duration })
      .min(5, { error: t.oneOnOnes.errors.duration })
      .max(480, { error: t.oneOnOnes.errors.duration })
      .default(60),
  })

export const cadenceSchema = (t: Messages) =>
  z.object({
    intent: z.literal('cadence'),
    reportId: z.uuid({ error: t.oneOnOnes.errors.report }),
    cadence: z.enum(cadenceOptions, { error: t.oneOnOnes.errors.cadence }),
  })

const text = (t: Messages) =>
  z
    .string({ error: t.oneOnOnes.errors.text({ max: TEXT_MAX }) })
    .trim()
    .min(1, { error: t.oneOnOnes.errors.text({ max: TEXT_MAX }) })
    .max(TEXT_MAX, { error: t.oneOnOnes.errors.text({ max: TEXT_MAX }) })

const notes = (t: Messages) =>
  z
    .string()
    .max(NOTES_MAX, { error: t.oneOnOnes.errors.notes({ max: NOTES_MAX }) })
    .optional()
    .transform((v) => v ?? '')

const itemId = z.uuid()

const done = z.enum(['true', 'false']).transform((v) => v === 'true')

/**
 * Every form on the meeting page, by its intent (the intent table of meeting-intents.server.ts
 * gives each its handler). The page validates each form with its own schema.
 */
export const meetingForms = {
  'add-agenda': (t: Messages) => z.object({ intent: z.literal('add-agenda'), text: text(t) }),
  'move-agenda': () => z.object({ intent: z.literal('move-agenda'), itemId, direction: z.enum(['up', 'down']) }),
  'tick-agenda': () => z.object({ intent: z.literal('tick-agenda'), itemId, done }),
  'shared-notes': (t: Messages) => z.object({ intent: z.literal('shared-notes'), notes: notes(t) }),
  'private-note': (t: Messages) => z.object({ intent: z.literal('private-note'), note: notes(t) }),
  'add-action': (t: Messages) =>
    z.object({
      intent: z.literal('add-action'),
      text: text(t),
      owner: z.enum(['manager', 'report'], { error: t.oneOnOnes.errors.owner }),
      dueOn: z
        .string()
        .refine(isCalendarDate, { error: t.oneOnOnes.errors.dueOn })
        .optional()
        .transform((v) => v ?? null),
    }),
  'tick-action': () => z.object({ intent: z.literal('tick-action'), itemId, done }),
  'check-in': (t: Messages) =>
    z.object({
      intent: z.literal('check-in'),
      score: z.coerce.number({ error: t.oneOnOnes.errors.score }).int({ error: t.oneOnOnes.errors.score }).min(1, { error: t.oneOnOnes.errors.score }).max(10, { error: t.oneOnOnes.errors.score }),
    }),
  'mark-held': (t: Messages) =>
    z.object({
      intent: z.literal('mark-held'),
      actualDurationMinutes: z.coerce
        .number({ error: t.oneOnOnes.errors.actualDuration })
        .int({ error: t.oneOnOnes.errors.actualDuration })
        .min(1, { error: t.oneOnOnes.errors.actualDuration })
        .max(480, { error: t.oneOnOnes.errors.actualDuration }),
    }),
}

export type MeetingIntent = keyof typeof meetingForms
