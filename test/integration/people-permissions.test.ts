import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { Role } from '#db/schema/people'
import type { AppContext } from '~/context'
import * as orgChart from '~/routes/org-chart'
import * as personPage from '~/routes/people.$personId'
import * as peopleImport from '~/routes/people.import'
import * as peopleList from '~/routes/people._index'
import * as peopleNew from '~/routes/people.new'
import * as teamPage from '~/routes/teams.$teamId'
import * as teamsList from '~/routes/teams._index'
import * as teamsNew from '~/routes/teams.new'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext
const cookies = {} as Record<Role, string>
let personId: string
let teamId: string
let emptyTeamId: string

beforeAll(async () => {
  ctx = await setupTestContext()
  for (const role of ['admin', 'hr', 'leader', 'marketing', 'employee'] as const) {
    const person = await createPerson(ctx.db, { email: `${role}@perm.test`, name: `The ${role}`, role, locale: 'en' })
    cookies[role] = await signedInCookie(ctx, person.id)
  }
  const team = await createTeam(ctx.db, { name: 'Perm Team' })
  teamId = team.id
  emptyTeamId = (await createTeam(ctx.db, { name: 'Empty Team' })).id
  personId = (await createPerson(ctx.db, { email: 'target@perm.test', name: 'Target Person', teamId: team.id })).id
})

const roles = ['employee', 'marketing', 'leader', 'hr', 'admin'] as const
type Fn = Parameters<typeof call>[0]
type Screen = { name: string; path: string; fn: Fn; params?: () => Record<string, string>; allowed: Role[]; form?: () => Record<string, string> }

const readers = {
  people: ['hr', 'admin'] as Role[],
  peopleWrite: ['admin'] as Role[],
  teams: ['leader', 'hr', 'admin'] as Role[],
  teamsWrite: ['admin'] as Role[],
}

// Every screen's loader and action, with who may use it. Forbidden actions submit real changes.
const screens: Screen[] = [
  { name: 'GET /people', path: '/people', fn: peopleList.loader as Fn, allowed: readers.people },
  { name: 'GET /people/new', path: '/people/new', fn: peopleNew.loader as Fn, allowed: readers.peopleWrite },
  { name: 'POST /people/new', path: '/people/new', fn: peopleNew.action as Fn, allowed: readers.peopleWrite, form: () => ({ intent: 'save', name: 'Intruder', email: 'intruder@perm.test', role: 'admin' }) },
  { name: 'GET /people/$personId', path: '/people/x', fn: personPage.loader as Fn, params: () => ({ personId }), allowed: readers.people },
  {
    name: 'POST /people/$personId (save)',
    path: '/people/x',
    fn: personPage.action as Fn,
    params: () => ({ personId }),
    allowed: readers.peopleWrite,
    form: () => ({ intent: 'save', name: 'Renamed', email: 'target@perm.test', role: 'admin' }),
  },
  { name: 'POST /people/$personId (deactivate)', path: '/people/x', fn: personPage.action as Fn, params: () => ({ personId }), allowed: readers.peopleWrite, form: () => ({ intent: 'deactivate' }) },
  { name: 'GET /people/import', path: '/people/import', fn: peopleImport.loader as Fn, allowed: readers.peopleWrite },
  {
    name: 'POST /people/import',
    path: '/people/import',
    fn: peopleImport.action as Fn,
    allowed: readers.peopleWrite,
    form: () => ({ intent: 'commit', csv: 'email,name,role\nintruder@perm.test,Intruder,admin\n', created: '1', updated: '0' }),
  },
  { name: 'GET /teams', path: '/teams', fn: teamsList.loader as Fn, allowed: readers.teams },
  { name: 'GET /teams/new', path: '/teams/new', fn: teamsNew.loader as Fn, allowed: readers.teamsWrite },
  { name: 'POST /teams/new', path: '/teams/new', fn: teamsNew.action as Fn, allowed: readers.teamsWrite, form: () => ({ intent: 'save', name: 'Intruder Team' }) },
  { name: 'GET /teams/$teamId', path: '/teams/x', fn: teamPage.loader as Fn, params: () => ({ teamId }), allowed: readers.teams },
  { name: 'POST /teams/$teamId (save)', path: '/teams/x', fn: teamPage.action as Fn, params: () => ({ teamId }), allowed: readers.teamsWrite, form: () => ({ intent: 'save', name: 'Renamed Team' }) },
  { name: 'POST /teams/$teamId (delete)', path: '/teams/x', fn: teamPage.action as Fn, params: () => ({ teamId: emptyTeamId }), allowed: readers.teamsWrite, form: () => ({ intent: 'delete' }) },
  { name: 'GET /org-chart', path: '/org-chart', fn: orgChart.loader as Fn, allowed: readers.teams },
]

const snapshot = async () =>
  (
    await queryRows<{ state: string }>(
      ctx.db,
      sql`select md5(string_agg(p.id || p.name || p.email || p.role || p.active::text, ',' order by p.id)) ||
                 (select md5(string_agg(t.id || t.name, ',' order by t.id)) from teams t) as state from people p`,
    )
  )[0].state

describe('people, teams and org-chart screens refuse every role that may not use them', () => {
  for (const screen of screens) {
    it(`${screen.name}: signed out → /login; allowed: ${screen.allowed.join(', ')}`, async () => {
      const request = (cookie?: string) => makeRequest(screen.path, { cookie, ...(screen.form ? { form: screen.form() } : {}) })
      const out = (await call(screen.fn, ctx, request(), screen.params?.())) as Response
      expect(out.status).toBe(302)
      expect(out.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
      for (const role of roles) {
        const before = screen.form ? await snapshot() : null
        const result = await call(screen.fn, ctx, request(cookies[role]), screen.params?.())
        if (screen.allowed.includes(role)) {
          if (!screen.form) expect(result instanceof Response ? result.status : 200).toBe(200)
        } else {
          expect(result instanceof Response, `${role} on ${screen.name}`).toBe(true)
          expect((result as Response).status, `${role} on ${screen.name}`).toBe(403)
          // The forbidden submission changed nothing.
          if (before) expect(await snapshot()).toBe(before)
        }
      }
    })
  }

  it('the admin’s submissions above did go through (the matrix tested real changes)', async () => {
    const rows = await queryRows<{ email: string; name: string; active: boolean }>(ctx.db, sql`select email, name, active from people where email in ('target@perm.test', 'intruder@perm.test') order by email`)
    expect(rows).toEqual([
      { email: 'intruder@perm.test', name: 'Intruder', active: true },
      { email: 'target@perm.test', name: 'Renamed', active: false },
    ])
    const teams = await queryRows<{ name: string }>(ctx.db, sql`select name from teams order by name`)
    expect(teams).toEqual([{ name: 'Intruder Team' }, { name: 'Renamed Team' }])
  })
})
