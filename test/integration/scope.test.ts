import { type SQL, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { Role } from '#db/schema/people'
import {
  type Scope,
  type ScopeSubject,
  directReportIds,
  managedTeamIds,
  personInScope,
  scopeCovers,
  scopedPersonIds,
  scopedTeamIds,
  teamClosure,
  teamInScope,
  teamSubtree,
  viewerScope,
} from '~/auth/scope.server'
import type { AppContext } from '~/context'
import { funnelOrgRight } from '~/funnel/scope.server'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'

/**
 * The one scope rule, against the real database, with exact id sets:
 *
 *   Sales (Maria)            Support           Solo (nobody manages it)
 *   └─ North                 ├─ Dario (reports to Maria)
 *      └─ North East         ├─ Ugo (reports to Maria, inactive)
 *                            └─ Rita (reports to Marco, who manages no team)
 *   Loop A (Cleo) ⇄ Loop B   (a cyclic team tree: each is the other's parent)
 */
let ctx: AppContext
const t = {} as Record<'sales' | 'north' | 'northEast' | 'support' | 'solo' | 'loopA' | 'loopB', string>
const p = {} as Record<'admin' | 'hr' | 'leader' | 'marketing' | 'employee' | 'maria' | 'anna' | 'bruno' | 'carla' | 'dario' | 'ugo' | 'marco' | 'rita' | 'sole' | 'cleo' | 'lia', string>

beforeAll(async () => {
  ctx = await setupTestContext()
  const db = ctx.db
  t.sales = (await createTeam(db, { name: 'Sales' })).id
  t.north = (await createTeam(db, { name: 'North', parentId: t.sales })).id
  t.northEast = (await createTeam(db, { name: 'North East', parentId: t.north })).id
  t.support = (await createTeam(db, { name: 'Support' })).id
  t.solo = (await createTeam(db, { name: 'Solo' })).id
  t.loopA = (await createTeam(db, { name: 'Loop A' })).id
  t.loopB = (await createTeam(db, { name: 'Loop B', parentId: t.loopA })).id
  await db.execute(sql`update teams set parent_id = ${t.loopB}::uuid where id = ${t.loopA}::uuid`)

  for (const role of ['admin', 'hr', 'leader', 'marketing', 'employee'] as const) p[role] = (await createPerson(db, { role, teamId: t.support })).id
  p.maria = (await createPerson(db, { name: 'Maria Manager', teamId: t.sales })).id
  await setTeamManager(db, t.sales, p.maria)
  p.anna = (await createPerson(db, { name: 'Anna Sales', teamId: t.sales })).id
  p.bruno = (await createPerson(db, { name: 'Bruno North', teamId: t.north })).id
  p.carla = (await createPerson(db, { name: 'Carla North East', teamId: t.northEast })).id
  p.dario = (await createPerson(db, { name: 'Dario Support', teamId: t.support, managerId: p.maria })).id
  p.ugo = (await createPerson(db, { name: 'Ugo Former', teamId: t.support, managerId: p.maria, active: false })).id
  p.marco = (await createPerson(db, { name: 'Marco Reports Only', teamId: t.support })).id
  p.rita = (await createPerson(db, { name: 'Rita Support', teamId: t.support, managerId: p.marco })).id
  p.sole = (await createPerson(db, { name: 'Sole No Team', managerId: p.marco })).id
  p.cleo = (await createPerson(db, { name: 'Cleo Loop', teamId: t.loopA })).id
  await setTeamManager(db, t.loopA, p.cleo)
  p.lia = (await createPerson(db, { name: 'Lia Loop', teamId: t.loopB })).id
})

const allTeams = () => Object.values(t).sort()
const allPeople = () => Object.values(p).sort()
const sorted = (ids: string[]) => [...ids].sort()
const as = (who: keyof typeof p, role: Role = 'employee'): ScopeSubject => ({ viewer: { id: p[who], role } })
const roleOf = (who: 'admin' | 'hr' | 'leader' | 'marketing' | 'employee'): ScopeSubject => as(who, who)

/** The ids a subquery returns, sorted. */
async function ids(subquery: SQL): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(ctx.db, sql`select s.id::text as id from ${subquery} s`)
  return rows.map((r) => r.id).sort()
}

/** The rows of a small fixture (a team-less row and every team, or every person) that pass a condition. */
async function passing(kind: 'team' | 'person', condition: (column: SQL) => SQL): Promise<(string | null)[]> {
  const source = kind === 'team' ? sql`(select null::uuid as id union all select id from teams)` : sql`(select id from people)`
  const rows = await queryRows<{ id: string | null }>(ctx.db, sql`select x.id::text as id from ${source} x where ${condition(sql`x.id`)}`)
  return rows.map((r) => r.id).sort((a, b) => (a ?? '').localeCompare(b ?? ''))
}

describe('the subtree and manager builders', () => {
  it('walks a team with every sub-team, and stops on a cyclic tree', async () => {
    expect(await ids(teamSubtree(t.sales))).toEqual(sorted([t.sales, t.north, t.northEast]))
    expect(await ids(teamSubtree(t.north))).toEqual(sorted([t.north, t.northEast]))
    expect(await ids(teamSubtree(t.solo))).toEqual([t.solo])
    expect(await ids(teamSubtree(t.loopB))).toEqual(sorted([t.loopA, t.loopB]))
    expect(await ids(teamSubtree(sql`${t.support}::uuid`))).toEqual([t.support])
  })

  it('pairs every team with itself and its sub-teams in the closure, cycles included', async () => {
    const rows = await queryRows<{ ancestor: string; descendants: string[] }>(
      ctx.db,
      sql`with recursive ${teamClosure} select ancestor::text as ancestor, array_agg(descendant::text order by descendant) as descendants from tree group by ancestor`,
    )
    const closure = Object.fromEntries(rows.map((r) => [r.ancestor, r.descendants]))
    expect(closure).toEqual({
      [t.sales]: sorted([t.sales, t.north, t.northEast]),
      [t.north]: sorted([t.north, t.northEast]),
      [t.northEast]: [t.northEast],
      [t.support]: [t.support],
      [t.solo]: [t.solo],
      [t.loopA]: sorted([t.loopA, t.loopB]),
      [t.loopB]: sorted([t.loopA, t.loopB]),
    })
  })

  it('gives a manager’s teams with their sub-teams and their active direct reports', async () => {
    expect(await ids(managedTeamIds(p.maria))).toEqual(sorted([t.sales, t.north, t.northEast]))
    expect(await ids(managedTeamIds(p.cleo))).toEqual(sorted([t.loopA, t.loopB]))
    expect(await ids(managedTeamIds(p.marco))).toEqual([])
    expect(await ids(managedTeamIds(null))).toEqual([])
    expect(await ids(directReportIds(p.maria))).toEqual([p.dario])
    expect(await ids(directReportIds(p.marco))).toEqual(sorted([p.rita, p.sole]))
    expect(await ids(directReportIds(p.anna))).toEqual([])
  })
})

describe('viewerScope', () => {
  it('resolves every role under the results rule (results:org)', async () => {
    const scope = (who: keyof typeof p, role: Role = 'employee') => viewerScope(ctx.db, { id: p[who], role })
    for (const role of ['admin', 'hr', 'leader'] as const) expect(await scope(role, role), role).toEqual({ kind: 'org' })
    for (const role of ['marketing', 'employee'] as const) expect(await scope(role, role), role).toEqual({ kind: 'none' })
    const maria = await scope('maria')
    expect(maria.kind === 'teams' && { teamIds: sorted(maria.teamIds), reportIds: maria.reportIds }).toEqual({ teamIds: sorted([t.sales, t.north, t.northEast]), reportIds: [p.dario] })
    const marco = await scope('marco')
    expect(marco.kind === 'teams' && { teamIds: marco.teamIds, reportIds: sorted(marco.reportIds) }).toEqual({ teamIds: [], reportIds: sorted([p.rita, p.sole]) })
    const cleo = await scope('cleo')
    expect(cleo.kind === 'teams' && { teamIds: sorted(cleo.teamIds), reportIds: cleo.reportIds }).toEqual({ teamIds: sorted([t.loopA, t.loopB]), reportIds: [] })
    // A manager's relationships count whatever the role: an hr person is org-wide anyway.
    expect(await scope('maria', 'hr')).toEqual({ kind: 'org' })
  })

  it('takes the feature’s organisation-wide right, or any of several', async () => {
    // Marketing has funnel:top, not funnel:org: the funnel's rights together see everyone.
    expect(await viewerScope(ctx.db, { id: p.marketing, role: 'marketing' }, 'funnel:org')).toEqual({ kind: 'none' })
    expect(await viewerScope(ctx.db, { id: p.marketing, role: 'marketing' }, funnelOrgRight)).toEqual({ kind: 'org' })
    expect(await viewerScope(ctx.db, { id: p.leader, role: 'leader' }, 'actions:write-org')).toEqual({ kind: 'none' })
    expect(await viewerScope(ctx.db, { id: p.hr, role: 'hr' }, 'comments:reply-org')).toEqual({ kind: 'org' })
    expect(await viewerScope(ctx.db, { id: p.admin, role: 'admin' }, 'comments:reply-org')).toEqual({ kind: 'none' })
    expect(await viewerScope(ctx.db, { id: p.employee, role: 'employee' }, ['signals:org', 'results:org'])).toEqual({ kind: 'none' })
    expect(await viewerScope(ctx.db, { id: p.leader, role: 'leader' }, ['actions:write-org', 'results:org'])).toEqual({ kind: 'org' })
  })

  it('gives an API key (no person) the organisation with the right, else nobody', async () => {
    expect(await viewerScope(ctx.db, { id: null, role: 'hr' })).toEqual({ kind: 'org' })
    expect(await viewerScope(ctx.db, { id: null, role: 'employee' })).toEqual({ kind: 'none' })
  })
})

describe('scopeCovers', () => {
  it('covers the organisation only for org, and a team only when in scope', () => {
    const teams: Scope = { kind: 'teams', teamIds: [t.sales, t.north], reportIds: [p.dario] }
    expect([scopeCovers({ kind: 'org' }, 'org'), scopeCovers({ kind: 'org' }, t.support)]).toEqual([true, true])
    expect([scopeCovers(teams, 'org'), scopeCovers(teams, t.sales), scopeCovers(teams, t.north), scopeCovers(teams, t.support)]).toEqual([false, true, true, false])
    expect([scopeCovers({ kind: 'none' }, 'org'), scopeCovers({ kind: 'none' }, t.sales)]).toEqual([false, false])
  })
})

describe('the scoped SQL builders', () => {
  const mariaPeople = () => sorted([p.maria, p.anna, p.bruno, p.carla, p.dario])

  it('give every role its exact teams and people under the results rule', async () => {
    for (const role of ['admin', 'hr', 'leader'] as const) {
      expect(await ids(scopedTeamIds(roleOf(role), 'results:org')), role).toEqual(allTeams())
      expect(await ids(scopedPersonIds(roleOf(role), 'results:org')), role).toEqual(allPeople())
    }
    for (const role of ['marketing', 'employee'] as const) {
      expect(await ids(scopedTeamIds(roleOf(role), 'results:org')), role).toEqual([])
      expect(await ids(scopedPersonIds(roleOf(role), 'results:org')), role).toEqual([])
    }
    // Maria: her team's tree and its members (herself included), and Dario who sits in Support; not Ugo, inactive.
    expect(await ids(scopedTeamIds(as('maria'), 'results:org'))).toEqual(sorted([t.sales, t.north, t.northEast]))
    expect(await ids(scopedPersonIds(as('maria'), 'results:org'))).toEqual(mariaPeople())
    // Marco manages no team: only his direct reports, one of them in no team at all.
    expect(await ids(scopedTeamIds(as('marco'), 'results:org'))).toEqual([])
    expect(await ids(scopedPersonIds(as('marco'), 'results:org'))).toEqual(sorted([p.rita, p.sole]))
    // Cleo's cyclic tree terminates with both teams and their members.
    expect(await ids(scopedTeamIds(as('cleo'), 'results:org'))).toEqual(sorted([t.loopA, t.loopB]))
    expect(await ids(scopedPersonIds(as('cleo'), 'results:org'))).toEqual(sorted([p.cleo, p.lia]))
    expect(await ids(scopedPersonIds({ all: true }, 'results:org'))).toEqual(allPeople())
  })

  it('follow the funnel’s rights (funnel:org, funnel:top), where marketing sees everyone too', async () => {
    for (const role of ['admin', 'hr', 'leader', 'marketing'] as const) {
      expect(await ids(scopedPersonIds(roleOf(role), funnelOrgRight)), role).toEqual(allPeople())
      expect(await ids(scopedTeamIds(roleOf(role), funnelOrgRight)), role).toEqual(allTeams())
    }
    expect(await ids(scopedPersonIds(roleOf('employee'), funnelOrgRight))).toEqual([])
    expect(await ids(scopedPersonIds(as('maria'), funnelOrgRight))).toEqual(mariaPeople())
    expect(await ids(scopedPersonIds(as('marco'), funnelOrgRight))).toEqual(sorted([p.rita, p.sole]))
  })

  it('agree with the resolved scope, for every viewer', async () => {
    const viewers: [keyof typeof p, Role][] = [['admin', 'admin'], ['hr', 'hr'], ['leader', 'leader'], ['marketing', 'marketing'], ['employee', 'employee'], ['maria', 'employee'], ['marco', 'employee'], ['cleo', 'employee']]
    for (const [who, role] of viewers) {
      const resolved = await viewerScope(ctx.db, { id: p[who], role })
      const subject = as(who, role)
      expect(await ids(scopedTeamIds(resolved)), who).toEqual(await ids(scopedTeamIds(subject, 'results:org')))
      expect(await ids(scopedPersonIds(resolved)), who).toEqual(await ids(scopedPersonIds(subject, 'results:org')))
      expect(await passing('team', (c) => teamInScope(c, resolved)), who).toEqual(await passing('team', (c) => teamInScope(c, subject, 'results:org')))
      expect(await passing('person', (c) => personInScope(c, resolved)), who).toEqual(await passing('person', (c) => personInScope(c, subject, 'results:org')))
    }
  })

  it('make conditions that let organisation-wide rows through only for the organisation', async () => {
    const withNoTeam = [null, ...allTeams()]
    expect(await passing('team', (c) => teamInScope(c, roleOf('hr'), 'signals:org'))).toEqual(withNoTeam)
    expect(await passing('team', (c) => teamInScope(c, roleOf('leader'), 'actions:write-org'))).toEqual([])
    expect(await passing('team', (c) => teamInScope(c, as('maria'), 'actions:write-org'))).toEqual(sorted([t.sales, t.north, t.northEast]))
    expect(await passing('team', (c) => teamInScope(c, { viewer: { id: null, role: 'employee' } }, 'signals:org'))).toEqual([])
    expect(await passing('team', (c) => teamInScope(c, { all: true }, 'signals:org'))).toEqual(withNoTeam)
    expect(await passing('person', (c) => personInScope(c, as('maria'), 'actions:write-org'))).toEqual(mariaPeople())
    expect(await passing('person', (c) => personInScope(c, roleOf('admin'), 'actions:write-org'))).toEqual(allPeople())
    expect(await passing('person', (c) => personInScope(c, { viewer: { id: null, role: 'hr' } }, 'actions:read-org'))).toEqual(allPeople())
    expect(await passing('person', (c) => personInScope(c, { viewer: { id: null, role: 'employee' } }, 'actions:read-org'))).toEqual([])
  })
})
