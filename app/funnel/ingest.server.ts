import { sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import { z } from 'zod'
import { type Db, queryRows } from '#db/client'
import { importRuns } from '#db/schema'
import { type BatchItemError, validateBatch } from '~/api/errors.server'
import type { AppContext } from '~/context'
import { getSettings } from '~/settings/settings.server'
import { type StagedLead, type StagedOpportunity, createStagingTable, mergeStaged, stageLeads, stageOpportunities } from './import-merge.server'
import { resolveOwners } from './owners.server'
import { loadStageMapper } from './stages.server'

/**
 * API ingest: bulk upserts by (source, externalId) through the same staging + merge as CSV
 * imports. Every item is validated before anything is written; the write is one transaction, so
 * when the request returns every metric already reflects it (docs/architecture.md#funnel-kpis).
 */

export const MAX_BATCH_ITEMS = 10_000

const apiSources = ['salesforce', 'hubspot', 'pipedrive', 'api'] as const
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'))

const optionalText = (max = 500) => z.string().trim().min(1, { error: 'must not be empty; leave the field out instead' }).max(max).optional()
/** An ISO 8601 instant with its offset, or a plain date (the start of that day in the organisation's time zone). */
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'expected an ISO 8601 date-time with offset (2026-11-26T14:30:00+01:00) or a date (2026-11-26)',
})

const ownerSchema = z
  .object({
    email: z.email({ error: 'expected an email address' }).optional(),
    crmKey: optionalText(200),
  })
  .refine((o) => o.email !== undefined || o.crmKey !== undefined, { error: 'give the owner’s email or crmKey (the owner as your CRM names them)' })

const before = (a: string, b: string, zone: string) => toDate(a, zone).getTime() < toDate(b, zone).getTime()

function toDate(value: string, zone: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone }).toJSDate() : new Date(value)
}

export const opportunityInputSchema = z.object({
  externalId: z.string().trim().min(1, { error: 'is required: the CRM’s id of the deal' }).max(200),
  source: z.enum(apiSources, { error: `expected one of ${apiSources.join(', ')}` }).default('api'),
  owner: ownerSchema,
  name: optionalText(),
  account: optionalText(),
  campaign: optionalText(),
  amount: z
    .number({ error: 'expected a number, such as 1234.56' })
    .finite()
    .min(0, { error: 'must be 0 or more' })
    .max(99_999_999_999_999, { error: 'is too large' }),
  currency: z
    .string()
    .refine((c) => /^[A-Z]{3}$/.test(c) && ISO_CURRENCIES.has(c), { error: 'expected an ISO 4217 currency code such as EUR, USD or GBP' })
    .optional(),
  stage: optionalText(200),
  status: z.enum(['open', 'won', 'lost'], { error: 'expected open, won or lost' }),
  createdAt: instant,
  closedAt: instant.nullable().optional(),
  leadSource: optionalText(),
  industry: optionalText(),
  probability: z.number().min(0, { error: 'expected a fraction from 0 to 1 (0.4 for 40%)' }).max(1, { error: 'expected a fraction from 0 to 1 (0.4 for 40%)' }).optional(),
})
export type OpportunityInput = z.output<typeof opportunityInputSchema>

export const leadInputSchema = z.object({
  externalId: z.string().trim().min(1, { error: 'is required: the CRM’s id of the lead' }).max(200),
  source: z.enum(apiSources, { error: `expected one of ${apiSources.join(', ')}` }).default('api'),
  owner: ownerSchema,
  createdAt: instant,
  convertedAt: instant.nullable().optional(),
  status: optionalText(200),
  leadSource: optionalText(),
  industry: optionalText(),
  campaign: optionalText(),
})
export type LeadInput = z.output<typeof leadInputSchema>

export const opportunitiesBodySchema = z.object({ opportunities: z.array(opportunityInputSchema) })
export const leadsBodySchema = z.object({ leads: z.array(leadInputSchema) })
export const ingestResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  unmappedOwners: z.array(z.string()),
})
export type IngestResult = z.output<typeof ingestResultSchema>

export type IngestOutcome =
  | { ok: true; result: IngestResult }
  | { ok: false; kind: 'invalid_batch'; errors: BatchItemError[] }
  | { ok: false; kind: 'invalid_body'; message: string }
  | { ok: false; kind: 'too_large'; count: number }

/** Rules that span fields or items: dates in order, a close date on closed deals, one item per (source, externalId). */
function crossChecks<T extends { source: string; externalId: string }>(
  values: T[],
  check: (value: T, index: number, errors: BatchItemError[]) => void,
): BatchItemError[] {
  const errors: BatchItemError[] = []
  const seen = new Map<string, number>()
  values.forEach((value, index) => {
    check(value, index, errors)
    const key = `${value.source}\u0000${value.externalId}`
    const first = seen.get(key)
    if (first !== undefined) errors.push({ index, field: 'externalId', message: `"${value.externalId}" (source ${value.source}) already appears at index ${first}; send each record once per batch` })
    else seen.set(key, index)
  })
  return errors
}

function itemsOf(body: unknown, key: 'opportunities' | 'leads'): unknown[] | string {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as Record<string, unknown>)[key])) {
    return `The body must be a JSON object { "${key}": [ … ] }.`
  }
  return (body as Record<string, unknown[]>)[key]
}

/** Email when it names a known person (or no crmKey is given), else the CRM key: the key the row is stored and resolved under. */
async function ownerKeysOf(db: Db, owners: { email?: string; crmKey?: string }[]): Promise<string[]> {
  const emails = [...new Set(owners.filter((o) => o.email && o.crmKey).map((o) => (o.email as string).toLowerCase()))]
  const known = new Set<string>()
  if (emails.length) {
    const rows = await queryRows<{ email: string }>(db, sql`select lower(email) as email from people where lower(email) in (${sql.join(emails.map((e) => sql`${e}`), sql`, `)})`)
    for (const row of rows) known.add(row.email)
  }
  return owners.map((o) => (o.email && (!o.crmKey || known.has(o.email.toLowerCase())) ? o.email : (o.crmKey as string)))
}

async function unmappedAmong(tx: Db, table: 'opportunities' | 'leads', keys: string[]): Promise<string[]> {
  const distinct = [...new Set(keys)]
  if (!distinct.length) return []
  const rows = await queryRows<{ key: string }>(
    tx,
    sql`select distinct owner_key as key from ${sql.identifier(table)}
      where owner_id is null and owner_key in (${sql.join(distinct.map((k) => sql`${k}`), sql`, `)}) order by owner_key`,
  )
  return rows.map((r) => r.key)
}

async function recordApiRun(tx: Db, kind: 'opportunities' | 'leads', total: number, merged: { created: number; updated: number; unchanged: number; stageChanges: number }, runId: string) {
  await tx.insert(importRuns).values({
    id: runId,
    kind,
    source: 'api',
    status: 'committed',
    rowsTotal: total,
    rowsProcessed: total,
    created: merged.created,
    updated: merged.updated,
    unchanged: merged.unchanged,
    finishedAt: new Date(),
    details: { stageChanges: merged.stageChanges },
  })
}

export async function ingestOpportunities(ctx: AppContext, body: unknown): Promise<IngestOutcome> {
  const items = itemsOf(body, 'opportunities')
  if (typeof items === 'string') return { ok: false, kind: 'invalid_body', message: items }
  if (items.length > MAX_BATCH_ITEMS) return { ok: false, kind: 'too_large', count: items.length }
  const settings = await getSettings(ctx.db)
  const zone = settings.timezone
  const parsed = validateBatch(items, opportunityInputSchema)
  if (!parsed.ok) return { ok: false, kind: 'invalid_batch', errors: parsed.errors }
  const errors = crossChecks(parsed.values, (o, index, errs) => {
    if (o.status !== 'open' && !o.closedAt) errs.push({ index, field: 'closedAt', message: `is required when status is ${o.status}` })
    if (o.closedAt && before(o.closedAt, o.createdAt, zone)) errs.push({ index, field: 'closedAt', message: `${o.closedAt} is before createdAt ${o.createdAt}; a deal cannot close before it was created` })
  })
  if (errors.length) return { ok: false, kind: 'invalid_batch', errors }

  const mapper = await loadStageMapper(ctx.db)
  const ownerKeys = await ownerKeysOf(ctx.db, parsed.values.map((o) => o.owner))
  const staged: StagedOpportunity[] = parsed.values.map((o, i) => {
    const closed = o.status !== 'open'
    const closedAt = o.closedAt ? toDate(o.closedAt, zone).toISOString() : null
    return {
      source: o.source,
      externalId: o.externalId,
      ownerKey: ownerKeys[i],
      name: o.name ?? null,
      account: o.account ?? null,
      amount: o.amount.toFixed(2),
      currency: o.currency ?? settings.currency,
      stage: mapper(o.stage ?? null, o.status, null),
      stageLabel: o.stage ?? null,
      status: o.status,
      createdAt: toDate(o.createdAt, zone).toISOString(),
      // On an open deal a close date is the expected one (as in CRM exports): closed_at stays for closed deals.
      closedAt: closed ? closedAt : null,
      expectedCloseOn: !closed && o.closedAt ? DateTime.fromJSDate(toDate(o.closedAt, zone), { zone }).toISODate() : null,
      leadSource: o.leadSource ?? null,
      industry: o.industry ?? null,
      campaign: o.campaign ?? null,
      probability: o.probability ?? null,
      pipeline: 'default',
    }
  })
  const runId = crypto.randomUUID()
  const result = await ctx.db.transaction(async (tx) => {
    await createStagingTable(tx, 'opportunities')
    await stageOpportunities(tx, staged)
    await recordApiRun(tx, 'opportunities', staged.length, { created: 0, updated: 0, unchanged: 0, stageChanges: 0 }, runId)
    const merged = await mergeStaged(tx, 'opportunities', { runId, changedAt: new Date(), currency: settings.currency })
    for (const source of new Set(staged.map((s) => s.source))) await resolveOwners(tx, source)
    await tx.execute(sql`update import_runs set created = ${merged.created}, updated = ${merged.updated}, unchanged = ${merged.unchanged},
      details = ${JSON.stringify({ stageChanges: merged.stageChanges })}::jsonb where id = ${runId}`)
    return { created: merged.created, updated: merged.updated, unchanged: merged.unchanged, unmappedOwners: await unmappedAmong(tx, 'opportunities', ownerKeys) }
  })
  return { ok: true, result }
}

export async function ingestLeads(ctx: AppContext, body: unknown): Promise<IngestOutcome> {
  const items = itemsOf(body, 'leads')
  if (typeof items === 'string') return { ok: false, kind: 'invalid_body', message: items }
  if (items.length > MAX_BATCH_ITEMS) return { ok: false, kind: 'too_large', count: items.length }
  const settings = await getSettings(ctx.db)
  const zone = settings.timezone
  const parsed = validateBatch(items, leadInputSchema)
  if (!parsed.ok) return { ok: false, kind: 'invalid_batch', errors: parsed.errors }
  const errors = crossChecks(parsed.values, (l, index, errs) => {
    if (l.convertedAt && before(l.convertedAt, l.createdAt, zone)) errs.push({ index, field: 'convertedAt', message: `${l.convertedAt} is before createdAt ${l.createdAt}; a lead cannot convert before it was created` })
  })
  if (errors.length) return { ok: false, kind: 'invalid_batch', errors }

  const ownerKeys = await ownerKeysOf(ctx.db, parsed.values.map((l) => l.owner))
  const staged: StagedLead[] = parsed.values.map((l, i) => ({
    source: l.source,
    externalId: l.externalId,
    ownerKey: ownerKeys[i],
    createdAt: toDate(l.createdAt, zone).toISOString(),
    converted: Boolean(l.convertedAt),
    convertedAt: l.convertedAt ? toDate(l.convertedAt, zone).toISOString() : null,
    status: l.status ?? null,
    leadSource: l.leadSource ?? null,
    industry: l.industry ?? null,
    campaign: l.campaign ?? null,
  }))
  const runId = crypto.randomUUID()
  const result = await ctx.db.transaction(async (tx) => {
    await createStagingTable(tx, 'leads')
    await stageLeads(tx, staged)
    await recordApiRun(tx, 'leads', staged.length, { created: 0, updated: 0, unchanged: 0, stageChanges: 0 }, runId)
    const merged = await mergeStaged(tx, 'leads', { runId, changedAt: new Date(), currency: settings.currency })
    for (const source of new Set(staged.map((s) => s.source))) await resolveOwners(tx, source)
    await tx.execute(sql`update import_runs set created = ${merged.created}, updated = ${merged.updated}, unchanged = ${merged.unchanged} where id = ${runId}`)
    return { created: merged.created, updated: merged.updated, unchanged: merged.unchanged, unmappedOwners: await unmappedAmong(tx, 'leads', ownerKeys) }
  })
  return { ok: true, result }
}
