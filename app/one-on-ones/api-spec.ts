import { z } from 'zod'
import { defineEndpoint, type Endpoint } from '~/api/openapi'
import { isCalendarDate } from './forms'

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date as YYYY-MM-DD' })
  .refine(isCalendarDate, { error: 'expected a real calendar date as YYYY-MM-DD' })

export const oneOnOnesQuery = z
  .object({
    from: isoDate.optional().describe('First day (inclusive, organisation time zone) of the scheduled date'),
    to: isoDate.optional().describe('Last day (inclusive) of the scheduled date'),
    team: z.uuid({ error: 'expected a team id (UUID)' }).optional().describe('Only reports in this team or its sub-teams'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], error: 'to must be on or after from' })

const personRef = z.object({ id: z.uuid(), email: z.string(), name: z.string() })

export const oneOnOnesResponse = z.object({
  oneOnOnes: z.array(
    z.object({
      manager: personRef,
      report: personRef,
      scheduledAt: z.string().describe('ISO 8601 instant'),
      held: z.boolean(),
      durationMinutes: z.number().int().describe('The actual duration when held, the planned one otherwise'),
      openActionItems: z.number().int().describe('Action items agreed at this meeting and still open'),
      doneActionItems: z.number().int().describe('Action items agreed at this meeting and done'),
    }),
  ),
})

export const oneOnOneEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'get',
    path: '/api/v1/one-on-ones',
    summary: '1:1 meeting metadata for BI tools: who, when, held, duration and action-item counts — never notes, agendas or check-ins',
    permission: 'one-on-ones:read',
    query: oneOnOnesQuery,
    response: oneOnOnesResponse,
    tags: ['one-on-ones'],
  }),
]
