/**
 * GET /api/v1/metrics/enps and /metrics/drivers: the organisation or each team per week, month or
 * quarter, from the published buckets (app/responses/published.server.ts). `from` and `to` pick
 * the buckets: every whole period the days touch is answered, and the response says which window
 * that was, so two requests a day apart read the same buckets.
 */
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { type Db, queryRows } from '#db/client'
import type { CoveredWindow } from './buckets'
import { type DriverFigures, type EnpsFigures, driverFigures, enpsFigures } from './figures'
import { type HiddenReason, type PublishedCell, periodCells } from './published.server'
import type { GroupRef } from './results.server'

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

export type SuppressedRow = { period: string; group: GroupRef; suppressed: true; reason: HiddenReason }
export type EnpsRow = ({ period: string; group: GroupRef; rounds: number } & EnpsFigures) | SuppressedRow
export type DriverRow = ({ period: string; group: GroupRef; driver: string; rounds: number } & DriverFigures) | (SuppressedRow & { driver: string })

type Team = { id: string; name: string; parentId: string | null }

/** The requested days: defaults to the last twelve months up to today in the organisation's time zone. */
async function requestedWindow(db: Db, query: MetricsQuery): Promise<{ from: string; to: string; orgName: string; teams: Team[] }> {
  const [row] = await queryRows<{ today: string; yearAgo: string; orgName: string }>(
    db,
    sql`select to_char((now() at time zone s.timezone)::date, 'YYYY-MM-DD') as today,
               to_char(((now() at time zone s.timezone)::date - interval '12 months')::date, 'YYYY-MM-DD') as "yearAgo", s.org_name as "orgName"
        from settings s where s.id = 1`,
  )
  const teams = await queryRows<Team>(db, sql`select id::text as id, name, parent_id::text as "parentId" from teams`)
  const today = row?.today ?? new Date().toISOString().slice(0, 10)
  const to = query.to ?? today
  return { from: query.from ?? (row?.yearAgo && row.yearAgo < to ? row.yearAgo : to), to, orgName: row?.orgName ?? 'Pulseboard', teams }
}

export type MetricsResult<R> = { status: 'ok'; window: CoveredWindow; rows: R[] } | { status: 'unknown_team' }

/** Which groups are listed: groupBy=org → the organisation (or the chosen team); team → every team (or the chosen one and its sub-teams). */
function wanted(query: MetricsQuery, teams: Team[]): string[] | null {
  if (query.team && !teams.some((t) => t.id === query.team)) return null
  if (query.groupBy === 'org') return [query.team ?? 'org']
  if (!query.team) return teams.map((t) => t.id)
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
  return [...ids]
}

async function cellsFor(db: Db, query: MetricsQuery, measures: string[]) {
  const requested = await requestedWindow(db, query)
  const groups = wanted(query, requested.teams)
  if (!groups) return null
  const { window, cells } = await periodCells(db, { unit: query.period, from: requested.from, to: requested.to, measures, groupKeys: groups })
  const names = new Map(requested.teams.map((t) => [t.id, t.name]))
  const ref = (key: string): GroupRef => (key === 'org' ? { type: 'org', id: null, name: requested.orgName } : { type: 'team', id: key, name: names.get(key) ?? key })
  return { window, cells, ref }
}

export async function enpsMetrics(db: Db, query: MetricsQuery): Promise<MetricsResult<EnpsRow>> {
  const found = await cellsFor(db, query, ['enps'])
  if (!found) return { status: 'unknown_team' }
  const row = (c: PublishedCell): EnpsRow =>
    c.shown ? { period: c.bucket, group: found.ref(c.groupKey), rounds: c.rounds, ...enpsFigures(c) } : { period: c.bucket, group: found.ref(c.groupKey), suppressed: true, reason: c.reason }
  return { status: 'ok', window: found.window, rows: found.cells.map(row) }
}

export async function driverMetrics(db: Db, query: MetricsQuery): Promise<MetricsResult<DriverRow>> {
  const found = await cellsFor(db, query, ['driver:'])
  if (!found) return { status: 'unknown_team' }
  const row = (c: PublishedCell): DriverRow => {
    const driver = c.measure.slice('driver:'.length)
    return c.shown
      ? { period: c.bucket, group: found.ref(c.groupKey), driver, rounds: c.rounds, ...driverFigures(c) }
      : { period: c.bucket, group: found.ref(c.groupKey), driver, suppressed: true, reason: c.reason }
  }
  return { status: 'ok', window: found.window, rows: found.cells.map(row) }
}
