import { type SQL, sql } from 'drizzle-orm'
import { z } from 'zod'
import { type Db, queryRows } from '#db/client'
import { auditLog } from '#db/schema'

export const AUDIT_PAGE_SIZE = 50

/** The audit screen's filters (query string): an action, a day range in the organisation's time zone, a page. */
export const auditFilterSchema = z.object({
  action: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z0-9_.]*$/)
    .optional()
    .transform((v) => v || undefined),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  page: z.coerce.number().int().min(1).max(100000).optional().default(1),
}).refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'from must be on or before to', path: ['from'] })
export type AuditFilter = z.infer<typeof auditFilterSchema>

export type AuditRow = { id: number; at: string; action: string; actorName: string | null; apiKeyName: string | null; target: string | null; details: Record<string, unknown> }

function whereSql(filter: Omit<AuditFilter, 'page'>): SQL {
  const conditions: SQL[] = [sql`true`]
  if (filter.action) conditions.push(sql`a.action = ${filter.action}`)
  if (filter.from) conditions.push(sql`a.at >= (${filter.from}::date::timestamp at time zone (select timezone from settings where id = 1))`)
  if (filter.to) conditions.push(sql`a.at < ((${filter.to}::date + 1)::timestamp at time zone (select timezone from settings where id = 1))`)
  return sql.join(conditions, sql` and `)
}

const select = sql`select a.id::int as id, to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, a.action,
                          p.name as "actorName",
                          k.name as "apiKeyName", a.target, a.details
                     from audit_log a left join people p on p.id = a.actor_id left join api_keys k on k.id = a.api_key_id`

/** One page of entries, newest first, with the total for the filters. */
export async function listAuditLog(db: Db, filter: AuditFilter): Promise<{ rows: AuditRow[]; total: number; pages: number }> {
  const [{ total }] = await queryRows<{ total: number }>(db, sql`select count(*)::int as total from audit_log a where ${whereSql(filter)}`)
  const rows = await queryRows<AuditRow>(db, sql`${select} where ${whereSql(filter)} order by a.at desc, a.id desc limit ${AUDIT_PAGE_SIZE} offset ${(filter.page - 1) * AUDIT_PAGE_SIZE}`)
  return { rows, total, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) }
}

/** Every entry for the filters (the CSV export), newest first. */
export async function allAuditEntries(db: Db, filter: Omit<AuditFilter, 'page'>): Promise<AuditRow[]> {
  return queryRows<AuditRow>(db, sql`${select} where ${whereSql(filter)} order by a.at desc, a.id desc`)
}

/** The actions that occur in the log, for the filter's choices. */
export async function auditActions(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action)
  return rows.map((r) => r.action)
}
