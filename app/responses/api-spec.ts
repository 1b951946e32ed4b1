import { z } from 'zod'
import { type Endpoint, defineEndpoint } from '~/api/openapi'
import { historyImportSchema } from './history-import.server'
import { metricsQuerySchema } from './metrics-api.server'

const group = z.object({ type: z.enum(['org', 'team']), id: z.string().nullable(), name: z.string() })
const suppressed = z.object({ period: z.string(), group, suppressed: z.literal(true), reason: z.enum(['below_threshold', 'sibling_protection', 'incomplete_bucket']) })
/** The whole periods the request's days covered: figures are published only for whole periods of whole closed rounds. */
const window = z.object({ unit: z.enum(['week', 'month', 'quarter']), from: z.string(), to: z.string(), requested: z.object({ from: z.string(), to: z.string() }) })

export const enpsMetricsEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/metrics/enps',
  summary:
    'eNPS per period for the organisation or each team, from closed rounds only: the latest round of each survey in the period (n respondents, bands, score and 95% interval). from/to select whole periods (the window returned says which); a period with a round-group below the anonymity threshold comes as suppressed with no figures',
  permission: 'results:org',
  query: metricsQuerySchema,
  response: z.object({
    window,
    rows: z.array(
      z.union([
        z.object({ period: z.string(), group, rounds: z.int(), n: z.int(), promoters: z.int(), passives: z.int(), detractors: z.int(), enps: z.number(), ciLow: z.number(), ciHigh: z.number() }),
        suppressed,
      ]),
    ),
  }),
  tags: ['results'],
})

export const driverMetricsEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/metrics/drivers',
  summary:
    'Driver scores per period and group from the closed rounds of the period: responses, answers, mean (1–5) and favourable share (answers 4–5); a period is suppressed unless every round in it passes the threshold for the group',
  permission: 'results:org',
  query: metricsQuerySchema,
  response: z.object({
    window,
    rows: z.array(
      z.union([
        z.object({ period: z.string(), group, driver: z.string(), rounds: z.int(), n: z.int(), answers: z.int(), mean: z.number(), favourableShare: z.number() }),
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
