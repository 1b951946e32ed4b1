import { sql } from 'drizzle-orm'
import { type Db, type DbOrTx, queryRows } from '#db/client'

/**
 * Reporting cycles through any of the given people, found in SQL on the current state of the
 * transaction (so callers write first, check, and roll back when a cycle appears). Each cycle comes
 * back once per person in it, as the chain of names from that person back to themselves.
 */
export async function reportingCycles(db: Db, personIds: string[]): Promise<{ personId: string; chain: { id: string; name: string; email: string }[] }[]> {
  if (!personIds.length) return []
  const rows = await queryRows<{ start_id: string; chain: { id: string; name: string; email: string }[] }>(
    db,
    sql`
      with recursive walk(start_id, current_id, path) as (
        select p.id, p.manager_id, array[p.id]
        from people p
        where p.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(personIds)}::jsonb))
          and p.manager_id is not null
        union all
        select w.start_id, m.manager_id, w.path || w.current_id
        from walk w
        join people m on m.id = w.current_id
        where w.current_id <> w.start_id
          and not (w.current_id = any(w.path))
          and m.manager_id is not null
      )
      select w.start_id,
             (select jsonb_agg(jsonb_build_object('id', p.id, 'name', p.name, 'email', p.email) order by o.n)
              from unnest(w.path || w.start_id) with ordinality as o(id, n)
              join people p on p.id = o.id) as chain
      from walk w
      where w.current_id = w.start_id
    `,
  )
  return rows.map((r) => ({ personId: r.start_id, chain: r.chain }))
}

/** Parent-team cycles through any of the given teams, in SQL as above. */
export async function teamCycles(db: Db, teamIds: string[]): Promise<{ teamId: string; chain: { id: string; name: string }[] }[]> {
  if (!teamIds.length) return []
  const rows = await queryRows<{ start_id: string; chain: { id: string; name: string }[] }>(
    db,
    sql`
      with recursive walk(start_id, current_id, path) as (
        select t.id, t.parent_id, array[t.id]
        from teams t
        where t.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(teamIds)}::jsonb))
          and t.parent_id is not null
        union all
        select w.start_id, p.parent_id, w.path || w.current_id
        from walk w
        join teams p on p.id = w.current_id
        where w.current_id <> w.start_id
          and not (w.current_id = any(w.path))
          and p.parent_id is not null
      )
      select w.start_id,
             (select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name) order by o.n)
              from unnest(w.path || w.start_id) with ordinality as o(id, n)
              join teams t on t.id = o.id) as chain
      from walk w
      where w.current_id = w.start_id
    `,
  )
  return rows.map((r) => ({ teamId: r.start_id, chain: r.chain }))
}

/** Thrown inside a transaction to roll it back while carrying a result out. */
export class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('rollback')
  }
}

/** Runs fn in a transaction and rolls it back when fn returns { rollback: value }. */
export async function transactionOrRollback<T, R>(db: Db, fn: (tx: DbOrTx) => Promise<{ commit: T } | { rollback: R }>): Promise<{ committed: true; value: T } | { committed: false; value: R }> {
  try {
    const value = await db.transaction(async (tx) => {
      const outcome = await fn(tx)
      if ('rollback' in outcome) throw new Rollback(outcome.rollback)
      return outcome.commit
    })
    return { committed: true, value }
  } catch (error) {
    if (error instanceof Rollback) return { committed: false, value: error.value as R }
    throw error
  }
}
