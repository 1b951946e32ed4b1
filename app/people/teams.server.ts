import { eq, sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { teams } from '#db/schema'
import type { Role } from '#db/schema/people'
import { type Actor, recordAudit } from '~/audit/audit.server'
import { teamCycles, transactionOrRollback } from './hierarchy.server'
import type { TeamForm } from './schemas'

export type TeamRow = {
  id: string
  name: string
  parentId: string | null
  parentName: string | null
  managerId: string | null
  managerName: string | null
  members: number
  subTeams: number
}

export async function listTeams(db: Db) {
  return queryRows<TeamRow>(
    db,
    sql`
      select t.id, t.name, t.parent_id as "parentId", pt.name as "parentName", t.manager_id as "managerId", m.name as "managerName",
             (select count(*)::int from people p where p.team_id = t.id and p.active) as members,
             (select count(*)::int from teams c where c.parent_id = t.id) as "subTeams"
      from teams t
      left join teams pt on pt.id = t.parent_id
      left join people m on m.id = t.manager_id
      order by lower(t.name), t.id
    `,
  )
}

/** A team with its members and sub-teams; `teamId` is a uuid (the route checks it), null when there is no such team. */
export async function getTeam(db: Db, teamId: string) {
  const [team] = await queryRows<
    TeamRow & { memberList: { id: string; name: string; email: string; role: Role; active: boolean }[]; subTeamList: { id: string; name: string }[] }
  >(
    db,
    sql`
      select t.id, t.name, t.parent_id as "parentId", pt.name as "parentName", t.manager_id as "managerId", m.name as "managerName",
             (select count(*)::int from people p where p.team_id = t.id and p.active) as members,
             (select count(*)::int from teams c where c.parent_id = t.id) as "subTeams",
             coalesce((select jsonb_agg(jsonb_build_object('id', p.id, 'name', p.name, 'email', p.email, 'role', p.role, 'active', p.active) order by p.active desc, lower(p.name))
                       from people p where p.team_id = t.id), '[]'::jsonb) as "memberList",
             coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name) order by lower(c.name)) from teams c where c.parent_id = t.id), '[]'::jsonb) as "subTeamList"
      from teams t
      left join teams pt on pt.id = t.parent_id
      left join people m on m.id = t.manager_id
      where t.id = ${teamId}::uuid
    `,
  )
  return team ?? null
}

export type TeamError =
  | { field: 'name'; code: 'nameTaken'; name: string }
  | { field: 'parentId'; code: 'cycle'; chain: string[] }
  | { field: 'parentId'; code: 'unknownTeam' }
  | { field: 'managerId'; code: 'unknownPerson' }

type Outcome = { ok: true; id: string } | { ok: false; error: TeamError }

async function precheck(db: Db, teamId: string | null, input: TeamForm): Promise<TeamError | null> {
  const [row] = await queryRows<{ nameTaken: boolean; parentExists: boolean; managerExists: boolean }>(
    db,
    sql`
      select exists (select 1 from teams where lower(name) = lower(${input.name}) and (${teamId}::uuid is null or id <> ${teamId}::uuid)) as "nameTaken",
             (${input.parentId}::uuid is null or exists (select 1 from teams where id = ${input.parentId}::uuid)) as "parentExists",
             (${input.managerId}::uuid is null or exists (select 1 from people where id = ${input.managerId}::uuid)) as "managerExists"
    `,
  )
  if (row.nameTaken) return { field: 'name', code: 'nameTaken', name: input.name }
  if (!row.parentExists) return { field: 'parentId', code: 'unknownTeam' }
  if (!row.managerExists) return { field: 'managerId', code: 'unknownPerson' }
  return null
}

export async function createTeam(db: Db, actor: Actor, input: TeamForm): Promise<Outcome> {
  const problem = await precheck(db, null, input)
  if (problem) return { ok: false, error: problem }
  const [team] = await db.insert(teams).values({ name: input.name, parentId: input.parentId, managerId: input.managerId }).returning({ id: teams.id })
  await recordAudit(db, { ...actor, action: 'team.created', target: team.id, details: { name: input.name } })
  return { ok: true, id: team.id }
}

/** Saves a team; a parent that would put the team inside itself is refused (checked in SQL, rolled back). */
export async function updateTeam(db: Db, actor: Actor, teamId: string, input: TeamForm): Promise<Outcome | null> {
  const problem = await precheck(db, teamId, input)
  if (problem) return { ok: false, error: problem }
  if (input.parentId === teamId) {
    const [self] = await db.select({ name: teams.name }).from(teams).where(eq(teams.id, teamId))
    return { ok: false, error: { field: 'parentId', code: 'cycle', chain: [input.name, self?.name ?? input.name] } }
  }
  const result = await transactionOrRollback<Outcome | null, TeamError>(db, async (tx) => {
    const [before] = await tx.select({ managerId: teams.managerId }).from(teams).where(eq(teams.id, teamId)).for('update')
    if (!before) return { commit: null }
    await tx.update(teams).set({ name: input.name, parentId: input.parentId, managerId: input.managerId }).where(eq(teams.id, teamId))
    const [cycle] = await teamCycles(tx, [teamId])
    if (cycle) return { rollback: { field: 'parentId', code: 'cycle', chain: cycle.chain.map((t) => t.name) } }
    await recordAudit(tx, { ...actor, action: 'team.updated', target: teamId, details: { name: input.name, parentId: input.parentId, managerId: input.managerId } })
    return { commit: { ok: true, id: teamId } }
  })
  return result.committed ? result.value : { ok: false, error: result.value }
}

/** Deletes a team only when nobody and no sub-team is in it (active or not), in one statement. */
export async function deleteTeam(db: Db, actor: Actor, teamId: string): Promise<{ ok: true } | { ok: false; members: number; subTeams: number } | null> {
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ name: string; members: number; subTeams: number }>(
      tx,
      sql`
        select t.name,
               (select count(*)::int from people p where p.team_id = t.id) as members,
               (select count(*)::int from teams c where c.parent_id = t.id) as "subTeams"
        from teams t where t.id = ${teamId}::uuid for update
      `,
    )
    if (!row) return null
    if (row.members > 0 || row.subTeams > 0) return { ok: false as const, members: row.members, subTeams: row.subTeams }
    await tx.delete(teams).where(eq(teams.id, teamId))
    await recordAudit(tx, { ...actor, action: 'team.deleted', target: teamId, details: { name: row.name } })
    return { ok: true as const }
  })
}

/** GET /api/v1/teams. */
export async function apiListTeams(db: Db) {
  return queryRows<{ id: string; name: string; parentId: string | null; managerEmail: string | null }>(
    db,
    sql`
      select t.id, t.name, t.parent_id as "parentId", m.email as "managerEmail"
      from teams t left join people m on m.id = t.manager_id
      order by lower(t.name), t.id
    `,
  )
}
