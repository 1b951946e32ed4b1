/**
 * GET /api/v1/metrics/enps and /metrics/drivers: the organisation or each team per week, month or
 * quarter, through the same aggregates and applyThresholds as the results screens.
 */
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { type Db, queryRows } from '#db/client'
import { type Groups, type PeriodUnit, driverAggregates, enpsAggregates } from './metrics.server'
import { type GroupRef, applyThresholds, groupRef, loadHierarchy } from './results-privacy.server'
import { type DriverFigures, type EnpsFigures, driverFigures, enpsFigures } from './results.server'

const isoDate = (name: string) =>
  z
    .string({ error: `${name} must be a date as YYYY-MM-DD` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${name} must be a date as YYYY-MM-DD` })
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
      error: `${name} must be a real calendar date as YYYY-MM-DD`,
    })

export const metricsQuerySchema = z
  .object({
    groupBy: z.enum(['org', 'team'], { error: 'groupBy must be org or team' }).default('org'),
    period: z.enum(['week', 'month', 'quarter'], { error: 'period must be week, month or quarter' }).default('month'),
    from: isoDate('from').optional(),
    to: isoDate('to').optional(),
    team: z.uuid({ error: 'team must be a team id (a UUID, as listed by GET /api/v1/teams)' }).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], error: 'from must be on or before to' })

export type MetricsQuery = z.output<typeof metricsQuerySchema>

export type SuppressedRow = { period: string; group: GroupRef; suppressed: true; reason: 'below_threshold' | 'sibling_protection' }
export type EnpsRow = ({ period: string; group: GroupRef } & EnpsFigures) | SuppressedRow
export type DriverRow = ({ period: string; group: GroupRef; driver: string } & DriverFigures) | (SuppressedRow & { driver: string })

type Window = { from: string; to: string }

/** The inclusive window: defaults to the last twelve months up to today in the organisation's time zone. */
async function resolveWindow(db: Db, query: MetricsQuery): Promise<Window> {
  const [row] = await queryRows<{ today: string; yearAgo: string }>(
    db,
    sql`select to_char((now() at time zone s.timezone)::date, 'YYYY-MM-DD') as today,
               to_char(((now() at time zone s.timezone)::date - interval '12 months')::date, 'YYYY-MM-DD') as "yearAgo"
        from settings s where s.id = 1`,
  )
  const today = row?.today ?? new Date().toISOString().slice(0, 10)
  const to = query.to ?? today
  return { from: query.from ?? (row?.yearAgo && row.yearAgo < to ? row.yearAgo : to), to }
}

export type MetricsResult<R> = { status: 'ok'; rows: R[] } | { status: 'unknown_team' }

/** Which groups are listed: groupBy=org → the organisation (or the chosen team); team → every team (or the chosen one and its sub-teams). */
function wanted(query: MetricsQuery, teams: { id: string; parentId: string | null }[]): Set<string> | null {
  if (query.team && !teams.some((t) => t.id === query.team)) return null
  if (query.groupBy === 'org') return new Set([query.team ?? 'org'])
  if (!query.team) return new Set(teams.map((t) => t.id))
  const ids = new Set([query.team])
  let grew = true
  while (grew) {
    grew = false
    for (const t of teams) {
      if (t.parentId && ids.has(t.parentId) && !ids.has(t.id)) {
        ids.add(t.id)
        grew = true
      }
    }
  }
  return ids
}

/** The organisation alone needs no team figures (it has no siblings to protect); any team needs its siblings'. */
const groupsFor = (query: MetricsQuery): Groups => (query.groupBy === 'org' && !query.team ? 'org' : 'all')

export async function enpsMetrics(db: Db, query: MetricsQuery): Promise<MetricsResult<EnpsRow>> {
  const hierarchy = await loadHierarchy(db)
  const groups = wanted(query, hierarchy.teams)
  if (!groups) return { status: 'unknown_team' }
  const window = await resolveWindow(db, query)
  const rows = await enpsAggregates(db, window, { by: 'period', unit: query.period as PeriodUnit }, groupsFor(query))
  const visible = applyThresholds(rows, hierarchy, { threshold: (r) => r.threshold })
  return {
    status: 'ok',
    rows: visible
      .filter((r) => groups.has(r.groupId))
      .map((r) =>
        r.suppressed
          ? { period: r.bucket, group: groupRef(hierarchy, r.groupId), suppressed: true, reason: r.reason }
          : { period: r.bucket, group: groupRef(hierarchy, r.groupId), ...enpsFigures(r) },
      ),
  }
}

export async function driverMetrics(db: Db, query: MetricsQuery): Promise<MetricsResult<DriverRow>> {
  const hierarchy = await loadHierarchy(db)
  const groups = wanted(query, hierarchy.teams)
  if (!groups) return { status: 'unknown_team' }
  const window = await resolveWindow(db, query)
  const rows = await driverAggregates(db, window, { by: 'period', unit: query.period as PeriodUnit }, groupsFor(query))
  const visible = applyThresholds(rows, hierarchy, { key: (r) => r.driver, threshold: (r) => r.threshold })
  return {
    status: 'ok',
    rows: visible
      .filter((r) => groups.has(r.groupId))
      .map((r) =>
        r.suppressed
          ? { period: r.bucket, group: groupRef(hierarchy, r.groupId), driver: r.key, suppressed: true, reason: r.reason }
          : { period: r.bucket, group: groupRef(hierarchy, r.groupId), driver: r.driver, ...driverFigures(r) },
      ),
  }
}
