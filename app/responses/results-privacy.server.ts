/**
 * The single decision point of what results may be shown (DESIGN.md §5). Screens, the CSV export
 * and the API pass their SQL aggregates through `applyThresholds`; a group that fails comes back
 * as `{ suppressed: true, reason }` with its figures dropped here, on the server, so they never
 * reach loader data, HTML, CSV or JSON.
 *
 * Suppression is decided over the whole hierarchy (the organisation and every team) of a bucket,
 * whatever the caller will display, so that the same data always hides the same groups — a
 * filtered view cannot be combined with an unfiltered one to subtract a hidden team.
 */
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { type GroupInput, type SuppressionReason, suppressGroups } from './anonymity'

export type TeamNode = { id: string; name: string; parentId: string | null }
export type Hierarchy = { orgName: string; teams: TeamNode[] }
export type GroupRef = { type: 'org'; id: null; name: string } | { type: 'team'; id: string; name: string }

export async function loadHierarchy(db: Db): Promise<Hierarchy> {
  const rows = await queryRows<TeamNode & { orgName: string | null }>(
    db,
    sql`select t.id::text as id, t.name, t.parent_id::text as "parentId", null as "orgName" from teams t
        union all select null, null, null, org_name from settings where id = 1`,
  )
  return {
    orgName: rows.find((r) => r.orgName !== null)?.orgName ?? 'Pulseboard',
    teams: rows.filter((r) => r.id !== null).map(({ id, name, parentId }) => ({ id, name, parentId })),
  }
}

export function groupRef(hierarchy: Hierarchy, groupId: string): GroupRef {
  if (groupId === 'org') return { type: 'org', id: null, name: hierarchy.orgName }
  const team = hierarchy.teams.find((t) => t.id === groupId)
  return { type: 'team', id: groupId, name: team?.name ?? groupId }
}

export type Suppressed = { bucket: string; key: string; groupId: string; suppressed: true; reason: SuppressionReason }
export type Shown<T> = T & { suppressed: false }
export type Visible<T> = Shown<T> | Suppressed

type Aggregate = { bucket: string; groupId: string; n: number }

/**
 * Decides each aggregate's visibility. Rows are compared within their (bucket, key) — `key`
 * separates independent measures (a driver, a question, comments) — against the highest threshold
 * frozen into any round contributing to that bucket (the strictest applies when rounds differ).
 * Groups absent from the rows count as n = 0.
 */
export function applyThresholds<T extends Aggregate>(
  rows: readonly T[],
  hierarchy: Hierarchy,
  options: { key?: (row: T) => string; threshold: (row: T) => number },
): Visible<T & { key: string }>[] {
  const keyOf = options.key ?? (() => '')
  const sets = new Map<string, T[]>()
  for (const row of rows) {
    const setKey = `${row.bucket}\u0000${keyOf(row)}`
    const set = sets.get(setKey) ?? []
    set.push(row)
    sets.set(setKey, set)
  }
  const decided = new Map<T, { shown: true } | { shown: false; reason: SuppressionReason }>()
  for (const set of sets.values()) {
    const threshold = Math.max(...set.map(options.threshold))
    const byGroup = new Map(set.map((row) => [row.groupId, row]))
    const groups: GroupInput<string>[] = [
      { id: 'org', parentId: null, n: byGroup.get('org')?.n ?? 0 },
      ...hierarchy.teams.map((t) => ({ id: t.id, parentId: t.parentId ?? 'org', n: byGroup.get(t.id)?.n ?? 0 })),
    ]
    for (const visibility of suppressGroups(groups, threshold)) {
      const row = byGroup.get(visibility.id)
      if (row) decided.set(row, visibility.shown ? { shown: true } : { shown: false, reason: visibility.reason })
    }
  }
  return rows.map((row) => {
    const key = keyOf(row)
    const visibility = decided.get(row)
    if (!visibility || !visibility.shown) {
      return { bucket: row.bucket, key, groupId: row.groupId, suppressed: true, reason: visibility && !visibility.shown ? visibility.reason : 'below_threshold' }
    }
    return { ...row, key, suppressed: false }
  })
}
