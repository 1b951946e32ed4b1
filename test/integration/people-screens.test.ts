import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { AppContext } from '~/context'
import * as personPage from '~/routes/people.$personId'
import * as peopleList from '~/routes/people._index'
import * as peopleNew from '~/routes/people.new'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext
let admin: string
let adminId: string
let hr: string

beforeAll(async () => {
  ctx = await setupTestContext()
  const a = await createPerson(ctx.db, { email: 'admin@screens.test', name: 'Ada Admin', role: 'admin', locale: 'en' })
  adminId = a.id
  admin = await signedInCookie(ctx, a.id)
  hr = await signedInCookie(ctx, (await createPerson(ctx.db, { email: 'hr@screens.test', name: 'Harriet HR', role: 'hr', locale: 'it' })).id)
})

type Reply = { result: { status?: string; error?: Record<string, string[] | null> } }
const errorsOf = async (res: unknown) => {
  expect(res).toBeInstanceOf(Response)
  const response = res as Response
  expect(response.status).toBe(400)
  return ((await response.json()) as Reply).result.error
}
const form = (values: Record<string, string>) => ({ intent: 'save', name: 'Someone', email: 'someone@screens.test', role: 'employee', ...values })
const save = (personId: string, values: Record<string, string>, cookie = admin) =>
  call(personPage.action as never, ctx, makeRequest(`/people/${personId}`, { form: form(values), cookie }), { personId })

describe('people list', () => {
  it('searches by name or email, filters by team and status, and pages by 50', async () => {
    const team = await createTeam(ctx.db, { name: 'Search Team' })
    for (let i = 0; i < 55; i++) await createPerson(ctx.db, { email: `bulk.${String(i).padStart(2, '0')}@screens.test`, name: `Bulk Person ${String(i).padStart(2, '0')}`, teamId: i < 3 ? team.id : null })
    await createPerson(ctx.db, { email: 'gone@screens.test', name: 'Bulk Gone', active: false })
    type List = { people: { name: string }[]; total: number; page: number; pages: number; canWrite: boolean }
    const list = (query: string, cookie = admin) => call(peopleList.loader as never, ctx, makeRequest(`/people${query}`, { cookie })) as Promise<List>

    const first = await list('?q=bulk')
    expect([first.total, first.pages, first.people.length, first.canWrite]).toEqual([55, 2, 50, true])
    const second = await list('?q=bulk&page=2')
    expect(second.people.map((p) => p.name)).toEqual(['Bulk Person 50', 'Bulk Person 51', 'Bulk Person 52', 'Bulk Person 53', 'Bulk Person 54'])
    expect((await list('?q=BULK.07@')).people.map((p) => p.name)).toEqual(['Bulk Person 07'])
    expect((await list(`?q=bulk&team=${team.id}`)).total).toBe(3)
    expect((await list('?q=bulk&status=inactive')).people.map((p) => p.name)).toEqual(['Bulk Gone'])
    expect((await list('?q=bulk&status=all')).total).toBe(56)
    // "%" is searched literally, not as a wildcard.
    expect((await list('?q=%25')).total).toBe(0)
    // HR reads the list but gets no write controls.
    expect((await list('?q=bulk', hr)).canWrite).toBe(false)
  })
})

describe('adding and editing a person', () => {
  it('creates a person and refuses an email already taken in another case, with a clear message', async () => {
    const team = await createTeam(ctx.db, { name: 'New Team' })
    const res = (await call(
      peopleNew.action as never,
      ctx,
      makeRequest('/people/new', {
        form: form({ name: 'Nora New', email: ' Nora.New@Screens.test ', role: 'marketing', teamId: team.id, managerId: adminId, locale: 'it', timezone: 'europe/rome', crmOwnerKeys: 'Nora New\n005ABC\nNora New', startedOn: '2026-01-05' }),
        cookie: admin,
      }),
    )) as Response
    expect(res.status).toBe(302)
    const id = res.headers.get('Location')!.match(/^\/people\/([0-9a-f-]{36})\?saved=created$/)![1]
    const [row] = await queryRows<Record<string, unknown>>(
      ctx.db,
      sql`select email, name, role, team_id, manager_id, locale, timezone, crm_owner_keys, started_on::text as started from people where id = ${id}`,
    )
    expect(row).toEqual({ email: 'nora.new@screens.test', name: 'Nora New', role: 'marketing', team_id: team.id, manager_id: adminId, locale: 'it', timezone: 'Europe/Rome', crm_owner_keys: ['Nora New', '005ABC'], started: '2026-01-05' })

    const dup = await call(peopleNew.action as never, ctx, makeRequest('/people/new', { form: form({ name: 'Other', email: 'NORA.NEW@screens.test' }), cookie: admin }))
    expect((await errorsOf(dup))?.email).toEqual(['nora.new@screens.test already belongs to someone else (emails are unique, whatever their case).'])
  })

  it('validates each field with a message naming what is accepted, and changes nothing', async () => {
    const person = await createPerson(ctx.db, { email: 'valid@screens.test', name: 'Val Id' })
    const errors = await errorsOf(await save(person.id, { name: '', email: 'nope', role: 'boss', locale: 'fr', timezone: 'Mars/Base' }))
    expect(errors).toEqual({
      name: ['Enter a name.'],
      email: ['“nope” is not a valid email address.'],
      role: ['Unknown role “boss”: use one of admin, hr, leader, marketing, employee.'],
      locale: ['Unknown language “fr”: use en or it.'],
      timezone: ['“Mars/Base” is not an IANA time zone (for example Europe/Rome).'],
    })
    const dates = await errorsOf(await save(person.id, { name: 'Val Id', email: 'valid@screens.test', startedOn: '2026-02-01', leftOn: '2026-01-01' }))
    expect(dates).toEqual({ leftOn: ['The leaving date cannot be before the start date.'] })
    const badDate = await errorsOf(await save(person.id, { name: 'Val Id', email: 'valid@screens.test', startedOn: '2026-02-30' }))
    expect(badDate).toEqual({ startedOn: ['Enter a date as YYYY-MM-DD.'] })
    const [row] = await queryRows<{ name: string }>(ctx.db, sql`select name from people where id = ${person.id}`)
    expect(row.name).toBe('Val Id')
  })

  it('refuses a reports-to cycle in the edit form, naming the chain, and keeps the old manager', async () => {
    const boss = await createPerson(ctx.db, { email: 'boss@screens.test', name: 'Bianca Boss' })
    const mid = await createPerson(ctx.db, { email: 'mid@screens.test', name: 'Mario Mid', managerId: boss.id })
    const rep = await createPerson(ctx.db, { email: 'rep@screens.test', name: 'Rita Rep', managerId: mid.id })
    const errors = await errorsOf(await save(boss.id, { name: 'Bianca Boss', email: 'boss@screens.test', managerId: rep.id }))
    expect(errors?.managerId).toEqual(['This would create a reporting cycle: Bianca Boss reports to Rita Rep reports to Mario Mid reports to Bianca Boss.'])
    const self = await errorsOf(await save(boss.id, { name: 'Bianca Boss', email: 'boss@screens.test', managerId: boss.id }))
    expect(self?.managerId).toEqual(['A person cannot report to themselves.'])
    const [row] = await queryRows<{ manager_id: string | null }>(ctx.db, sql`select manager_id from people where id = ${boss.id}`)
    expect(row.manager_id).toBeNull()
    // In Italian for an Italian-speaking admin.
    const it = await signedInCookie(ctx, (await createPerson(ctx.db, { email: 'admin.it@screens.test', name: 'Admin IT', role: 'admin', locale: 'it' })).id)
    const italian = await errorsOf(await save(boss.id, { name: 'Bianca Boss', email: 'boss@screens.test', managerId: rep.id }, it))
    expect(italian?.managerId).toEqual(['Si creerebbe un ciclo di riporto: Bianca Boss riporta a Rita Rep riporta a Mario Mid riporta a Bianca Boss.'])
  })

  it('records role changes in the audit log: who changed whose role from what to what', async () => {
    const person = await createPerson(ctx.db, { email: 'promo@screens.test', name: 'Pia Promo', role: 'employee' })
    const res = (await save(person.id, { name: 'Pia Promo', email: 'promo@screens.test', role: 'hr' })) as Response
    expect(res.headers.get('Location')).toBe(`/people/${person.id}?saved=saved`)
    await save(person.id, { name: 'Pia P. Promo', email: 'promo@screens.test', role: 'hr' })
    const audit = await queryRows<{ actor_id: string; target: string; details: unknown }>(ctx.db, sql`select actor_id, target, details from audit_log where action = 'person.role_changed' and target = ${person.id}`)
    expect(audit).toEqual([{ actor_id: adminId, target: person.id, details: { email: 'promo@screens.test', from: 'employee', to: 'hr' } }])
  })

  it('deactivates (ending every session, setting the leaving date) and reactivates', async () => {
    const person = await createPerson(ctx.db, { email: 'leaver@screens.test', name: 'Leo Leaver' })
    const cookie = await signedInCookie(ctx, person.id)
    const res = (await call(personPage.action as never, ctx, makeRequest(`/people/${person.id}`, { form: { intent: 'deactivate' }, cookie: admin }), { personId: person.id })) as Response
    expect(res.headers.get('Location')).toBe(`/people/${person.id}?saved=deactivated`)
    const [row] = await queryRows<{ active: boolean; left: boolean; sessions: number }>(
      ctx.db,
      sql`select active, left_on is not null as left, (select count(*)::int from sessions where person_id = ${person.id}) as sessions from people where id = ${person.id}`,
    )
    expect(row).toEqual({ active: false, left: true, sessions: 0 })
    // The old cookie no longer signs anyone in.
    const after = (await call(peopleList.loader as never, ctx, makeRequest('/people', { cookie }))) as Response
    expect(after.status).toBe(302)
    await call(personPage.action as never, ctx, makeRequest(`/people/${person.id}`, { form: { intent: 'reactivate' }, cookie: admin }), { personId: person.id })
    const [back] = await queryRows<{ active: boolean; left_on: string | null }>(ctx.db, sql`select active, left_on from people where id = ${person.id}`)
    expect(back).toEqual({ active: true, left_on: null })
  })

  it('refuses to let an admin deactivate themselves or drop their own admin role', async () => {
    const self = (await call(personPage.action as never, ctx, makeRequest(`/people/${adminId}`, { form: { intent: 'deactivate' }, cookie: admin }), { personId: adminId })) as Response
    expect(self.status).toBe(400)
    expect(await self.json()).toEqual({ statusError: 'You cannot deactivate yourself; ask another administrator.' })
    const demote = await errorsOf(await save(adminId, { name: 'Ada Admin', email: 'admin@screens.test', role: 'employee' }))
    expect(demote?.role).toEqual(['You cannot remove your own admin role; ask another administrator.'])
    const [row] = await queryRows<{ role: string; active: boolean }>(ctx.db, sql`select role, active from people where id = ${adminId}`)
    expect(row).toEqual({ role: 'admin', active: true })
  })

  it('keeps a deactivated manager selectable on the edit form, so saving does not drop them', async () => {
    const gone = await createPerson(ctx.db, { email: 'gone.boss@screens.test', name: 'Gone Boss', active: false })
    const rep = await createPerson(ctx.db, { email: 'kept.rep@screens.test', name: 'Kept Rep', managerId: gone.id })
    const data = (await call(personPage.loader as never, ctx, makeRequest(`/people/${rep.id}`, { cookie: admin }), { personId: rep.id })) as { people: { id: string }[] }
    expect(data.people.some((p) => p.id === gone.id)).toBe(true)
    const other = (await call(personPage.loader as never, ctx, makeRequest(`/people/${adminId}`, { cookie: admin }), { personId: adminId })) as { people: { id: string }[] }
    expect(other.people.some((p) => p.id === gone.id)).toBe(false)
  })

  it('shows a person to HR read-only, with direct reports, and 404s an unknown id', async () => {
    const boss = await createPerson(ctx.db, { email: 'shown@screens.test', name: 'Sh Own' })
    await createPerson(ctx.db, { email: 'report@screens.test', name: 'Re Port', managerId: boss.id })
    const data = (await call(personPage.loader as never, ctx, makeRequest(`/people/${boss.id}`, { cookie: hr }), { personId: boss.id })) as {
      canWrite: boolean
      person: { reports: { name: string }[] }
      people: unknown[]
    }
    expect(data.canWrite).toBe(false)
    expect(data.people).toEqual([])
    expect(data.person.reports.map((r) => r.name)).toEqual(['Re Port'])
    const missing = (await call(personPage.loader as never, ctx, makeRequest('/people/nope', { cookie: hr }), { personId: 'nope' })) as Response
    expect(missing.status).toBe(404)
  })
})
