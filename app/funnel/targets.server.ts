import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { recordAudit } from '~/audit/audit.server'

export type TargetView = { id: string; ownerType: 'person' | 'team'; ownerId: string; ownerName: string; period: 'month' | 'quarter'; periodStart: string; value: number; currency: string }

/** Won-amount targets, newest period first (quota attainment divides by these). */
export async function listTargets(db: Db, limit = 200): Promise<TargetView[]> {
  const rows = await queryRows<{ id: string; person_id: string | null; team_id: string | null; owner_name: string; period: 'month' | 'quarter'; period_start: string; value: string; currency: string }>(
    db,
    sql`select k.id, k.person_id, k.team_id, coalesce(p.name, t.name) as owner_name, k.period, to_char(k.period_start, 'YYYY-MM-DD') as period_start, k.value, k.currency
      from kpi_targets k left join people p on p.id = k.person_id left join teams t on t.id = k.team_id
      where k.metric = 'won_amount'
      order by k.period_start desc, owner_name limit ${limit}`,
  )
  return rows.map((r) => ({
    id: r.id,
    ownerType: r.person_id ? 'person' : 'team',
    ownerId: (r.person_id ?? r.team_id)!,
    ownerName: r.owner_name,
    period: r.period,
    periodStart: r.period_start,
    value: Number(r.value),
    currency: r.currency,
  }))
}

/** Sets (creates or replaces) the won-amount target of a person or team for one month or quarter. */
export async function setTarget(
  db: Db,
  input: { ownerType: 'person' | 'team'; ownerId: string; period: 'month' | 'quarter'; periodStart: string; value: string; currency: string; actorId: string },
) {
  const personId = input.ownerType === 'person' ? input.ownerId : null
  const teamId = input.ownerType === 'team' ? input.ownerId : null
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`insert into kpi_targets (person_id, team_id, period, period_start, metric, value, currency)
      values (${personId}, ${teamId}, ${input.period}, ${input.periodStart}::date, 'won_amount', ${input.value}::numeric, ${input.currency})
      on conflict (coalesce(person_id, team_id), period, period_start, metric)
      do update set value = excluded.value, currency = excluded.currency
      returning id`,
  )
  await recordAudit(db, { actorId: input.actorId, action: 'kpi_target.set', target: row.id, details: { ...input, actorId: undefined } })
  return row.id
}

export async function deleteTarget(db: Db, input: { id: string; actorId: string }) {
  const rows = await queryRows<{ id: string }>(db, sql`delete from kpi_targets where id = ${input.id} returning id`)
  if (rows.length) await recordAudit(db, { actorId: input.actorId, action: 'kpi_target.deleted', target: input.id })
  return rows.length > 0
}

/** People and teams a target can be set for (the target form's choices). */
export async function targetOwners(db: Db) {
  const rows = await queryRows<{ kind: 'person' | 'team'; id: string; name: string }>(
    db,
    sql`select 'team' as kind, id::text as id, name from teams
      union all
      select 'person', p.id::text, p.name from people p
      where p.active and (exists (select 1 from opportunities o where o.owner_id = p.id) or p.team_id is not null)
      order by 1 desc, 3`,
  )
  return rows
}
