import { type SQL, sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import type { Role } from '#db/schema/people'
import { type Permission, roleCan } from './permissions'

/**
 * Whose data a viewer may see: the one rule, for every feature.
 * - a role with the feature's organisation-wide right (results:org, funnel:org, signals:org,
 *   actions:read-org…) sees the whole organisation;
 * - anyone else sees, as a manager, every team they manage (teams.manager_id) with all its
 *   sub-teams, plus their active direct reports (people.manager_id) wherever those sit;
 * - with neither, nobody. An API key has its role and no relationships: the organisation or nobody.
 *
 * The rule exists in two forms that always agree: `viewerScope` resolves it to lists of ids (for
 * screens that need them), and the SQL builders below put it inside the statement that reads the
 * data, so rows are never filtered afterwards. Team trees are walked with UNION, not UNION ALL:
 * it stops at the first repeated row, so even a cyclic team tree terminates.
 */

export type Scope = { kind: 'org' } | { kind: 'teams'; teamIds: string[]; reportIds: string[] } | { kind: 'none' }

/** Who is looking: a person, or an API key (id null: its role only, no relationships). */
export type ScopeViewer = { id: string | null; role: Role }

/**
 * A scope decided inside the statement that uses it, with no query beforehand: `all` for
 * everyone (a system job, or a caller whose right was already checked), else a viewer under the rule.
 */
export type ScopeSubject = { all: true } | { viewer: ScopeViewer }

/** An API key's subject: its role, no relationships (the organisation with the right, else nobody). */
export function apiKeySubject(role: Role): ScopeSubject {
  return { viewer: { id: null, role } }
}

/** The right (or any of the rights) that shows a feature's whole organisation. */
export type OrgRight = Permission | readonly Permission[]

/** Whether a role sees the whole organisation of a feature. */
export function hasOrgRight(role: Role, orgRight: OrgRight): boolean {
  return (typeof orgRight === 'string' ? [orgRight] : orgRight).some((p) => roleCan(role, p))
}

/** A subquery of the teams a person manages, each with all its sub-teams. */
export function managedTeamIds(managerId: string | null): SQL {
  return sql`(with recursive managed(id) as (
      select id from teams where manager_id = ${managerId}::uuid
      union
      select t.id from teams t join managed m on t.parent_id = m.id
    ) select id from managed)`
}

/** A subquery of a team and all its sub-teams. */
export function teamSubtree(teamId: string | SQL): SQL {
  const root = typeof teamId === 'string' ? sql`${teamId}::uuid` : teamId
  return sql`(with recursive sub(id) as (
      select id from teams where id = ${root}
      union
      select t.id from teams t join sub on t.parent_id = sub.id
    ) select id from sub)`
}

/**
 * The CTE `tree(ancestor, descendant)`: every team paired with itself and each of its sub-teams,
 * for grouping by team with sub-teams in one pass. Goes in a `with recursive` list.
 */
export const teamClosure = sql`tree(ancestor, descendant) as (
    select id, id from teams
    union
    select tree.ancestor, t.id from teams t join tree on t.parent_id = tree.descendant
  )`

/** A subquery of a person's active direct reports. */
export function directReportIds(managerId: string | null): SQL {
  return sql`(select id from people where manager_id = ${managerId}::uuid and active)`
}

const idList = (ids: string[]) => sql`(select value::uuid as id from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`
const noIds = sql`(select null::uuid as id where false)`

/** Either form of a scope, as SQL: the organisation, nobody, or subqueries of its teams and its direct reports. */
type Resolved = { kind: 'org' } | { kind: 'none' } | { kind: 'teams'; teams: SQL; reports: SQL }

function resolve(scope: Scope | ScopeSubject, orgRight: OrgRight | undefined): Resolved {
  if ('kind' in scope) return scope.kind === 'teams' ? { kind: 'teams', teams: idList(scope.teamIds), reports: idList(scope.reportIds) } : scope
  if ('all' in scope || hasOrgRight(scope.viewer.role, orgRight ?? [])) return { kind: 'org' }
  const id = scope.viewer.id
  return id ? { kind: 'teams', teams: managedTeamIds(id), reports: directReportIds(id) } : { kind: 'none' }
}

// The builders below take either form: a resolved `Scope`, or a `ScopeSubject` with the
// feature's organisation-wide right, decided in the same statement.

/** A subquery of the team ids in scope: managed teams with their sub-teams, or every team. */
export function scopedTeamIds(scope: Scope): SQL
export function scopedTeamIds(subject: ScopeSubject, orgRight: OrgRight): SQL
export function scopedTeamIds(scope: Scope | ScopeSubject, orgRight?: OrgRight): SQL {
  const r = resolve(scope, orgRight)
  return r.kind === 'org' ? sql`(select id from teams)` : r.kind === 'none' ? noIds : r.teams
}

/** A subquery of the person ids in scope: the members of its teams and the direct reports, or everyone. */
export function scopedPersonIds(scope: Scope): SQL
export function scopedPersonIds(subject: ScopeSubject, orgRight: OrgRight): SQL
export function scopedPersonIds(scope: Scope | ScopeSubject, orgRight?: OrgRight): SQL {
  const r = resolve(scope, orgRight)
  return r.kind === 'org' ? sql`(select id from people)` : r.kind === 'none' ? noIds : membersOrReports(r)
}

const membersOrReports = (r: { teams: SQL; reports: SQL }) => sql`(select p.id from people p where p.team_id in ${r.teams} or p.id in ${r.reports})`

/**
 * A condition: the team in `column` is in scope. For the organisation it is `true`, so rows with
 * no team (organisation-wide ones) pass too; for nobody it is `false`.
 */
export function teamInScope(column: SQL, scope: Scope): SQL
export function teamInScope(column: SQL, subject: ScopeSubject, orgRight: OrgRight): SQL
export function teamInScope(column: SQL, scope: Scope | ScopeSubject, orgRight?: OrgRight): SQL {
  const r = resolve(scope, orgRight)
  return r.kind === 'org' ? sql`true` : r.kind === 'none' ? sql`false` : sql`${column} in ${r.teams}`
}

/** A condition: the person in `column` is in scope (`true` for the organisation, `false` for nobody). */
export function personInScope(column: SQL, scope: Scope): SQL
export function personInScope(column: SQL, subject: ScopeSubject, orgRight: OrgRight): SQL
export function personInScope(column: SQL, scope: Scope | ScopeSubject, orgRight?: OrgRight): SQL {
  const r = resolve(scope, orgRight)
  return r.kind === 'org' ? sql`true` : r.kind === 'none' ? sql`false` : sql`${column} in ${membersOrReports(r)}`
}

/**
 * The viewer's scope as lists of ids. `orgRight` is the feature's organisation-wide right; the
 * default, results:org, is the survey results' (hr, leader and admin).
 */
export async function viewerScope(db: Db, viewer: ScopeViewer, orgRight: OrgRight = 'results:org'): Promise<Scope> {
  if (hasOrgRight(viewer.role, orgRight)) return { kind: 'org' }
  if (!viewer.id) return { kind: 'none' }
  const rows = await queryRows<{ kind: 'team' | 'report'; id: string }>(
    db,
    sql`select 'team' as kind, id::text as id from ${managedTeamIds(viewer.id)} m
        union all
        select 'report' as kind, id::text as id from ${directReportIds(viewer.id)} r`,
  )
  const teamIds = rows.filter((r) => r.kind === 'team').map((r) => r.id)
  const reportIds = rows.filter((r) => r.kind === 'report').map((r) => r.id)
  if (teamIds.length === 0 && reportIds.length === 0) return { kind: 'none' }
  return { kind: 'teams', teamIds, reportIds }
}

/** Whether a scope covers a group: the organisation only for `org`, a team when it is in scope. */
export function scopeCovers(scope: Scope, groupId: 'org' | string): boolean {
  if (scope.kind === 'org') return true
  if (scope.kind === 'none') return false
  return groupId !== 'org' && scope.teamIds.includes(groupId)
}
