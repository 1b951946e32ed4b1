import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { Role } from '#db/schema/people'
import type { AppContext } from '~/context'
import * as peopleApi from '~/routes/api.v1.people'
import * as teamsApi from '~/routes/api.v1.teams'
import { createApiKey } from '~/settings/api-keys.server'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { call, makeRequest } from '#test/support/requests'

let ctx: AppContext
const keys = {} as Record<Role, string>

beforeAll(async () => {
  ctx = await setupTestContext()
  for (const role of ['admin', 'hr', 'leader', 'marketing', 'employee'] as const) keys[role] = (await createApiKey(ctx.db, { name: `${role} key`, role })).key
})

const get = (fn: typeof peopleApi.loader, path: string, key?: string) =>
  call(fn, ctx, makeRequest(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} })) as Promise<Response>
const post = (body: unknown, key = keys.admin) =>
  call(peopleApi.action, ctx, makeRequest('/api/v1/people', { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })) as Promise<Response>
const peopleCount = async () => (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from people`))[0].n
const teamCount = async () => (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from teams`))[0].n

describe('API authentication and permissions', () => {
  it('answers 401 without a key or with an unknown one', async () => {
    for (const fn of [peopleApi.loader, teamsApi.loader]) {
      const missing = await get(fn, '/api/v1/people')
      expect(missing.status).toBe(401)
      expect((await missing.json()).error.code).toBe('unauthorized')
      const unknown = await get(fn, '/api/v1/people', 'pb_not-a-real-key')
      expect(unknown.status).toBe(401)
    }
    const res = (await call(peopleApi.action, ctx, makeRequest('/api/v1/people', { method: 'POST', body: '{}' }))) as Response
    expect(res.status).toBe(401)
  })

  it('GET /api/v1/people needs people:read (admin, hr); 403 for the others', async () => {
    for (const role of ['admin', 'hr'] as const) expect((await get(peopleApi.loader, '/api/v1/people', keys[role])).status).toBe(200)
    for (const role of ['leader', 'marketing', 'employee'] as const) {
      const res = await get(peopleApi.loader, '/api/v1/people', keys[role])
      expect(res.status).toBe(403)
      expect((await res.json()).error.code).toBe('forbidden')
    }
  })

  it('GET /api/v1/teams needs teams:read (admin, hr, leader); 403 for the others', async () => {
    for (const role of ['admin', 'hr', 'leader'] as const) expect((await get(teamsApi.loader, '/api/v1/teams', keys[role])).status).toBe(200)
    for (const role of ['marketing', 'employee'] as const) expect((await get(teamsApi.loader, '/api/v1/teams', keys[role])).status).toBe(403)
  })

  it('POST /api/v1/people needs people:write (admin only) and writes nothing otherwise', async () => {
    const before = await peopleCount()
    for (const role of ['hr', 'leader', 'marketing', 'employee'] as const) {
      const res = await post({ people: [{ email: `x.${role}@example.test`, name: 'X' }] }, keys[role])
      expect(res.status).toBe(403)
    }
    expect(await peopleCount()).toBe(before)
  })

  it('answers 405 to other methods', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = (await call(peopleApi.action, ctx, makeRequest('/api/v1/people', { method, headers: { Authorization: `Bearer ${keys.admin}` } }))) as Response
      expect(res.status).toBe(405)
      expect(res.headers.get('Allow')).toBe('GET, POST')
      const teams = (await call(teamsApi.action as never, ctx, makeRequest('/api/v1/teams', { method, headers: { Authorization: `Bearer ${keys.admin}` } }))) as Response
      expect(teams.status).toBe(405)
    }
  })
})

describe('POST /api/v1/people', () => {
  it('creates people, their teams and a manager named in the same batch, then updates by email', async () => {
    const res = await post({
      people: [
        { email: 'Bea.Boss@Example.test', name: 'Bea Boss', role: 'employee', team: 'Torino', locale: 'it', timezone: 'Europe/Rome', crmOwnerKeys: ['Bea Boss', '005xx01'] },
        { email: 'carl.rep@example.test', name: 'Carl Rep', team: 'Torino', managerEmail: 'bea.boss@example.test' },
        { email: 'dana.rep@example.test', name: 'Dana Rep', team: 'torino', managerEmail: 'BEA.BOSS@example.test', locale: 'en', timezone: 'europe/london' },
      ],
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ created: 3, updated: 0 })

    const list = await (await get(peopleApi.loader, '/api/v1/people?team=Torino', keys.admin)).json()
    expect(list.people.map((p: { email: string }) => p.email)).toEqual(['bea.boss@example.test', 'carl.rep@example.test', 'dana.rep@example.test'])
    expect(list.people[0]).toEqual({
      id: expect.any(String),
      email: 'bea.boss@example.test',
      name: 'Bea Boss',
      role: 'employee',
      team: 'Torino',
      teamId: expect.any(String),
      managerEmail: null,
      crmOwnerKeys: ['Bea Boss', '005xx01'],
      locale: 'it',
      timezone: 'Europe/Rome',
      active: true,
    })
    expect(list.people[1]).toMatchObject({ managerEmail: 'bea.boss@example.test', role: 'employee', crmOwnerKeys: [], locale: null, timezone: null })
    expect(list.people[2]).toMatchObject({ managerEmail: 'bea.boss@example.test', timezone: 'Europe/London' })

    const teams = await (await get(teamsApi.loader, '/api/v1/teams', keys.leader)).json()
    const torino = teams.teams.find((t: { name: string }) => t.name === 'Torino')
    expect(torino).toEqual({ id: list.people[0].teamId, name: 'Torino', parentId: null, managerEmail: 'bea.boss@example.test' })

    // The same people again: nothing changes. One promoted and one moved: 2 updated, 1 created.
    expect(await (await post({ people: [{ email: 'carl.rep@example.test', name: 'Carl Rep' }] })).json()).toEqual({ created: 0, updated: 0 })
    const again = await post({
      people: [
        { email: 'bea.boss@example.test', name: 'Bea Boss', role: 'leader' },
        { email: 'carl.rep@example.test', name: 'Carl Rep', managerEmail: 'eve.new@example.test' },
        { email: 'eve.new@example.test', name: 'Eve New', team: 'Torino' },
      ],
    })
    expect(await again.json()).toEqual({ created: 1, updated: 2 })
    const audit = await queryRows<{ action: string; details: Record<string, unknown> }>(ctx.db, sql`select action, details from audit_log where action = 'person.role_changed'`)
    expect(audit).toEqual([{ action: 'person.role_changed', details: { email: 'bea.boss@example.test', from: 'employee', to: 'leader' } }])
    // Omitted fields were kept.
    const bea = (await (await get(peopleApi.loader, '/api/v1/people?q=bea.boss', keys.admin)).json()).people[0]
    expect(bea).toMatchObject({ team: 'Torino', locale: 'it', crmOwnerKeys: ['Bea Boss', '005xx01'] })
  })

  it('deactivates with active: false and ends the person’s sessions', async () => {
    const person = await createPerson(ctx.db, { email: 'leaving@example.test', name: 'Leaving Soon' })
    await ctx.db.execute(sql`insert into sessions (id_hash, person_id, expires_at) values ('h-leaving', ${person.id}, now() + interval '1 day')`)
    expect(await (await post({ people: [{ email: 'leaving@example.test', name: 'Leaving Soon', active: false }] })).json()).toEqual({ created: 0, updated: 1 })
    const [row] = await queryRows<{ active: boolean; left: boolean; sessions: number }>(
      ctx.db,
      sql`select active, left_on = current_date as left, (select count(*)::int from sessions where person_id = ${person.id}) as sessions from people where id = ${person.id}`,
    )
    expect(row).toEqual({ active: false, left: true, sessions: 0 })
  })

  it('refuses an invalid batch with every bad item listed, and writes nothing', async () => {
    await createPerson(ctx.db, { email: 'existing@example.test', name: 'Existing' })
    const [people, teams] = [await peopleCount(), await teamCount()]
    const res = await post({
      people: [
        { email: 'ok.one@example.test', name: 'OK One', team: 'Nowhere New' },
        { email: 'not-an-email', name: 'Bad Email' },
        { email: 'ok.one@example.test', name: 'Duplicate' },
        { email: 'who@example.test', name: 'Who', managerEmail: 'ghost@example.test' },
        { email: 'role@example.test', name: 'Role', role: 'boss', locale: 'fr', timezone: 'Mars/Olympus' },
        { email: 'self@example.test', name: 'Self', managerEmail: 'self@example.test' },
        { email: 'nameless@example.test', name: '' },
      ],
    })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error.code).toBe('invalid_batch')
    expect(body.error.details.errors).toEqual([
      { index: 1, field: 'email', message: '“not-an-email” is not a valid email address.' },
      { index: 4, field: 'role', message: 'Unknown role “boss”: use one of admin, hr, leader, marketing, employee.' },
      { index: 4, field: 'locale', message: 'Unknown language “fr”: use en or it.' },
      { index: 4, field: 'timezone', message: '“Mars/Olympus” is not an IANA time zone (for example Europe/Rome).' },
      { index: 6, field: 'name', message: 'Enter a name.' },
    ])
    // Items that pass on their own are then checked against each other and the database.
    const cross = await (
      await post({
        people: [
          { email: 'ok.one@example.test', name: 'OK One', team: 'Nowhere New' },
          { email: 'ok.one@example.test', name: 'Duplicate' },
          { email: 'who@example.test', name: 'Who', managerEmail: 'ghost@example.test' },
          { email: 'self@example.test', name: 'Self', managerEmail: 'self@example.test' },
          { email: 'fine@example.test', name: 'Fine', managerEmail: 'existing@example.test' },
        ],
      })
    ).json()
    expect(cross.error.details.errors).toEqual([
      { index: 1, field: 'email', message: 'Duplicate email ok.one@example.test in the batch: already at index 0.' },
      { index: 2, field: 'managerEmail', message: 'No person with the email ghost@example.test exists, in this batch or in Pulseboard.' },
      { index: 3, field: 'managerEmail', message: 'A person cannot report to themselves.' },
    ])
    expect([await peopleCount(), await teamCount()]).toEqual([people, teams])
  })

  it('refuses a batch that would close a reporting cycle, naming the chain, and writes nothing', async () => {
    const team = await createTeam(ctx.db, { name: 'Cycle Team' })
    const top = await createPerson(ctx.db, { email: 'top@example.test', name: 'Top', teamId: team.id })
    await createPerson(ctx.db, { email: 'mid@example.test', name: 'Mid', managerId: top.id, teamId: team.id })
    await setTeamManager(ctx.db, team.id, top.id)
    const [people, teams] = [await peopleCount(), await teamCount()]
    const res = await post({
      people: [
        { email: 'newbie@example.test', name: 'Newbie', team: 'Brand New Team' },
        { email: 'top@example.test', name: 'Top', managerEmail: 'mid@example.test' },
      ],
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.details.errors).toEqual([
      { index: 1, field: 'managerEmail', message: 'This would create a reporting cycle: top@example.test reports to mid@example.test reports to top@example.test.' },
    ])
    // A cycle entirely inside the batch is found too.
    const inside = await (
      await post({
        people: [
          { email: 'a.cycle@example.test', name: 'A', managerEmail: 'b.cycle@example.test' },
          { email: 'b.cycle@example.test', name: 'B', managerEmail: 'a.cycle@example.test' },
        ],
      })
    ).json()
    expect(inside.error.details.errors).toEqual([
      { index: 0, field: 'managerEmail', message: 'This would create a reporting cycle: a.cycle@example.test reports to b.cycle@example.test reports to a.cycle@example.test.' },
      { index: 1, field: 'managerEmail', message: 'This would create a reporting cycle: b.cycle@example.test reports to a.cycle@example.test reports to b.cycle@example.test.' },
    ])
    expect([await peopleCount(), await teamCount()]).toEqual([people, teams])
    const [top2] = await queryRows<{ manager_id: string | null }>(ctx.db, sql`select manager_id from people where email = 'top@example.test'`)
    expect(top2.manager_id).toBeNull()
  })

  it('answers 400 to a body that is not JSON or has no people array', async () => {
    const res = (await call(
      peopleApi.action,
      ctx,
      makeRequest('/api/v1/people', { method: 'POST', headers: { Authorization: `Bearer ${keys.admin}` }, body: 'nope' }),
    )) as Response
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('invalid_json')
    const empty = await post({ people: [] })
    expect(empty.status).toBe(400)
    expect((await empty.json()).error.code).toBe('invalid_request')
  })
})
