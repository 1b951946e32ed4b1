import { z } from 'zod'
import { type Endpoint, defineEndpoint } from '~/api/openapi'
import { ACTION_MEASURES, actionStatuses, actionsQuerySchema } from './action-schema'
import { KPI_KEYS } from './overlay'

const sentimentCell = z.union([
  z.object({ suppressed: z.literal(true) }).describe('Fewer respondents than the anonymity threshold (or protecting a smaller sibling team): no figure.'),
  z.object({ suppressed: z.literal(false), value: z.number(), low: z.number().nullable(), high: z.number().nullable(), n: z.int(), favourableShare: z.number().nullable() }),
])

const impactSchema = z.object({
  unit: z.enum(['month', 'quarter']),
  periods: z.int(),
  from: z.string(),
  to: z.string(),
  measure: z.enum(ACTION_MEASURES).nullable(),
  kpi: z.enum(KPI_KEYS).nullable(),
  kpiInterval: z.enum(['wilson', 'none']),
  currency: z.string(),
  rows: z.array(
    z.object({
      period: z.string(),
      phase: z.enum(['before', 'during', 'after']),
      partial: z.boolean(),
      sentiment: sentimentCell.nullable(),
      kpi: z.object({ value: z.number().nullable(), low: z.number().nullable(), high: z.number().nullable() }).nullable(),
    }),
  ),
})

export const actionSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  status: z.enum(actionStatuses),
  source: z.enum(['driver', 'enps', 'signal', 'manual']),
  team: z.object({ id: z.uuid(), name: z.string() }).nullable().describe('null: the whole organisation'),
  owner: z.object({ id: z.uuid(), name: z.string(), email: z.string() }).nullable(),
  driver: z.string().nullable().describe('a driver key or enps'),
  kpi: z.string().nullable(),
  dueOn: z.string().nullable(),
  overdue: z.boolean(),
  outcome: z.string(),
  sourceSurveyId: z.uuid().nullable(),
  sourceRoundId: z.uuid().nullable(),
  signalId: z.uuid().nullable(),
  startedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  impact: impactSchema.optional().describe('With impact=true: the driver score or eNPS and the KPI per period before and after the action (before/after is not proof of cause).'),
})

export const actionsEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/actions',
  summary:
    'Action plans: title, owner, team, due date, status, the driver or eNPS and the KPI they aim to move, and what was done. With impact=true each action carries its impact view; sentiment periods below the anonymity threshold carry no figure.',
  permission: 'actions:read-org',
  query: actionsQuerySchema,
  response: z.object({ actions: z.array(actionSchema) }),
  tags: ['actions'],
})

export const actionEndpoints: Endpoint[] = [actionsEndpoint]
