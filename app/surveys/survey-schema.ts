/**
 * The one validation of a survey design: used by the designer form (Conform), the API and,
 * through MAX_QUESTIONS, mirrored by the database check on survey_questions.position (1..10).
 */
import { z } from 'zod'
import { privacyModes, questionTypes, surveyKinds } from '#db/schema/surveys'
import type { Messages } from '~/i18n'
import { DRIVER_KEYS } from '~/responses/drivers'
import { CADENCES, DEFAULT_REMINDER_DAYS, DEFAULT_WINDOW_DAYS, MAX_REMINDERS, MAX_WINDOW_DAYS } from './cadence'

export const MAX_QUESTIONS = 10

const isoDate = /^\d{4}-\d{2}-\d{2}$/
const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v)

/** "2, 4" from a form, or [2, 4] from the API. */
function listOfDays(v: unknown) {
  if (typeof v !== 'string') return v
  return v
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x))
}

/** Lines "2026-03-24 2026-03-31 Label" from a form, or objects from the API. */
function quietLines(v: unknown) {
  if (typeof v !== 'string') return v
  return v
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [from = '', to = '', ...label] = line.split(/\s+/)
      return { from, to, ...(label.length ? { label: label.join(' ') } : {}) }
    })
}

/** Lines "English | Italiano" from a form, or [{ en, it }] from the API. */
function optionLines(v: unknown) {
  if (typeof v !== 'string') return v
  const lines = v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
  if (!lines.length) return undefined
  return lines.map((line) => {
    const [en = '', it = ''] = line.split('|').map((s) => s.trim())
    return { en, it }
  })
}

/** "true"/"false" from a select, a boolean from the API; required unless said otherwise. */
function requiredFlag(v: unknown) {
  if (v === undefined || v === '') return true
  if (v === 'false' || v === false || v === 'optional') return false
  return v === 'true' || v === true || v === 'on' || v === 'required' ? true : v
}

export function questionSchema(t: Messages) {
  const e = t.surveys.errors
  const text = z.object(
    {
    en: z.string({ error: e.emptyText({ language: 'English' }) }).trim().min(1, { error: e.emptyText({ language: 'English' }) }).max(500),
    it: z.string({ error: e.emptyText({ language: 'Italian' }) }).trim().min(1, { error: e.emptyText({ language: 'Italian' }) }).max(500),
    },
    { error: e.emptyText({ language: 'English' }) },
  )
  const optionText = z.object({ en: z.string().trim().min(1, { error: e.optionsNeeded }).max(200), it: z.string().trim().min(1, { error: e.optionsNeeded }).max(200) }, { error: e.optionsNeeded })
  return z
    .object({
      type: z.enum(questionTypes, { error: e.questionType }),
      driver: z.preprocess(emptyToUndefined, z.enum(DRIVER_KEYS, { error: e.unknownDriver({ list: DRIVER_KEYS.join(', ') }) }).optional()),
      required: z.preprocess(requiredFlag, z.boolean()),
      text,
      options: z.preprocess(optionLines, z.array(optionText, { error: e.optionsNeeded }).optional()),
      bankKey: z.preprocess(emptyToUndefined, z.string().max(80).optional()),
    })
    .superRefine((q, ctx) => {
      if (q.type === 'choice' && (q.options?.length ?? 0) < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: e.optionsNeeded })
      if (q.type !== 'choice' && q.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: e.optionsOnlyChoice })
    })
    .transform((q) => ({ ...q, driver: q.driver ?? null, options: q.type === 'choice' ? q.options : undefined }))
}

/** A survey design's fields, before the checks across fields (surveySchema). */
function surveyFields(t: Messages) {
  const e = t.surveys.errors
  return z.object({
    title: z.string({ error: e.titleRequired }).trim().min(1, { error: e.titleRequired }).max(200),
    kind: z.enum(surveyKinds, { error: e.kind }),
    privacy: z.preprocess(emptyToUndefined, z.enum(privacyModes, { error: e.privacy }).default('confidential')),
    cadence: z.preprocess(emptyToUndefined, z.enum(CADENCES, { error: e.cadence }).default('weekly')),
    sendDay: z.preprocess(emptyToUndefined, z.coerce.number({ error: e.sendDayWeekly }).int({ error: e.sendDayWeekly }).default(1)),
    sendTime: z.preprocess(emptyToUndefined, z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: e.sendTime }).default('09:00')),
    startsOn: z.preprocess(emptyToUndefined, z.string().regex(isoDate, { error: e.date }).optional()),
    responseWindowDays: z.preprocess(emptyToUndefined, z.coerce.number({ error: e.window }).int({ error: e.window }).min(1, { error: e.window }).max(90, { error: e.window }).default(DEFAULT_WINDOW_DAYS)),
    reminderDays: z.preprocess(
      (v) => (v === undefined ? DEFAULT_REMINDER_DAYS : listOfDays(v)),
      z.array(z.number({ error: e.reminderDay }).int({ error: e.reminderDay }).min(1, { error: e.reminderDay }), { error: e.reminderDay }).max(MAX_REMINDERS, { error: e.tooManyReminders({ max: MAX_REMINDERS }) }),
    ),
    quietPeriods: z.preprocess(
      (v) => (v === undefined ? [] : quietLines(v)),
      z.array(z.object({ from: z.string().regex(isoDate, { error: e.date }), to: z.string().regex(isoDate, { error: e.date }), label: z.string().max(80).optional() }), { error: e.quietPeriod({ line: 1 }) }),
    ),
    audience: z
      .object({
        type: z.preprocess(emptyToUndefined, z.enum(['everyone', 'teams', 'people']).default('everyone')),
        teamIds: z.preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(z.uuid({ error: e.unknownTeams }))),
        personIds: z.preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(z.uuid({ error: e.unknownPeople }))),
      })
      .default({ type: 'everyone', teamIds: [], personIds: [] }),
    questions: z.preprocess((v) => v ?? [], z.array(questionSchema(t))),
    /** Start the schedule as soon as it is saved (the API's shortcut for the designer's "Start"). */
    activate: z.preprocess((v) => v === true || v === 'true' || v === 'on', z.boolean()).optional(),
  })
}

type SurveyFields = z.output<ReturnType<typeof surveyFields>>

/** The checks across fields: the send day for the cadence, the window, reminders inside it, an audience, 1–10 questions. */
function checkSurvey(t: Messages) {
  const e = t.surveys.errors
  return (s: SurveyFields, ctx: z.RefinementCtx) => {
    const weekly = s.cadence === 'weekly' || s.cadence === 'biweekly'
    if (weekly && (s.sendDay < 1 || s.sendDay > 7)) ctx.addIssue({ code: 'custom', path: ['sendDay'], message: e.sendDayWeekly })
    if (!weekly && (s.sendDay < 1 || s.sendDay > 31)) ctx.addIssue({ code: 'custom', path: ['sendDay'], message: e.sendDayMonthly })
    const max = MAX_WINDOW_DAYS[s.cadence]
    if (s.responseWindowDays > max) {
      ctx.addIssue({ code: 'custom', path: ['responseWindowDays'], message: e.windowTooLong({ days: s.responseWindowDays, cadence: t.surveys.cadences[s.cadence], max }) })
    }
    for (const day of s.reminderDays) {
      if (day >= s.responseWindowDays) ctx.addIssue({ code: 'custom', path: ['reminderDays'], message: e.reminderAfterWindow({ day, window: s.responseWindowDays }) })
    }
    s.quietPeriods.forEach((q, i) => {
      if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['quietPeriods'], message: e.quietPeriod({ line: i + 1 }) })
    })
    if (s.audience.type === 'teams' && !s.audience.teamIds.length) ctx.addIssue({ code: 'custom', path: ['audience', 'teamIds'], message: e.audienceTeams })
    if (s.audience.type === 'people' && !s.audience.personIds.length) ctx.addIssue({ code: 'custom', path: ['audience', 'personIds'], message: e.audiencePeople })
    if (s.questions.length === 0) ctx.addIssue({ code: 'custom', path: ['questions'], message: e.noQuestions })
    if (s.questions.length > MAX_QUESTIONS) ctx.addIssue({ code: 'custom', path: ['questions'], message: e.tooManyQuestions({ max: MAX_QUESTIONS, n: s.questions.length }) })
  }
}

export function surveySchema(t: Messages) {
  return surveyFields(t).superRefine(checkSurvey(t))
}

/** The designer's "Save" form: the same design, posted with the intent that names the form. */
export function designSchema(t: Messages) {
  return surveyFields(t).extend({ intent: z.literal('save') }).superRefine(checkSurvey(t))
}

export type SurveyInput = z.output<ReturnType<typeof surveySchema>>
export type QuestionInput = z.output<ReturnType<typeof questionSchema>>
