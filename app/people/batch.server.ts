import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { type Actor, recordAudit } from '~/audit/audit.server'
import { reportingCycles, transactionOrRollback } from './hierarchy.server'
import type { PersonUpsert } from './schemas'

/** A problem with one item of a bulk upsert that only the whole batch (or the database) reveals. */
export type BatchIssue =
  | { index: number; field: 'email'; code: 'duplicate'; email: string; firstIndex: number }
  | { index: number; field: 'managerEmail'; code: 'unknownManager'; value: string }
  | { index: number; field: 'managerEmail'; code: 'selfManager' }
  | { index: number; field: 'managerEmail'; code: 'cycle'; chain: string[] }

export type BatchCounts = { created: number; updated: number; unchanged: number; newTeams: string[] }
export type BatchOutcome = ({ ok: true; committed: boolean } & BatchCounts) | { ok: false; issues: BatchIssue[] } | { ok: false; changed: BatchCounts }

type Options = {
  actor: Actor
  /** preview: everything is written and checked, then rolled back; commit: kept if all is well. */
  mode: 'preview' | 'commit'
  /** The audit action of the whole batch, e.g. people.imported (CSV) or people.upserted (API). */
  action: string
  /** When committing after a preview: roll back if the counts differ from what was previewed. */
  expect?: { created: number; updated: number }
  /** Emails of items left out for their own errors (CSV rows), still valid as managers of others. */
  alsoInBatch?: string[]
}

/**
 * Upserts people by email, all or nothing. Every item is checked first (duplicates in the batch,
 * managers that exist neither in the batch nor in the database); then the batch is written in one
 * transaction — teams created as needed, managers linked, team managers derived — and reporting
 * cycles are looked for in SQL on the written state, rolling everything back if any appears.
 * An omitted field keeps what is stored (or the default for a new person); null clears it.
 */
export async function upsertPeople(db: Db, items: PersonUpsert[], options: Options): Promise<BatchOutcome> {
  const issues: BatchIssue[] = []
  const firstIndex = new Map<string, number>()
  items.forEach((item, index) => {
    const seen = firstIndex.get(item.email)
    if (seen !== undefined) issues.push({ index, field: 'email', code: 'duplicate', email: item.email, firstIndex: seen })
    else firstIndex.set(item.email, index)
    if (item.managerEmail && item.managerEmail === item.email) issues.push({ index, field: 'managerEmail', code: 'selfManager' })
  })
  const elsewhere = new Set(options.alsoInBatch ?? [])
  const outside = [...new Set(items.map((i) => i.managerEmail).filter((m): m is string => Boolean(m) && !firstIndex.has(m!) && !elsewhere.has(m!)))]
  if (outside.length) {
    const known = await queryRows<{ email: string }>(
      db,
      sql`select lower(email) as email from people where lower(email) in (select value from jsonb_array_elements_text(${JSON.stringify(outside)}::jsonb))`,
    )
    const knownSet = new Set(known.map((k) => k.email))
    items.forEach((item, index) => {
      if (item.managerEmail && !firstIndex.has(item.managerEmail) && !elsewhere.has(item.managerEmail) && !knownSet.has(item.managerEmail)) {
        issues.push({ index, field: 'managerEmail', code: 'unknownManager', value: item.managerEmail })
      }
    })
  }
  // Items with a problem of their own are left out of the trial write, which still runs so that
  // reporting cycles among the others are reported in the same answer.
  const flagged = new Set(issues.map((i) => i.index))
  const usable = items.map((item, idx) => ({ item, idx })).filter((e) => !flagged.has(e.idx))

  // Each item with "has" flags, so SQL can tell an omitted field (keep) from null (clear).
  const input = JSON.stringify(
    usable.map(({ item: i, idx }) => ({
      idx,
      email: i.email,
      name: i.name,
      has_role: i.role !== undefined,
      role: i.role ?? null,
      has_team: i.team !== undefined,
      team: i.team ?? null,
      has_manager: i.managerEmail !== undefined,
      manager_email: i.managerEmail ?? null,
      has_crm: i.crmOwnerKeys !== undefined,
      crm_owner_keys: i.crmOwnerKeys ?? null,
      has_locale: i.locale !== undefined,
      locale: i.locale ?? null,
      has_timezone: i.timezone !== undefined,
      timezone: i.timezone ?? null,
      has_active: i.active !== undefined,
      active: i.active ?? null,
    })),
  )
  const inputRows = sql`jsonb_to_recordset(${input}::jsonb) as i(idx int, email text, name text, has_role boolean, role text, has_team boolean, team text,
    has_manager boolean, manager_email text, has_crm boolean, crm_owner_keys text[], has_locale boolean, locale text, has_timezone boolean, timezone text,
    has_active boolean, active boolean)`

  const result = await transactionOrRollback<BatchCounts, BatchOutcome>(db, async (tx) => {
    const before = await queryRows<{ id: string; email: string; role: string }>(
      tx,
      sql`select p.id, lower(p.email) as email, p.role from people p join ${inputRows} on lower(p.email) = i.email for update of p`,
    )
    const newTeams = await queryRows<{ name: string }>(
      tx,
      sql`
        insert into teams (name)
        select distinct on (lower(btrim(i.team))) btrim(i.team) from ${inputRows}
        where i.has_team and i.team is not null and btrim(i.team) <> ''
        order by lower(btrim(i.team))
        on conflict ((lower(name))) do nothing
        returning name
      `,
    )
    // The final value of every column is computed against the stored row, so an unchanged person
    // is not touched (the WHERE of DO UPDATE) and does not come back from RETURNING.
    const written = await queryRows<{ id: string; inserted: boolean }>(
      tx,
      sql`
        insert into people as p (email, name, role, team_id, crm_owner_keys, locale, timezone, active, left_on)
        select i.email, i.name,
               case when i.has_role then i.role else coalesce(e.role, 'employee') end,
               case when i.has_team then (select t.id from teams t where lower(t.name) = lower(btrim(i.team))) else e.team_id end,
               case when i.has_crm then i.crm_owner_keys else coalesce(e.crm_owner_keys, '{}') end,
               case when i.has_locale then i.locale else e.locale end,
               case when i.has_timezone then i.timezone else e.timezone end,
               case when i.has_active then i.active else coalesce(e.active, true) end,
               case when not i.has_active then e.left_on
                    when i.active then null
                    else coalesce(e.left_on, current_date) end
        from ${inputRows}
        left join people e on lower(e.email) = i.email
        order by i.idx
        on conflict ((lower(email))) do update set
          name = excluded.name, role = excluded.role, team_id = excluded.team_id, crm_owner_keys = excluded.crm_owner_keys,
          locale = excluded.locale, timezone = excluded.timezone, active = excluded.active, left_on = excluded.left_on, updated_at = now()
        where (p.name, p.role, p.team_id, p.crm_owner_keys, p.locale, p.timezone, p.active, p.left_on)
              is distinct from (excluded.name, excluded.role, excluded.team_id, excluded.crm_owner_keys, excluded.locale, excluded.timezone, excluded.active, excluded.left_on)
        returning p.id, (p.xmax::text = '0') as inserted
      `,
    )
    const relinked = await queryRows<{ id: string }>(
      tx,
      sql`
        update people p set manager_id = m.id, updated_at = now()
        from ${inputRows}
        left join people m on lower(m.email) = i.manager_email
        where lower(p.email) = i.email and i.has_manager and p.manager_id is distinct from m.id
        returning p.id
      `,
    )
    const ids = await queryRows<{ id: string; idx: number; email: string }>(tx, sql`select p.id, i.idx, p.email from people p join ${inputRows} on lower(p.email) = i.email`)
    const cycles = await reportingCycles(
      tx,
      ids.map((r) => r.id),
    )
    if (cycles.length || issues.length) {
      const indexOf = new Map(ids.map((r) => [r.id, r.idx]))
      const cycleIssues = cycles.map((c): BatchIssue => ({ index: indexOf.get(c.personId)!, field: 'managerEmail', code: 'cycle', chain: c.chain.map((p) => p.email) }))
      return { rollback: { ok: false, issues: sortIssues([...issues, ...cycleIssues]) } }
    }
    // A team with no manager gets the member most of its other members report to (as the demo seed does).
    await tx.execute(sql`
      update teams t set manager_id = best.manager_id
      from (
        select distinct on (p.team_id) p.team_id, p.manager_id
        from people p
        join people m on m.id = p.manager_id and m.team_id = p.team_id
        where p.active and p.team_id in (select team_id from people x join ${inputRows} on lower(x.email) = i.email where x.team_id is not null)
        group by p.team_id, p.manager_id
        order by p.team_id, count(*) desc, p.manager_id
      ) best
      where t.id = best.team_id and t.manager_id is null
    `)
    // Deactivated people lose their sessions with the same commit.
    await tx.execute(sql`delete from sessions s using people p join ${inputRows} on lower(p.email) = i.email where s.person_id = p.id and not p.active`)

    const insertedIds = new Set(written.filter((w) => w.inserted).map((w) => w.id))
    const changed = new Set([...written.filter((w) => !w.inserted).map((w) => w.id), ...relinked.map((r) => r.id)].filter((id) => !insertedIds.has(id)))
    const counts: BatchCounts = { created: insertedIds.size, updated: changed.size, unchanged: items.length - insertedIds.size - changed.size, newTeams: newTeams.map((t) => t.name) }

    const roles = await queryRows<{ id: string; email: string; role: string }>(tx, sql`select p.id, p.email, p.role from people p join ${inputRows} on lower(p.email) = i.email`)
    const oldRole = new Map(before.map((b) => [b.id, b.role]))
    for (const r of roles) {
      const from = oldRole.get(r.id)
      if (from && from !== r.role) await recordAudit(tx, { ...options.actor, action: 'person.role_changed', target: r.id, details: { email: r.email, from, to: r.role } })
    }
    await recordAudit(tx, { ...options.actor, action: options.action, details: { created: counts.created, updated: counts.updated, unchanged: counts.unchanged, newTeams: counts.newTeams } })

    if (options.mode === 'preview') return { rollback: { ok: true, committed: false, ...counts } }
    if (options.expect && (options.expect.created !== counts.created || options.expect.updated !== counts.updated)) return { rollback: { ok: false, changed: counts } }
    return { commit: counts }
  })
  return result.committed ? { ok: true, committed: true, ...result.value } : result.value
}

function sortIssues(issues: BatchIssue[]) {
  return issues.sort((a, b) => a.index - b.index || a.field.localeCompare(b.field))
}
