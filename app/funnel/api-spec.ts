import { type Endpoint, defineEndpoint } from '~/api/openapi'
import { campaignsQuerySchema, campaignsResponseSchema, forecastQuerySchema, forecastResponseSchema, funnelQuerySchema, funnelResponseSchema } from './metrics-schemas'

// Metrics (KPI engine): read-only, computed live.
export const funnelMetricsEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/metrics/funnel',
  summary: 'Funnel KPIs per rep, team (with sub-teams) or organisation, per week/month/quarter; one row per period, group and currency',
  permission: 'funnel:org',
  query: funnelQuerySchema,
  response: funnelResponseSchema,
  tags: ['funnel'],
})

export const forecastMetricsEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/metrics/forecast',
  summary: 'Expected won amount for the current and next month or quarter (stage-weighted and win-rate-weighted) against target',
  permission: 'funnel:org',
  query: forecastQuerySchema,
  response: forecastResponseSchema,
  tags: ['funnel'],
})

export const campaignMetricsEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/metrics/campaigns',
  summary: 'Campaign ROI (won amount ÷ cost), cost per lead and per won deal, leads and conversions per campaign',
  permission: 'marketing:view',
  query: campaignsQuerySchema,
  response: campaignsResponseSchema,
  tags: ['funnel'],
})


export const funnelEndpoints: Endpoint[] = [funnelMetricsEndpoint, forecastMetricsEndpoint, campaignMetricsEndpoint]
