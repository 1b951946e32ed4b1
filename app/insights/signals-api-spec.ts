import { z } from 'zod'
import { type Endpoint, defineEndpoint } from '~/api/openapi'
import { SIGNAL_KINDS, SIGNAL_KPIS, SIGNAL_STATUSES, signalsQuerySchema } from './signals'

const details = z.union([
  z
    .object({
      enpsPeriodBefore: z.string(),
      enpsBefore: z.number(),
      enpsAfter: z.number(),
      enpsDrop: z.number().describe('Points'),
      kpi: z.enum(SIGNAL_KPIS),
      lag: z.union([z.literal(0), z.literal(1)]).describe('0: the KPI fell in the same period; 1: in the next one'),
      kpiPeriodBefore: z.string(),
      kpiPeriod: z.string(),
      kpiBefore: z.number(),
      kpiAfter: z.number(),
      kpiDropPct: z.number().describe('Relative fall in percent'),
      currency: z.string().describe('Currency of avg_deal_size'),
    })
    .describe('kind = sentiment_and_kpi'),
  z
    .object({
      surveyId: z.string(),
      surveyTitle: z.string(),
      roundBefore: z.string(),
      roundAfter: z.string(),
      opensBefore: z.string(),
      opensAfter: z.string(),
      rateBefore: z.number(),
      rateAfter: z.number(),
      drop: z.number().describe('Percentage points'),
    })
    .describe('kind = response_rate'),
  z.object({ overdue: z.int(), reports: z.int() }).describe('kind = overdue_one_on_ones'),
])

export const signalsResponse = z.object({
  signals: z.array(
    z.object({
      id: z.uuid(),
      team: z.object({ id: z.uuid(), name: z.string() }),
      kind: z.enum(SIGNAL_KINDS),
      periodUnit: z.enum(['week', 'month', 'quarter']),
      period: z.string().describe('First day of the later period compared (organisation time zone)'),
      status: z.enum(SIGNAL_STATUSES),
      details,
      dismissedReason: z.string().nullable(),
      dismissedAt: z.string().nullable(),
      dismissedBy: z.string().nullable().describe('Name of who dismissed it'),
      createdAt: z.string(),
    }),
  ),
})

export const signalEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'get',
    path: '/api/v1/signals',
    summary:
      'Early-warning signals: a team whose eNPS fell with a funnel KPI (same or next period), whose response rate collapsed between two rounds, or whose overdue 1:1s built up. Raised only from figures above the anonymity threshold. Open ones by default.',
    permission: 'signals:org',
    query: signalsQuerySchema,
    response: signalsResponse,
    tags: ['insights'],
  }),
]
