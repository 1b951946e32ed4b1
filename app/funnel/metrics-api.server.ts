/**
 * GET /api/v1/metrics/funnel, /metrics/forecast and /metrics/campaigns: query schemas (also used
 * for the OpenAPI document) and the calls into the KPI engine, with the window defaulted in the
 * organisation's time zone. The dashboard loaders parse their URL with the same schemas.
 */
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { type PeriodUnit, defaultWindow } from './kpi'
import type { CampaignsQuery, ForecastQuery, FunnelQuery } from './metrics-schemas'
import { campaignMetrics } from './campaigns.server'
import { forecast } from './forecast.server'
import { funnelMetrics, leadFunnel } from './kpi.server'
import { type FunnelScope, TOP_OF_FUNNEL_ONLY, funnelView } from './scope.server'

export async function teamExists(db: Db, id: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(db, sql`select id from teams where id = ${id}`)
  return rows.length > 0
}

/** Today in the organisation's time zone. */
export async function orgToday(db: Db): Promise<string> {
  const [row] = await queryRows<{ today: string }>(db, sql`select to_char((now() at time zone coalesce((select timezone from settings where id = 1), 'Europe/Rome'))::date, 'YYYY-MM-DD') as today`)
  return row.today
}

/** The inclusive window: by default the current period and the eleven before it, ending today. */
export async function resolveWindow(db: Db, period: PeriodUnit, from?: string, to?: string): Promise<{ from: string; to: string }> {
  const end = to ?? (await orgToday(db))
  return { from: from ?? defaultWindow(period, end).from, to: end }
}

/** `forbidden`: the top-of-funnel view asked for more (per rep or team, a team filter, the forecast). */
export type ApiResult<T> = { status: 'ok'; value: T } | { status: 'unknown_team' } | { status: 'forbidden'; message: string }

const topOnly = { status: 'forbidden', message: TOP_OF_FUNNEL_ONLY } as const

/**
 * Funnel rows per rep, team or organisation. The top-of-funnel view gets the organisation's lead
 * rows only (groupBy=org, no team filter; optionally by lead source or industry).
 */
export async function funnelMetricsApi(db: Db, scope: FunnelScope, q: FunnelQuery): Promise<ApiResult<Awaited<ReturnType<typeof funnelMetrics>> | Awaited<ReturnType<typeof leadFunnel>>>> {
  const top = funnelView(scope) === 'top'
  if (top && (q.groupBy !== 'org' || q.team)) return topOnly
  if (q.team && !(await teamExists(db, q.team))) return { status: 'unknown_team' }
  const window = await resolveWindow(db, q.period, q.from, q.to)
  if (top) return { status: 'ok', value: await leadFunnel(db, { scope, period: q.period, ...window, leadSource: q.leadSource, industry: q.industry }) }
  const rows = await funnelMetrics(db, { scope, groupBy: q.groupBy, period: q.period, ...window, teamId: q.team, leadSource: q.leadSource, industry: q.industry })
  return { status: 'ok', value: rows }
}

export async function forecastApi(db: Db, scope: FunnelScope, q: ForecastQuery): Promise<ApiResult<Awaited<ReturnType<typeof forecast>>>> {
  if (funnelView(scope) === 'top') return topOnly
  if (q.team && !(await teamExists(db, q.team))) return { status: 'unknown_team' }
  return { status: 'ok', value: await forecast(db, { scope, groupBy: q.groupBy, period: q.period, teamId: q.team }) }
}

export async function campaignsApi(db: Db, scope: FunnelScope, q: CampaignsQuery): Promise<ApiResult<Awaited<ReturnType<typeof campaignMetrics>>>> {
  if (q.team && funnelView(scope) === 'top') return topOnly
  if (q.team && !(await teamExists(db, q.team))) return { status: 'unknown_team' }
  return { status: 'ok', value: await campaignMetrics(db, { scope, from: q.from, to: q.to, teamId: q.team, leadSource: q.leadSource, industry: q.industry }) }
}
