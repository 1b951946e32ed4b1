import { and, eq, or, sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { people, teams } from '#db/schema'
import type { Role } from '#db/schema/people'
import { type Actor, recordAudit } from '~/audit/audit.server'
import { revokeSessionsOf } from '~/auth/session.server'
import type { Locale } from '~/i18n/locale'
import { reportingCycles, transactionOrRollback } from './hierarchy.server'
import { PAGE_SIZE, type PeopleSearch, type PersonForm } from './schemas'

export async function setPersonLocale(db: Db, personId: string, locale: Locale) {
  await db.update(people).set({ locale, updatedAt: new Date() }).where(eq(people.id, personId))
}

export type PersonRow = {
  id: string
  name: string
  email: string
  role: Role
  active: boolean
  teamId: string | null
  teamName: string | null
  managerId: string | null
  managerName: string | null
  leftOn: string | null
}

/** One page of people matching a search (name or email), a team and a status; counted in the same query. */
export async function listPeople(db: Db, search: PeopleSearch) {
  const page = search.page ?? 1
  const q = search.q ? `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null
  const status = search.status ?? 'active'
  const team = search.team === undefined ? sql`true` : search.team === 'none' ? sql`p.team_id is null` : sql`p.team_id = ${search.team}::uuid`
  const rows = await queryRows<PersonRow & { total: number }>(
    db,
    sql`
      select p.id, p.name, p.email, p.role, p.active, p.team_id as "teamId", t.name as "teamName",
             p.manager_id as "managerId", m.name as "managerName", p.left_on::text as "leftOn",
             count(*) over ()::int as total
      from people p
      left join teams t on t.id = p.team_id
      left join people m on m.id = p.manager_id
      where (${q}::text is null or p.name ilike ${q} or p.email ilike ${q})
        and ${team}
        and (${status} = 'all' or p.active = (${status} = 'active'))
      order by lower(p.name), p.id
      limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}
    `,
  )
  const total: number = rows[0]?.total ?? (page > 1 ? await countPeople(db, search) : 0)
  return { people: rows.map(({ total: _total, ...r }) => r), total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) }
}

async function countPeople(db: Db, search: PeopleSearch): Promise<number> {
  const { total } = await listPeople(db, { ...search, page: 1 })
  return total
}

/**
 * Everyone who could be picked as a manager or team manager (active people), for select fields,
 * plus the one currently chosen even if deactivated, so saving a form does not silently drop it.
 */
export async function personOptions(db: Db, current: string | null = null) {
  return db
    .select({ id: people.id, name: people.name, email: people.email })
    .from(people)
    .where(current ? or(eq(people.active, true), eq(people.id, current)) : eq(people.active, true))
    .orderBy(sql`lower(${people.name})`, people.id)
}

export async function teamOptions(db: Db) {
  return db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(sql`lower(${teams.name})`, teams.id)
}

/** A person with their team, manager and reports; `personId` is a uuid (the route checks it), null when there is no such person. */
export async function getPerson(db: Db, personId: string) {
  const [person] = await queryRows<{
    id: string
    name: string
    email: string
    role: Role
    locale: Locale | null
    timezone: string | null
    teamId: string | null
    teamName: string | null
    managerId: string | null
    managerName: string | null
    crmOwnerKeys: string[]
    active: boolean
    startedOn: string | null
    leftOn: string | null
    reports: { id: string; name: string; active: boolean }[]
  }>(
    db,
    sql`
      select p.id, p.name, p.email, p.role, p.locale, p.timezone, p.team_id as "teamId", t.name as "teamName",
             p.manager_id as "managerId", m.name as "managerName", p.crm_owner_keys as "crmOwnerKeys", p.active,
             p.started_on::text as "startedOn", p.left_on::text as "leftOn",
             coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'name', r.name, 'active', r.active) order by lower(r.name))
                       from people r where r.manager_id = p.id), '[]'::jsonb) as reports
      from people p
      left join teams t on t.id = p.team_id
      left join people m on m.id = p.manager_id
      where p.id = ${personId}::uuid
    `,
  )
  return person ?? null
}

export type PersonError =
  | { field: 'email'; code: 'emailTaken'; email: string }
  | { field: 'managerId'; code: 'cycle'; chain: string[] }
  | { field: 'managerId'; code: 'selfManager' }
  | { field: 'managerId'; code: 'unknownPerson' }
  | { field: 'teamId'; code: 'unknownTeam' }
  | { field: 'role'; code: 'ownRole' }

type Outcome = { ok: true; id: string } | { ok: false; error: PersonError }

/** Checks what the form's schema cannot: the email is free, the team and manager exist. */
async function precheck(db: Db, personId: string | null, input: PersonForm): Promise<PersonError | null> {
  const [row] = await queryRows<{ emailTaken: boolean; teamExists: boolean; managerExists: boolean }>(
    db,
    sql`
      select exists (select 1 from people where lower(email) = lower(${input.email}) and (${personId}::uuid is null or id <> ${personId}::uuid)) as "emailTaken",
             (${input.teamId}::uuid is null or exists (select 1 from teams where id = ${input.teamId}::uuid)) as "teamExists",
             (${input.managerId}::uuid is null or exists (select 1 from people where id = ${input.managerId}::uuid)) as "managerExists"
    `,
  )
  if (row.emailTaken) return { field: 'email', code: 'emailTaken', email: input.email }
  if (!row.teamExists) return { field: 'teamId', code: 'unknownTeam' }
  if (!row.managerExists) return { field: 'managerId', code: 'unknownPerson' }
  if (personId && input.managerId === personId) return { field: 'managerId', code: 'selfManager' }
  return null
}

function isUniqueViolation(error: unknown) {
  const e = error as { code?: string; cause?: { code?: string } }
  return e?.code === '23505' || e?.cause?.code === '23505'
}

export async function createPerson(db: Db, actor: Actor, input: PersonForm): Promise<Outcome> {
  const problem = await precheck(db, null, input)
  if (problem) return { ok: false, error: problem }
  try {
    const [person] = await db
      .insert(people)
      .values({
        name: input.name,
        email: input.email,
        role: input.role,
        locale: input.locale,
        timezone: input.timezone,
        teamId: input.teamId,
        managerId: input.managerId,
        crmOwnerKeys: input.crmOwnerKeys,
        startedOn: input.startedOn,
        leftOn: input.leftOn,
      })
      .returning({ id: people.id })
    await recordAudit(db, { ...actor, action: 'person.created', target: person.id, details: { email: input.email, role: input.role } })
    return { ok: true, id: person.id }
  } catch (error) {
    // Two admins adding the same email at once: the unique index decides.
    if (isUniqueViolation(error)) return { ok: false, error: { field: 'email', code: 'emailTaken', email: input.email } }
    throw error
  }
}

/**
 * Saves the edit form. The new manager is written first and the reporting line checked in SQL in
 * the same transaction, which is rolled back when it would close a cycle.
 */
export async function updatePerson(db: Db, actor: Actor, personId: string, input: PersonForm): Promise<Outcome | null> {
  // An admin demoting themselves would lock the door behind them.
  if (actor.actorId === personId && input.role !== 'admin') return { ok: false, error: { field: 'role', code: 'ownRole' } }
  const problem = await precheck(db, personId, input)
  if (problem) return { ok: false, error: problem }
  try {
    const result = await transactionOrRollback<Outcome | null, PersonError>(db, async (tx) => {
      const [before] = await tx.select({ role: people.role, email: people.email }).from(people).where(eq(people.id, personId)).for('update')
      if (!before) return { commit: null }
      await tx
        .update(people)
        .set({
          name: input.name,
          email: input.email,
          role: input.role,
          locale: input.locale,
          timezone: input.timezone,
          teamId: input.teamId,
          managerId: input.managerId,
          crmOwnerKeys: input.crmOwnerKeys,
          startedOn: input.startedOn,
          leftOn: input.leftOn,
          updatedAt: new Date(),
        })
        .where(eq(people.id, personId))
      const [cycle] = await reportingCycles(tx, [personId])
      if (cycle) return { rollback: { field: 'managerId', code: 'cycle', chain: cycle.chain.map((p) => p.name) } }
      if (before.role !== input.role) {
        await recordAudit(tx, { ...actor, action: 'person.role_changed', target: personId, details: { email: input.email, from: before.role, to: input.role } })
      }
      return { commit: { ok: true, id: personId } }
    })
    return result.committed ? result.value : { ok: false, error: result.value }
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, error: { field: 'email', code: 'emailTaken', email: input.email } }
    throw error
  }
}

/** Deactivates a person: no sign-in (every session ends now), no surveys; kept in history. */
export async function deactivatePerson(db: Db, actor: Actor, personId: string, today: string): Promise<boolean | 'self'> {
  if (actor.actorId === personId) return 'self'
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(people)
      .set({ active: false, leftOn: sql`coalesce(${people.leftOn}, ${today}::date)`, updatedAt: new Date() })
      .where(and(eq(people.id, personId), eq(people.active, true)))
      .returning({ id: people.id, email: people.email })
    if (!row) return false
    await revokeSessionsOf(tx, personId)
    await recordAudit(tx, { ...actor, action: 'person.deactivated', target: personId, details: { email: row.email } })
    return true
  })
}

export async function reactivatePerson(db: Db, actor: Actor, personId: string) {
  const [row] = await db
    .update(people)
    .set({ active: true, leftOn: null, updatedAt: new Date() })
    .where(and(eq(people.id, personId), eq(people.active, false)))
    .returning({ id: people.id, email: people.email })
  if (row) await recordAudit(db, { ...actor, action: 'person.reactivated', target: personId, details: { email: row.email } })
  return Boolean(row)
}

/** GET /api/v1/people: everyone (or a filtered subset), as the API documents it. */
export async function apiListPeople(db: Db, filter: { q?: string; team?: string; active?: 'true' | 'false' | 'all' }) {
  const q = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null
  const active = filter.active ?? 'all'
  return queryRows<{
    id: string
    email: string
    name: string
    role: Role
    team: string | null
    teamId: string | null
    managerEmail: string | null
    crmOwnerKeys: string[]
    locale: Locale | null
    timezone: string | null
    active: boolean
  }>(
    db,
    sql`
      select p.id, p.email, p.name, p.role, t.name as team, p.team_id as "teamId", m.email as "managerEmail",
             p.crm_owner_keys as "crmOwnerKeys", p.locale, p.timezone, p.active
      from ${people} p
      left join ${teams} t on t.id = p.team_id
      left join people m on m.id = p.manager_id
      where (${q}::text is null or p.name ilike ${q} or p.email ilike ${q})
        and (${filter.team ?? null}::text is null or lower(t.name) = lower(${filter.team ?? null}))
        and (${active} = 'all' or p.active = (${active} = 'true'))
      order by lower(p.email)
    `,
  )
}
