import { type Endpoint, defineEndpoint } from '~/api/openapi'
import { ingestResultSchema, leadsBodySchema, MAX_BATCH_ITEMS, opportunitiesBodySchema } from './ingest.server'
import { campaignsQuerySchema, campaignsResponseSchema, forecastQuerySchema, forecastResponseSchema, funnelQuerySchema, funnelResponseSchema } from './metrics-schemas'

// Metrics (KPI engine): read-only, computed live.
export const funnelMetricsEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/metrics/funnel',
  summary:
    'Funnel KPIs per rep, team (with sub-teams) or organisation, per week/month/quarter; one row per period, group and currency. A key with funnel:top (marketing) gets the top of the funnel only: groupBy=org, no team filter, rows with the lead figures (403 otherwise)',
  permission: ['funnel:org', 'funnel:top'],
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


// CRM ingest: bulk upserts, all or nothing.
export const opportunitiesIngestEndpoint = defineEndpoint({
  method: 'post',
  path: '/api/v1/crm/opportunities',
  summary: `Upsert up to ${MAX_BATCH_ITEMS.toLocaleString('en')} opportunities by (source, externalId). Every item is validated first; one bad item → 400 invalid_batch and nothing written; more items → 413. A stage change is recorded in the stage history. Owners are matched by email or CRM key; keys nobody matches are kept and returned in unmappedOwners for an admin to map.`,
  permission: 'crm:import',
  body: opportunitiesBodySchema,
  response: ingestResultSchema,
  tags: ['CRM'],
})

export const leadsIngestEndpoint = defineEndpoint({
  method: 'post',
  path: '/api/v1/crm/leads',
  summary: `Upsert up to ${MAX_BATCH_ITEMS.toLocaleString('en')} leads by (source, externalId). Every item is validated first; one bad item → 400 invalid_batch and nothing written; more items → 413.`,
  permission: 'crm:import',
  body: leadsBodySchema,
  response: ingestResultSchema,
  tags: ['CRM'],
})

export const funnelEndpoints: Endpoint[] = [opportunitiesIngestEndpoint, leadsIngestEndpoint, funnelMetricsEndpoint, forecastMetricsEndpoint, campaignMetricsEndpoint]
