import { z } from 'zod'
import { type Endpoint, defineEndpoint } from '~/api/openapi'
import { historyImportSchema } from './history-import.server'
import { metricsQuerySchema } from './metrics-api.server'

const group = z.object({ type: z.enum(['org', 'team']), id: z.string().nullable(), name: z.string() })
const suppressed = z.object({ period: z.string(), group, suppressed: z.literal(true), reason: z.enum(['below_threshold', 'sibling_protection']) })

export const enpsMetricsEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/metrics/enps',
  summary: 'eNPS per period for the organisation or each team: n distinct respondents (latest answer each), bands, score and 95% interval; groups below the anonymity threshold come as suppressed with no figures',
  permission: 'results:org',
  query: metricsQuerySchema,
  response: z.object({
    rows: z.array(
      z.union([
        z.object({ period: z.string(), group, n: z.int(), promoters: z.int(), passives: z.int(), detractors: z.int(), enps: z.number(), ciLow: z.number(), ciHigh: z.number() }),
        suppressed,
      ]),
    ),
  }),
  tags: ['results'],
})

export const driverMetricsEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/metrics/drivers',
  summary: 'Driver scores per period and group: respondents, answers, mean (1–5) and favourable share (answers 4–5); suppressed below the threshold',
  permission: 'results:org',
  query: metricsQuerySchema,
  response: z.object({
    rows: z.array(
      z.union([
        z.object({ period: z.string(), group, driver: z.string(), n: z.int(), answers: z.int(), mean: z.number(), favourableShare: z.number() }),
        suppressed.extend({ driver: z.string() }),
      ]),
    ),
  }),
  tags: ['results'],
})

export const importResponsesEndpoint = defineEndpoint({
  method: 'post',
  path: '/api/v1/responses/import',
  summary: 'Import survey history from another tool as an imported survey (one round per calendar month); all or nothing',
  permission: 'surveys:design',
  body: historyImportSchema,
  response: z.object({ surveyId: z.string(), rounds: z.int(), responses: z.int(), answers: z.int() }),
  tags: ['results'],
})

export const responseEndpoints: Endpoint[] = [enpsMetricsEndpoint, driverMetricsEndpoint, importResponsesEndpoint]
