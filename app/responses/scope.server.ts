import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import type { Role } from '#db/schema/people'
import { roleCan } from '~/auth/permissions'

/**
 * Whose results a viewer may read (DESIGN.md §3 and §5):
 * - `org`: hr, leader and admin (the `results:org` permission) see the whole organisation;
 * - `teams`: a manager sees every team they manage with all its sub-teams, plus their direct
 *   reports wherever those sit (`reportIds`, used where individual rows are allowed, i.e. the
 *   identified mode);
 * - `none`: everyone else (employees, marketing) sees no results at all.
 */
export type ViewerScope = { kind: 'org' } | { kind: 'teams'; teamIds: string[]; reportIds: string[] } | { kind: 'none' }

export async function viewerScope(db: Db, viewer: { id: string; role: Role }): Promise<ViewerScope> {
  if (roleCan(viewer.role, 'results:org')) return { kind: 'org' }
  // UNION (not UNION ALL) stops at the first repeated row, so even a cyclic team tree terminates.
  const rows = await queryRows<{ kind: 'team' | 'report'; id: string }>(
    db,
    sql`with recursive managed(id) as (
          select id from teams where manager_id = ${viewer.id}
          union
          select t.id from teams t join managed m on t.parent_id = m.id
        )
        select 'team' as kind, id::text as id from managed
        union all
        select 'report' as kind, id::text as id from people where manager_id = ${viewer.id} and active`,
  )
  const teamIds = rows.filter((r) => r.kind === 'team').map((r) => r.id)
  const reportIds = rows.filter((r) => r.kind === 'report').map((r) => r.id)
  if (teamIds.length === 0 && reportIds.length === 0) return { kind: 'none' }
  return { kind: 'teams', teamIds, reportIds }
}

/** Whether a scope covers a group: the organisation only for `org`, a team when it is in scope. */
export function scopeCovers(scope: ViewerScope, groupId: 'org' | string): boolean {
  if (scope.kind === 'org') return true
  if (scope.kind === 'none') return false
  return groupId !== 'org' && scope.teamIds.includes(groupId)
}
