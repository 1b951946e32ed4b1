import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import type { Role } from '#db/schema/people'

export type OrgTeam = {
  id: string
  parentId: string | null
  name: string
  depth: number
  managerId: string | null
  managerName: string | null
  members: { id: string; name: string; role: Role }[]
}

export type OrgPerson = { id: string; managerId: string | null; name: string; role: Role; teamName: string | null; depth: number; reports: number }

/**
 * The org chart: the team tree (each team with its manager and active members) and the reporting
 * tree of active people, both walked with recursive SQL and returned in display (depth-first) order.
 */
export async function orgChart(db: Db): Promise<{ teams: OrgTeam[]; people: OrgPerson[] }> {
  const [teams, people] = await Promise.all([
    queryRows<OrgTeam>(
      db,
      sql`
        with recursive tree as (
          select t.id, t.parent_id, t.name, 0 as depth, array[lower(t.name) || t.id::text] as sort
          from teams t where t.parent_id is null
          union all
          select c.id, c.parent_id, c.name, tree.depth + 1, tree.sort || (lower(c.name) || c.id::text)
          from teams c join tree on c.parent_id = tree.id
        )
        select tree.id, tree.parent_id as "parentId", tree.name, tree.depth, m.id as "managerId", m.name as "managerName",
               coalesce((select jsonb_agg(jsonb_build_object('id', p.id, 'name', p.name, 'role', p.role) order by lower(p.name))
                         from people p where p.team_id = tree.id and p.active), '[]'::jsonb) as members
        from tree left join people m on m.id = (select manager_id from teams where id = tree.id)
        order by tree.sort
      `,
    ),
    queryRows<OrgPerson>(
      db,
      sql`
        with recursive tree as (
          select p.id, null::uuid as manager_id, 0 as depth, array[lower(p.name) || p.id::text] as sort
          from people p
          where p.active and (p.manager_id is null or not exists (select 1 from people m where m.id = p.manager_id and m.active))
          union all
          select c.id, c.manager_id, tree.depth + 1, tree.sort || (lower(c.name) || c.id::text)
          from people c join tree on c.manager_id = tree.id
          where c.active
        )
        select tree.id, tree.manager_id as "managerId", p.name, p.role, t.name as "teamName", tree.depth,
               (select count(*)::int from people r where r.manager_id = tree.id and r.active) as reports
        from tree join people p on p.id = tree.id left join teams t on t.id = p.team_id
        order by tree.sort
      `,
    ),
  ])
  return { teams, people }
}
