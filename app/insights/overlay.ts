/**
 * The vocabulary of the performance overlay (docs/architecture.md#the-performance-overlay),
 * shared by the server, the API, the dashboard's URL filters and the route components (so it must
 * stay free of server imports).
 */
import { z } from 'zod'
import { DRIVER_KEYS, type DriverKey } from '~/responses/drivers'

export const KPI_KEYS = [
  'lead_conversion_rate',
  'win_rate',
  'avg_deal_size',
  'sales_cycle_days',
  'pipeline_value',
  'pipeline_velocity',
  'quota_attainment',
  'opportunities_created',
  'won',
] as const
export type KpiKey = (typeof KPI_KEYS)[number]

export const LEVELS = ['rep', 'team', 'period'] as const
export type Level = (typeof LEVELS)[number]

export const OVERLAY_PERIODS = ['month', 'quarter'] as const
export type OverlayPeriod = (typeof OVERLAY_PERIODS)[number]

export const MAX_LAG = 3

/** `enps` or `driver:<key>`. */
export type Sentiment = { kind: 'enps' } | { kind: 'driver'; driver: DriverKey }

export const SENTIMENT_VALUES = ['enps', ...DRIVER_KEYS.map((k) => `driver:${k}` as const)] as const

export function parseSentiment(value: string): Sentiment | null {
  if (value === 'enps') return { kind: 'enps' }
  const match = /^driver:(.+)$/.exec(value)
  if (match && (DRIVER_KEYS as readonly string[]).includes(match[1])) return { kind: 'driver', driver: match[1] as DriverKey }
  return null
}

export function sentimentKey(s: Sentiment): string {
  return s.kind === 'enps' ? 'enps' : `driver:${s.driver}`
}

export const isoDate = (name: string) =>
  z
    .string({ error: `${name} must be a date as YYYY-MM-DD` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${name} must be a date as YYYY-MM-DD` })
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
      error: `${name} must be a real calendar date as YYYY-MM-DD`,
    })

const sentimentSchema = z
  .string({ error: `sentiment must be enps or driver:<key> with key one of ${DRIVER_KEYS.join(', ')}` })
  .refine((v) => parseSentiment(v) !== null, { error: `sentiment must be enps or driver:<key> with key one of ${DRIVER_KEYS.join(', ')}` })
  .transform((v) => parseSentiment(v) as Sentiment)

/** The query of GET /api/v1/insights/correlation; every error names its parameter and what it accepts. */
export const correlationQuerySchema = z
  .object({
    sentiment: sentimentSchema.default({ kind: 'enps' }),
    kpi: z.enum(KPI_KEYS, { error: `kpi must be one of ${KPI_KEYS.join(', ')}` }).default('win_rate'),
    level: z.enum(LEVELS, { error: 'level must be rep, team or period' }).default('rep'),
    period: z.enum(OVERLAY_PERIODS, { error: 'period must be month or quarter' }).default('quarter'),
    lag: z
      .string({ error: 'lag must be a whole number of periods from 0 to 3' })
      .regex(/^[0-3]$/, { error: 'lag must be a whole number of periods from 0 to 3' })
      .transform(Number)
      .default(0),
    from: isoDate('from'),
    to: isoDate('to'),
    team: z.uuid({ error: 'team must be a team id (a UUID, as listed by GET /api/v1/teams)' }).optional(),
    leadSource: z.string().trim().min(1).max(200).optional(),
    industry: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((q) => q.from <= q.to, { path: ['from'], error: 'from must be on or before to' })
  .refine((q) => monthsBetween(q.from, q.to) <= 60, { path: ['to'], error: 'the window from..to may span at most 5 years' })

export type CorrelationQueryInput = z.input<typeof correlationQuerySchema>

export type CorrelationRequest = {
  sentiment: Sentiment
  kpi: KpiKey
  level: Level
  period: OverlayPeriod
  lag: number
  from: string
  to: string
  teamId?: string
  leadSource?: string
  industry?: string
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number)
  const [ty, tm] = to.split('-').map(Number)
  return (ty - fy) * 12 + (tm - fm)
}

function lastDayOfMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate()
}

/**
 * A date moved by whole months. The last day of a month stays the last day (31 Mar + 3 months =
 * 30 Jun), so a window of whole periods shifts to a window of whole periods; other days are
 * clamped to the target month's length.
 */
export function shiftMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number)
  const target = new Date(Date.UTC(y, m - 1 + months, 1))
  const ty = target.getUTCFullYear()
  const tm = target.getUTCMonth()
  const wasLast = d === lastDayOfMonth(y, m - 1)
  const day = wasLast ? lastDayOfMonth(ty, tm) : Math.min(d, lastDayOfMonth(ty, tm))
  return `${ty}-${String(tm + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

export const monthsPerPeriod: Record<OverlayPeriod, number> = { month: 1, quarter: 3 }

/** The KPI window: the sentiment window moved `lag` periods later (docs/architecture.md#the-performance-overlay). */
export function kpiWindow(q: Pick<CorrelationRequest, 'from' | 'to' | 'lag' | 'period'>): { from: string; to: string } {
  const months = q.lag * monthsPerPeriod[q.period]
  return { from: shiftMonths(q.from, months), to: shiftMonths(q.to, months) }
}

/** The first day of the period holding `date`. */
export function periodStart(date: string, period: OverlayPeriod): string {
  const [y, m] = date.split('-').map(Number)
  const month = period === 'month' ? m : Math.floor((m - 1) / 3) * 3 + 1
  return `${y}-${String(month).padStart(2, '0')}-01`
}


/** The dashboard's URL filters (GET form): everything optional, bad values fall back to defaults. */
export const dashboardFilterSchema = z.object({
  from: isoDate('from').optional().catch(undefined),
  to: isoDate('to').optional().catch(undefined),
  period: z.enum(OVERLAY_PERIODS).optional().catch(undefined),
  lag: z.enum(['0', '1', '2', '3']).transform(Number).optional().catch(undefined),
  team: z.uuid().optional().catch(undefined),
  leadSource: z.string().trim().min(1).max(200).optional().catch(undefined),
  industry: z.string().trim().min(1).max(200).optional().catch(undefined),
  sentiment: z
    .string()
    .refine((v) => parseSentiment(v) !== null)
    .optional()
    .catch(undefined),
  kpi: z.enum(KPI_KEYS).optional().catch(undefined),
})

export type DashboardFilters = {
  from: string
  to: string
  period: OverlayPeriod
  lag: number
  teamId?: string
  leadSource?: string
  industry?: string
  sentiment: Sentiment
  kpi: KpiKey
}

/**
 * Defaults chosen for the question the overlay answers (does mood now go with results later?):
 * quarters, a one-quarter lag, and the last twelve months ending today.
 */
export const DEFAULT_PERIOD: OverlayPeriod = 'quarter'
export const DEFAULT_LAG = 1
export const DEFAULT_KPI: KpiKey = 'win_rate'

export function resolveDashboardFilters(params: URLSearchParams, today: string): DashboardFilters {
  const raw = dashboardFilterSchema.parse(Object.fromEntries(params))
  const to = raw.to ?? today
  const period = raw.period ?? DEFAULT_PERIOD
  // The last twelve months, widened to the start of a whole period so the first point is not a stub.
  const from = raw.from ?? periodStart(shiftMonths(to, -12), period)
  const ordered = from <= to ? { from, to } : { from: to, to: from }
  return {
    ...ordered,
    period,
    lag: raw.lag ?? DEFAULT_LAG,
    teamId: raw.team,
    leadSource: raw.leadSource,
    industry: raw.industry,
    sentiment: (raw.sentiment && parseSentiment(raw.sentiment)) || { kind: 'enps' },
    kpi: raw.kpi ?? DEFAULT_KPI,
  }
}

/** The filters back as URL parameters (for links to the CSV export and the print view). */
export function filtersToParams(f: DashboardFilters): URLSearchParams {
  const p = new URLSearchParams({ from: f.from, to: f.to, period: f.period, lag: String(f.lag), sentiment: sentimentKey(f.sentiment), kpi: f.kpi })
  if (f.teamId) p.set('team', f.teamId)
  if (f.leadSource) p.set('leadSource', f.leadSource)
  if (f.industry) p.set('industry', f.industry)
  return p
}
