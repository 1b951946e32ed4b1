import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { AppContext } from '~/context'
import * as importRoute from '~/routes/people.import'
import { setupTestContext } from '#test/support/context'
import { createPerson } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext
let admin: string

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')

beforeAll(async () => {
  ctx = await setupTestContext()
  const person = await createPerson(ctx.db, { email: 'import.admin@example.test', name: 'Import Admin', role: 'admin', locale: 'en' })
  admin = await signedInCookie(ctx, person.id)
})

type Result = {
  preview?: { ok: boolean; rows: number; created?: number; updated?: number; unchanged?: number; newTeams?: string[]; issues?: { line: number; column: string; message: string }[] }
  csv?: string
  done?: { created: number; updated: number }
  fileError?: string
  notice?: string
}

async function upload(csv: string, name = 'people.csv', cookie = admin): Promise<Result> {
  const form = new FormData()
  form.set('intent', 'preview')
  form.set('file', new File([csv], name, { type: 'text/csv' }))
  return (await call(importRoute.action, ctx, makeRequest('/people/import', { method: 'POST', body: form, cookie }))) as Result
}

async function commit(preview: Result, cookie = admin): Promise<Result> {
  return (await call(
    importRoute.action,
    ctx,
    makeRequest('/people/import', { form: { intent: 'commit', csv: preview.csv!, created: String(preview.preview!.created), updated: String(preview.preview!.updated) }, cookie }),
  )) as Result
}

const counts = async () => (await queryRows<{ people: number; teams: number; audit: number }>(ctx.db, sql`select (select count(*)::int from people) as people, (select count(*)::int from teams) as teams, (select count(*)::int from audit_log) as audit`))[0]

describe('people CSV import', () => {
  it('previews test/fixtures/people.csv as 18 new (writing nothing), then commits them with their teams and managers', async () => {
    const before = await counts()
    const preview = await upload(fixture('people.csv'))
    expect(preview.preview).toEqual({ ok: true, committed: false, rows: 18, created: 18, updated: 0, unchanged: 0, newTeams: ['London', 'Milano', 'Roma'] })
    expect(await counts()).toEqual(before)

    const done = await commit(preview)
    expect(done.done).toEqual({ created: 18, updated: 0 })
    const teams = await queryRows<{ name: string; manager: string; members: number }>(
      ctx.db,
      sql`select t.name, m.email as manager, (select count(*)::int from people p where p.team_id = t.id) as members from teams t join people m on m.id = t.manager_id order by t.name`,
    )
    expect(teams).toEqual([
      { name: 'London', manager: 'rachel.moore@example.co.uk', members: 5 },
      { name: 'Milano', manager: 'francesca.conti@example.it', members: 5 },
      { name: 'Roma', manager: 'paolo.ferrari@example.it', members: 5 },
    ])
    const giulia = await queryRows<{ manager: string; role: string; keys: string[]; locale: string; timezone: string }>(
      ctx.db,
      sql`select m.email as manager, p.role, p.crm_owner_keys as keys, p.locale, p.timezone from people p join people m on m.id = p.manager_id where p.email = 'giulia.rossi@example.it'`,
    )
    expect(giulia).toEqual([{ manager: 'francesca.conti@example.it', role: 'employee', keys: ['Giulia Rossi'], locale: 'it', timezone: 'Europe/Rome' }])
    const [valentina] = await queryRows<{ manager: string; team: string | null; role: string }>(
      ctx.db,
      sql`select m.email as manager, p.team_id as team, p.role from people p join people m on m.id = p.manager_id where p.email = 'valentina.gallo@example.it'`,
    )
    expect(valentina).toEqual({ manager: 'alessandro.bruno@example.it', team: null, role: 'hr' })
    const audit = await queryRows<{ action: string; details: Record<string, unknown> }>(ctx.db, sql`select action, details from audit_log where action = 'people.imported'`)
    expect(audit).toEqual([{ action: 'people.imported', details: { created: 18, updated: 0, unchanged: 0, newTeams: ['London', 'Milano', 'Roma'] } }])
    expect(await counts()).toEqual({ people: before.people + 18, teams: 3, audit: before.audit + 1 })
  })

  it('re-importing the same file finds 18 unchanged and offers nothing to commit', async () => {
    const before = await counts()
    const preview = await upload(fixture('people.csv'))
    expect(preview.preview).toEqual({ ok: true, committed: false, rows: 18, created: 0, updated: 0, unchanged: 18, newTeams: [] })
    expect(await counts()).toEqual(before)
  })

  it('lists every bad row with its line number and reason, and nothing can be written', async () => {
    const before = await counts()
    const preview = await upload(fixture('people/bad-rows.csv'))
    expect(preview.preview?.ok).toBe(false)
    expect(preview.preview?.issues).toEqual([
      { line: 3, column: 'manager_email', message: 'Unknown manager ghost@example.it: not in this file nor in Pulseboard.' },
      { line: 4, column: 'email', message: 'Duplicate email anna.verdi@example.it: already on line 2.' },
      { line: 5, column: 'email', message: '“not-an-email” is not a valid email address.' },
      { line: 6, column: 'role', message: 'Unknown role “boss”: use one of admin, hr, leader, marketing, employee.' },
      { line: 7, column: 'manager_email', message: 'This would create a reporting cycle: elisa.blu@example.it reports to fabio.rosa@example.it reports to elisa.blu@example.it.' },
      { line: 8, column: 'manager_email', message: 'This would create a reporting cycle: fabio.rosa@example.it reports to elisa.blu@example.it reports to fabio.rosa@example.it.' },
      { line: 9, column: 'locale', message: 'Unknown language “fr”: use en or it.' },
      { line: 10, column: 'timezone', message: '“Europe/Roma” is not an IANA time zone (for example Europe/Rome).' },
    ])
    // Forcing a commit of the bad file is re-validated and refused the same way.
    const forced = (await call(importRoute.action, ctx, makeRequest('/people/import', { form: { intent: 'commit', csv: fixture('people/bad-rows.csv'), created: '5', updated: '0' }, cookie: admin }))) as Result
    expect(forced.done).toBeUndefined()
    expect(forced.preview?.issues).toHaveLength(8)
    expect(await counts()).toEqual(before)
  })

  it('reads Italian headers in any order, semicolons, a BOM and role labels; reasons in the viewer’s language', async () => {
    const it = await createPerson(ctx.db, { email: 'admin.it@example.test', name: 'Admin IT', role: 'admin', locale: 'it' })
    const cookie = await signedInCookie(ctx, it.id)
    const preview = await upload(fixture('people/italian-headers.csv'), 'persone.csv', cookie)
    expect(preview.preview).toEqual({ ok: true, committed: false, rows: 3, created: 3, updated: 0, unchanged: 0, newTeams: ['Torino'] })
    expect((await commit(preview, cookie)).done).toEqual({ created: 3, updated: 0 })
    const rows = await queryRows<{ email: string; role: string; team: string | null; manager: string | null; timezone: string | null; locale: string }>(
      ctx.db,
      sql`select p.email, p.role, t.name as team, m.email as manager, p.timezone, p.locale from people p left join teams t on t.id = p.team_id left join people m on m.id = p.manager_id
          where p.email in ('anna.verdi@example.it', 'bruno.neri@example.it', 'carla.bianchi@example.it') order by p.email`,
    )
    expect(rows).toEqual([
      { email: 'anna.verdi@example.it', role: 'employee', team: 'Torino', manager: null, timezone: 'Europe/Rome', locale: 'it' },
      { email: 'bruno.neri@example.it', role: 'employee', team: 'Torino', manager: 'anna.verdi@example.it', timezone: 'Europe/Rome', locale: 'it' },
      { email: 'carla.bianchi@example.it', role: 'hr', team: null, manager: null, timezone: null, locale: 'en' },
    ])
    const bad = await upload('Nome;E-mail;Ruolo\nX;x@example.it;capo\n', 'x.csv', cookie)
    expect(bad.preview?.issues).toEqual([{ line: 2, column: 'role', message: 'Ruolo sconosciuto “capo”: usa uno tra admin, hr, leader, marketing, employee.' }])

    const english = await upload(fixture('people/english-aliases.csv'))
    expect(english.preview).toMatchObject({ ok: true, created: 2, newTeams: ['Leeds'] })
  })

  it('refuses a file without the email and name columns, an empty upload and an empty file', async () => {
    expect((await upload('foo,bar\n1,2\n')).fileError).toBe('The header must include the columns email, name.')
    expect((await upload('email,name\n')).fileError).toBe('The file has no rows under its header.')
    const form = new FormData()
    form.set('intent', 'preview')
    const none = (await call(importRoute.action, ctx, makeRequest('/people/import', { method: 'POST', body: form, cookie: admin }))) as Result
    expect(none.fileError).toBe('Choose a CSV file to upload.')
  })

  it('shows a fresh preview instead of committing when the data changed since the preview', async () => {
    const csv = 'email,name,team\nlate.change@example.test,Late Change,Milano\n'
    const preview = await upload(csv)
    expect(preview.preview).toMatchObject({ created: 1, updated: 0 })
    await createPerson(ctx.db, { email: 'late.change@example.test', name: 'Someone Else' })
    const result = await commit(preview)
    expect(result.done).toBeUndefined()
    expect(result.notice).toBe('The data changed since the preview; check the new preview and confirm again.')
    expect(result.preview).toMatchObject({ created: 0, updated: 1 })
  })
})
