/**
 * The forms of the survey designer (/surveys/<id>), by intent: "Save" (the design), a status
 * button, "Send now" and "Close the open round now". The intent table of designer.server.ts gives each its handler.
 */
import { z } from 'zod'
import type { Messages } from '~/i18n'
import { designSchema } from './survey-schema'

export const designerForms = {
  save: designSchema,
  status: () => z.object({ intent: z.literal('status'), change: z.enum(['activate', 'pause', 'resume', 'end']) }),
  'send-now': () => z.object({ intent: z.literal('send-now') }),
  'close-round': () => z.object({ intent: z.literal('close-round') }),
} satisfies Record<string, (t: Messages) => z.ZodType<{ intent: string }>>

/** The designer form's values as strings, the way the browser posts them. */
export type QuestionForm = { type: string; driver: string; required: string; text: { en: string; it: string }; options: string; bankKey: string }
export type DesignForm = {
  intent: string
  title: string
  kind: string
  privacy: string
  cadence: string
  sendDay: string
  sendTime: string
  startsOn: string
  responseWindowDays: string
  reminderDays: string
  quietPeriods: string
  audience: { type: string; teamIds: string[]; personIds: string[] }
  questions: QuestionForm[]
}
