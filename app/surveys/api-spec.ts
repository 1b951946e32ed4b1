import { z } from 'zod'
import { defineEndpoint, type Endpoint } from '~/api/openapi'
import { messagesFor } from '~/i18n'
import { surveySchema } from './survey-schema'

const roundCounts = z.object({
  id: z.uuid(),
  dueAt: z.iso.datetime(),
  closesAt: z.iso.datetime(),
  status: z.enum(['open', 'closed']),
  invited: z.int(),
  sent: z.int(),
  failed: z.int(),
  rejected: z.int(),
  /** Null when it may not be shown: a closed round below the anonymity threshold (then respondedFewerThan is the threshold), or an open round with fewer invitees than the threshold. Open rounds count up to the last full hour. */
  responded: z.int().nullable(),
  respondedFewerThan: z.int().nullable(),
})

export const surveyListItem = z.object({
  id: z.uuid(),
  title: z.string(),
  kind: z.enum(['pulse', 'enps']),
  privacy: z.enum(['anonymous', 'confidential', 'identified']),
  status: z.enum(['draft', 'active', 'paused', 'ended']),
  cadence: z.enum(['once', 'weekly', 'biweekly', 'monthly', 'quarterly']),
  nextDueAt: z.iso.datetime().nullable(),
  questionCount: z.int(),
  lastRound: roundCounts.nullable(),
})

/** API errors are in English; the designer shows the same messages in the person's language. */
export const apiSurveyBody = surveySchema(messagesFor('en'))

export const surveyEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'get',
    path: '/api/v1/surveys',
    summary: 'List surveys with their schedule and the delivery counts of their last round (sent, failed, rejected, responded).',
    permission: 'surveys:design',
    response: z.object({ surveys: z.array(surveyListItem) }),
    tags: ['surveys'],
  }),
  defineEndpoint({
    method: 'post',
    path: '/api/v1/surveys',
    summary:
      'Create a survey with the designer’s validation: at most 10 questions, each with text in English and Italian and a known driver; a response window no longer than the cadence (weekly 7, biweekly 14, monthly 28, quarterly 90 days); at most 3 reminders inside the window. Set "activate": true to start its schedule. Invalid input → 400 invalid_request listing every issue; nothing is saved.',
    permission: 'surveys:design',
    body: apiSurveyBody,
    response: z.object({ survey: z.object({ id: z.uuid(), status: z.enum(['draft', 'active']), nextDueAt: z.iso.datetime().nullable() }) }),
    tags: ['surveys'],
  }),
  defineEndpoint({
    method: 'post',
    path: '/api/v1/surveys/{id}/rounds',
    summary: 'Open a round of the survey now ("send a round now"): invitations go to its audience as resolved at this moment.',
    permission: 'surveys:design',
    response: z.object({ roundId: z.uuid() }),
    tags: ['surveys'],
  }),
]
