import { z } from 'zod'
import { type Endpoint, defineEndpoint } from '~/api/openapi'
import { correlationQuerySchema } from './overlay'

const stats = {
  n: z.int(),
  threshold: z.int(),
  excluded: z.object({ total: z.int(), missingSentiment: z.int(), missingKpi: z.int(), nonFinite: z.int(), belowThreshold: z.int() }),
  pearson: z.object({ r: z.number().nullable(), t: z.number().nullable(), p: z.number().nullable(), ciLow: z.number().nullable(), ciHigh: z.number().nullable() }),
  spearman: z.object({ rho: z.number().nullable(), p: z.number().nullable() }),
}

export const correlationEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/insights/correlation',
  summary:
    'Sentiment (eNPS or a driver) against a funnel KPI per rep, team or period, with Pearson r (t, p, Fisher 95% CI), Spearman ρ and n. The KPI window is from..to moved lag periods later. Individual rep points only for identified surveys; otherwise bands of at least the anonymity threshold; below the threshold the result is suppressed.',
  permission: 'results:org',
  query: correlationQuerySchema,
  response: z.union([
    z.object({ suppressed: z.literal(true), reason: z.enum(['below_threshold', 'no_data']) }),
    z.object({
      ...stats,
      points: z
        .array(z.object({ id: z.string().optional(), label: z.string().optional(), period: z.string().optional(), kpiPeriod: z.string().optional(), x: z.number(), y: z.number(), n: z.int().optional() }))
        .optional(),
      bands: z.array(z.object({ x: z.number(), y: z.number(), n: z.int() })).optional(),
    }),
  ]),
  tags: ['insights'],
})

export const insightsEndpoints: Endpoint[] = [correlationEndpoint]
