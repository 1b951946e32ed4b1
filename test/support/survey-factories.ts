import type { Db } from '#db/client'
import { messagesFor } from '~/i18n'
import { createSurvey } from '~/surveys/surveys.server'
import { type SurveyInput, surveySchema } from '~/surveys/survey-schema'

/**
 * A survey through the designer's own validation (so tests and the demo build only valid surveys).
 * Defaults: a weekly confidential pulse of two questions, everyone, drafted (not scheduled).
 */
export async function createTestSurvey(db: Db, values: Partial<Record<keyof SurveyInput, unknown>> = {}, createdById: string | null = null) {
  const input = surveySchema(messagesFor('en')).parse({
    title: 'Weekly pulse',
    kind: 'pulse',
    privacy: 'confidential',
    cadence: 'weekly',
    questions: [
      { type: 'agreement', driver: 'workload', required: true, text: { en: 'My workload is manageable.', it: 'Il mio carico di lavoro è gestibile.' } },
      { type: 'text', required: false, text: { en: 'What one change would help you most?', it: 'Quale cambiamento ti aiuterebbe di più?' } },
    ],
    ...values,
  })
  return createSurvey(db, createdById, input)
}

/** The token of a survey link in an email's text. */
export function surveyTokenFrom(text: string): string {
  const match = /\/s\/([A-Za-z0-9_-]+)/.exec(text)
  if (!match) throw new Error(`No survey link in: ${text.slice(0, 200)}`)
  return match[1]
}
