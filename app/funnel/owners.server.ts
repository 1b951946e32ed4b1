import { eq, sql } from 'drizzle-orm'
import { type Db, type DbOrTx, queryRows } from '#db/client'
import { type CrmSource, ownerMappings, people } from '#db/schema'
import { recordAudit } from '~/audit/audit.server'
import type { IntentTable } from '~/forms/intents'
import { ownerForms } from './owner-forms'

/**
 * Who owns a CRM row. A row keeps the owner key the CRM exported (a name, an email or a user id);
 * owner_id is derived from it, in this order: an admin's explicit mapping (owner_mappings, keys
 * lower-cased), a person whose crm_owner_keys contain it (any case), a person with that email.
 * Rows nobody matches keep owner_id NULL and are listed as unmapped owners until an admin maps
 * them; they are never dropped.
 *
 * Callers put these keys in a MATERIALIZED CTE: inlined, PostgreSQL evaluates the three look-ups
 * once per joined row instead of once per distinct key (a 1,000,000-row import against 2,000
 * people was still in its merge after half an hour).
 */
export const resolvedKeys = (table: string, source?: CrmSource) => sql`
  select k.owner_key, coalesce(
    (select m.person_id from owner_mappings m where m.owner_key = lower(k.owner_key)),
    (select p.id from people p
       where exists (select 1 from unnest(p.crm_owner_keys) as ck(v) where lower(ck.v) = lower(k.owner_key))
       order by p.active desc, p.created_at limit 1),
    (select p.id from people p where lower(p.email) = lower(k.owner_key) limit 1)
  ) as person_id
  from (select distinct owner_key from ${sql.identifier(table)} ${source ? sql`where source = ${source}` : sql``}) k`

/**
 * Recomputes owner_id for every row (of one source, when given) whose resolution changed: newly
 * mapped keys, a deal reassigned to another owner key, a person added with matching CRM keys.
 * Set-based: one UPDATE per table over the distinct owner keys, so it stays cheap at 1M rows.
 */
export async function resolveOwners(tx: DbOrTx, source?: CrmSource): Promise<{ opportunities: number; leads: number }> {
  const counts = { opportunities: 0, leads: 0 }
  for (const table of ['opportunities', 'leads'] as const) {
    const rows = await queryRows<{ n: number }>(
      tx,
      sql`with resolved as materialized (${resolvedKeys(table, source)}),
        changed as (
          update ${sql.identifier(table)} t set owner_id = r.person_id
          from resolved r
          where t.owner_key = r.owner_key ${source ? sql`and t.source = ${source}` : sql``}
            and t.owner_id is distinct from r.person_id
          returning 1)
        select count(*)::int as n from changed`,
    )
    counts[table] = rows[0]?.n ?? 0
  }
  return counts
}

export type UnmappedOwner = { ownerKey: string; opportunities: number; leads: number }

/** Owner keys with rows but no person, most rows first (keys that differ only in case are one). */
export async function listUnmappedOwners(db: Db): Promise<UnmappedOwner[]> {
  return queryRows<UnmappedOwner>(
    db,
    sql`select min(owner_key) as "ownerKey", sum(opportunities)::int as opportunities, sum(leads)::int as leads
      from (
        select owner_key, count(*) as opportunities, 0 as leads from opportunities where owner_id is null group by owner_key
        union all
        select owner_key, 0, count(*) from leads where owner_id is null group by owner_key
      ) u
      group by lower(owner_key)
      order by sum(opportunities) + sum(leads) desc, lower(owner_key)`,
  )
}

export type OwnerMappingRow = { ownerKey: string; personId: string; personName: string; personEmail: string; opportunities: number; leads: number }

/** The explicit mappings admins made, with how many rows each one owns. */
export async function listOwnerMappings(db: Db): Promise<OwnerMappingRow[]> {
  return queryRows<OwnerMappingRow>(
    db,
    sql`select m.owner_key as "ownerKey", p.id as "personId", p.name as "personName", p.email as "personEmail",
        (select count(*)::int from opportunities o where lower(o.owner_key) = m.owner_key) as opportunities,
        (select count(*)::int from leads l where lower(l.owner_key) = m.owner_key) as leads
      from owner_mappings m join people p on p.id = m.person_id
      order by m.owner_key`,
  )
}

/** People an owner key can be mapped to. */
export async function listMappablePeople(db: Db): Promise<{ id: string; name: string; email: string }[]> {
  return db
    .select({ id: people.id, name: people.name, email: people.email })
    .from(people)
    .where(eq(people.active, true))
    .orderBy(sql`lower(${people.name})`, sql`lower(${people.email})`)
}

export class UnknownPersonError extends Error {}

/**
 * Maps an owner key to a person and moves every row of that key to them, in one transaction:
 * their rows count for that person in every KPI from now on.
 */
export async function mapOwner(db: Db, input: { ownerKey: string; personId: string; actorId: string }): Promise<{ opportunities: number; leads: number; personName: string }> {
  const key = input.ownerKey.trim().toLowerCase()
  return db.transaction(async (tx) => {
    const [person] = await tx.select({ id: people.id, name: people.name }).from(people).where(eq(people.id, input.personId))
    if (!person) throw new UnknownPersonError(`No person with id ${input.personId}`)
    await tx.execute(sql`
      insert into owner_mappings (owner_key, person_id) values (${key}, ${input.personId})
      on conflict (owner_key) do update set person_id = excluded.person_id, created_at = now()`)
    const [opps] = await queryRows<{ n: number }>(
      tx,
      sql`with u as (update opportunities set owner_id = ${input.personId} where lower(owner_key) = ${key} and owner_id is distinct from ${input.personId} returning 1)
        select count(*)::int as n from u`,
    )
    const [leads] = await queryRows<{ n: number }>(
      tx,
      sql`with u as (update leads set owner_id = ${input.personId} where lower(owner_key) = ${key} and owner_id is distinct from ${input.personId} returning 1)
        select count(*)::int as n from u`,
    )
    await recordAudit(tx, { actorId: input.actorId, action: 'crm.owner_mapped', target: key, details: { personId: input.personId } })
    return { opportunities: opps.n, leads: leads.n, personName: person.name }
  })
}

/** Removes an explicit mapping; the key's rows fall back to the other rules (or become unmapped). */
export async function unmapOwner(db: Db, input: { ownerKey: string; actorId: string }): Promise<void> {
  const key = input.ownerKey.trim().toLowerCase()
  await db.transaction(async (tx) => {
    await tx.delete(ownerMappings).where(eq(ownerMappings.ownerKey, key))
    await resolveOwners(tx)
    await recordAudit(tx, { actorId: input.actorId, action: 'crm.owner_unmapped', target: key })
  })
}

/** The owners page: keys nobody matches, the explicit mappings, and the people a key can be mapped to. */
export async function loadOwnersPage(db: Db) {
  const [unmapped, mappings, people] = await Promise.all([listUnmappedOwners(db), listOwnerMappings(db), listMappablePeople(db)])
  return { unmapped, mappings, people }
}

export type OwnerOutcome = { status: 'mapped'; ownerKey: string; personName: string; opportunities: number; leads: number } | { status: 'unmapped'; ownerKey: string } | { status: 'unknown-person'; ownerKey: string }

/** The owners page's intent table: map a key to a person (moving its rows), or remove a mapping. */
export const ownerIntents: IntentTable<typeof ownerForms, { db: Db; actorId: string }, OwnerOutcome> = {
  map: {
    schema: ownerForms.map,
    handle: async ({ db, actorId }, { ownerKey, personId }) => {
      try {
        const moved = await mapOwner(db, { ownerKey, personId, actorId })
        return { status: 'mapped', ownerKey, ...moved }
      } catch (error) {
        if (error instanceof UnknownPersonError) return { status: 'unknown-person', ownerKey }
        throw error
      }
    },
  },
  unmap: {
    schema: ownerForms.unmap,
    handle: async ({ db, actorId }, { ownerKey }) => {
      await unmapOwner(db, { ownerKey, actorId })
      return { status: 'unmapped', ownerKey }
    },
  },
}
