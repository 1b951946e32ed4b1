import { type SQL, sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import type { CrmSource } from '#db/schema'

/**
 * The one write path into opportunities and leads, shared by CSV imports and API ingest: rows
 * are staged in a TEMP table (batches of multi-row INSERTs, never the whole file in memory), then
 * merged set-based with INSERT … ON CONFLICT (source, external_id) DO UPDATE … WHERE the row
 * changed. Everything runs inside the caller's transaction, so a failure leaves nothing behind.
 */

export type StagedOpportunity = {
  source: CrmSource
  externalId: string
  ownerKey: string
  name: string | null
  account: string | null
  /** Exact decimal as a string, ≥ 0, two decimals. */
  amount: string
  currency: string
  /** funnel_stages.key when the label maps, else the label itself (see StageMapper). */
  stage: string | null
  stageLabel: string | null
  status: 'open' | 'won' | 'lost'
  /** ISO 8601 instants. */
  createdAt: string
  closedAt: string | null
  /** YYYY-MM-DD. */
  expectedCloseOn: string | null
  leadSource: string | null
  industry: string | null
  campaign: string | null
  /** Fraction 0–1. */
  probability: number | null
  pipeline: string
}

export type StagedLead = {
  source: CrmSource
  externalId: string
  ownerKey: string
  createdAt: string
  converted: boolean
  convertedAt: string | null
  status: string | null
  leadSource: string | null
  industry: string | null
  campaign: string | null
}

export type MergeCounts = { created: number; updated: number; unchanged: number }

const OPP_STAGE = 'crm_stage_opportunities'
const LEAD_STAGE = 'crm_stage_leads'

/** Rows per INSERT: 18 columns × 1,000 rows stays well under PostgreSQL's 65,535 parameters. */
export const STAGE_BATCH = 1000

const OPP_COLUMNS = ['owner_key', 'name', 'account', 'amount', 'currency', 'stage', 'stage_label', 'status', 'created_at', 'closed_at', 'expected_close_on', 'lead_source', 'industry', 'campaign', 'probability', 'pipeline'] as const
const LEAD_COLUMNS = ['owner_key', 'created_at', 'converted', 'converted_at', 'status', 'lead_source', 'industry', 'campaign'] as const

const list = (prefix: string, columns: readonly string[]) => sql.raw(columns.map((c) => `${prefix}${c}`).join(', '))

/** Drops with the transaction (on commit or rollback), so a failed run leaves no table behind. */
export async function createStagingTable(tx: Db, kind: 'opportunities' | 'leads'): Promise<void> {
  if (kind === 'opportunities') {
    await tx.execute(sql`create temp table if not exists ${sql.identifier(OPP_STAGE)} (
      source text not null, external_id text not null, owner_key text not null, name text, account text,
      amount numeric(16, 2) not null, currency text not null, stage text, stage_label text, status text not null,
      created_at timestamptz not null, closed_at timestamptz, expected_close_on date, lead_source text, industry text,
      campaign text, probability numeric(5, 4), pipeline text not null
    ) on commit drop`)
  } else {
    await tx.execute(sql`create temp table if not exists ${sql.identifier(LEAD_STAGE)} (
      source text not null, external_id text not null, owner_key text not null, created_at timestamptz not null,
      converted boolean not null, converted_at timestamptz, status text, lead_source text, industry text, campaign text
    ) on commit drop`)
  }
}

/**
 * A close (or conversion) stamped with a date only, on the day the deal was created, reads as
 * midnight — before the creation time. The parser accepts it (same calendar day); the database
 * requires closed_at ≥ created_at, so such a close is moved to the creation instant.
 */
function notBefore(later: string | null, earlier: string): string | null {
  if (later === null) return null
  return Date.parse(later) < Date.parse(earlier) ? earlier : later
}

export async function stageOpportunities(tx: Db, rows: StagedOpportunity[]): Promise<void> {
  for (let i = 0; i < rows.length; i += STAGE_BATCH) {
    const values = rows.slice(i, i + STAGE_BATCH).map(
      (r) =>
        sql`(${r.source}, ${r.externalId}, ${r.ownerKey}, ${r.name}, ${r.account}, ${r.amount}, ${r.currency}, ${r.stage}, ${r.stageLabel}, ${r.status},
          ${r.createdAt}, ${notBefore(r.closedAt, r.createdAt)}, ${r.expectedCloseOn}, ${r.leadSource}, ${r.industry}, ${r.campaign},
          ${r.probability === null ? null : r.probability.toFixed(4)}, ${r.pipeline})`,
    )
    await tx.execute(sql`insert into ${sql.identifier(OPP_STAGE)} (source, external_id, ${list('', OPP_COLUMNS)}) values ${sql.join(values, sql`, `)}`)
  }
}

export async function stageLeads(tx: Db, rows: StagedLead[]): Promise<void> {
  for (let i = 0; i < rows.length; i += STAGE_BATCH) {
    const values = rows.slice(i, i + STAGE_BATCH).map(
      (r) =>
        sql`(${r.source}, ${r.externalId}, ${r.ownerKey}, ${r.createdAt}, ${r.converted || r.convertedAt !== null}, ${notBefore(r.convertedAt, r.createdAt)},
          ${r.status}, ${r.leadSource}, ${r.industry}, ${r.campaign})`,
    )
    await tx.execute(sql`insert into ${sql.identifier(LEAD_STAGE)} (source, external_id, ${list('', LEAD_COLUMNS)}) values ${sql.join(values, sql`, `)}`)
  }
}

function changed(kind: 'opportunities' | 'leads', current: string, incoming: string): SQL {
  const columns = kind === 'opportunities' ? OPP_COLUMNS : LEAD_COLUMNS
  return sql`(${list(`${current}.`, columns)}) is distinct from (${list(`${incoming}.`, columns)})`
}

/** New / updated / unchanged against what is stored, without writing anything (the import preview). */
export async function compareStaged(tx: Db, kind: 'opportunities' | 'leads'): Promise<MergeCounts> {
  const stage = kind === 'opportunities' ? OPP_STAGE : LEAD_STAGE
  await tx.execute(sql`analyze ${sql.identifier(stage)}`)
  const [counts] = await queryRows<MergeCounts>(
    tx,
    sql`select count(*) filter (where t.id is null)::int as created,
        count(*) filter (where t.id is not null and ${changed(kind, 't', 's')})::int as updated,
        count(*) filter (where t.id is not null and not ${changed(kind, 't', 's')})::int as unchanged
      from ${sql.identifier(stage)} s
      left join ${sql.identifier(kind)} t on t.source = s.source and t.external_id = s.external_id`,
  )
  return counts
}

/**
 * Merges the staged rows. Stage history is written first, while the stored stage is still the old
 * one: one row per deal whose stage differs, dated `changedAt` (the export's date, or now). New
 * deals get no history — a deal without history counts at its current stage only (DESIGN §6).
 * Unchanged rows are not touched at all, so re-importing a file writes nothing.
 */
export async function mergeStaged(
  tx: Db,
  kind: 'opportunities' | 'leads',
  options: { runId: string | null; changedAt: Date; currency: string },
): Promise<MergeCounts & { stageChanges: number }> {
  const stage = kind === 'opportunities' ? OPP_STAGE : LEAD_STAGE
  await tx.execute(sql`analyze ${sql.identifier(stage)}`)
  const [{ total }] = await queryRows<{ total: number }>(tx, sql`select count(*)::int as total from ${sql.identifier(stage)}`)

  let stageChanges = 0
  if (kind === 'opportunities') {
    const [history] = await queryRows<{ n: number }>(
      tx,
      sql`with h as (
          insert into opportunity_stage_history (opportunity_id, from_stage, to_stage, changed_at)
          select o.id, o.stage, s.stage, ${options.changedAt.toISOString()}::timestamptz
          from ${sql.identifier(OPP_STAGE)} s join opportunities o on o.source = s.source and o.external_id = s.external_id
          where s.stage is not null and o.stage is distinct from s.stage
          returning 1)
        select count(*)::int as n from h`,
    )
    stageChanges = history.n
  }

  // Campaign ROI joins on the campaign name: a new name gets a campaigns row (cost left to the admin).
  await tx.execute(sql`
    insert into campaigns (name, currency)
    select distinct on (lower(campaign)) campaign, ${options.currency} from ${sql.identifier(stage)}
    where campaign is not null order by lower(campaign), campaign
    on conflict do nothing`)

  const columns = kind === 'opportunities' ? OPP_COLUMNS : LEAD_COLUMNS
  const setList = sql.raw(columns.map((c) => `${c} = excluded.${c}`).join(', '))
  const [merged] = await queryRows<{ created: number; updated: number }>(
    tx,
    sql`with up as (
        insert into ${sql.identifier(kind)} as t (source, external_id, ${list('', columns)}, last_import_run_id)
        select source, external_id, ${list('', columns)}, ${options.runId}::uuid from ${sql.identifier(stage)}
        on conflict (source, external_id) do update set ${setList}, last_import_run_id = excluded.last_import_run_id, updated_at = now()
        where ${changed(kind, 't', 'excluded')}
        returning (xmax = 0) as inserted)
      select count(*) filter (where inserted)::int as created, count(*) filter (where not inserted)::int as updated from up`,
  )
  await tx.execute(sql`truncate ${sql.identifier(stage)}`)
  return { created: merged.created, updated: merged.updated, unchanged: total - merged.created - merged.updated, stageChanges }
}
