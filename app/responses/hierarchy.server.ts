/**
 * Today's team tree and the organisation's name, for the screens that list teams (filters, the
 * home dashboard). What may be shown of each group is decided when a round closes
 * (app/responses/freeze.server.ts) and read through app/responses/published.server.ts.
 */
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'

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
