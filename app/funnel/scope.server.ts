import { type SQL, sql } from 'drizzle-orm'
import type { Viewer } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'

/**
 * Who a funnel reader may see. hr, leader, marketing and admin (funnel:org) see everyone;
 * a manager sees the teams they manage with every sub-team plus their direct reports wherever
 * those sit (docs/architecture.md#roles-and-scope); anyone else sees nobody. Written as SQL so
 * every query applies it inside the database rather than filtering rows afterwards.
 */
export type FunnelScope = { viewer: Pick<Viewer, 'id' | 'role'> } | { all: true }

export function seesEveryone(scope: FunnelScope): boolean {
  return 'all' in scope || roleCan(scope.viewer.role, 'funnel:org')
}

/** A subquery of the team ids the scope covers (managed teams and their sub-teams). */
export function scopedTeamIds(scope: FunnelScope): SQL {
  if (seesEveryone(scope)) return sql`(select id from teams)`
  const viewerId = 'viewer' in scope ? scope.viewer.id : null
  return sql`(with recursive managed(id) as (
      select id from teams where manager_id = ${viewerId}
      union
      select t.id from teams t join managed m on t.parent_id = m.id
    ) select id from managed)`
}

/** A subquery of the person ids the scope covers. */
export function scopedPersonIds(scope: FunnelScope): SQL {
  if (seesEveryone(scope)) return sql`(select id from people)`
  const viewerId = 'viewer' in scope ? scope.viewer.id : null
  return sql`(select p.id from people p where p.team_id in ${scopedTeamIds(scope)} or p.manager_id = ${viewerId})`
}
