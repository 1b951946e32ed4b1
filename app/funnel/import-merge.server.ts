import { type SQL, sql } from 'drizzle-orm'
import type { Writable } from 'node:stream'
import { type Database, type Db, queryRows } from '#db/client'
import type { CrmSource } from '#db/schema'
import { resolvedKeys } from './owners.server'

/**
 * The one write path into opportunities and leads, shared by CSV imports and API ingest: rows
 * are staged in a table (COPY in batches, never the whole file in memory), then merged
 * set-based with INSERT … ON CONFLICT (source, external_id) DO UPDATE … WHERE the row changed.
 *
 * API ingest stages into a TEMP table inside its transaction. A CSV import stages into a table of
 * its own run (UNLOGGED: it is scratch data, rebuilt from the upload if lost), written outside
 * any transaction so the run's progress stays visible while the file is read; the preview counts
 * from it and the commit merges from it in one transaction, then drops it.
 */

export type StagedOpportunity = {
  source: CrmSource
  externalId: string
  /** The physical line of the file (CSV imports), to name the first of two rows with one id. */
  line?: number
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
  line?: number
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
export type StageKind = 'opportunities' | 'leads'

const OPP_STAGE = 'crm_stage_opportunities'
const LEAD_STAGE = 'crm_stage_leads'

/** Rows per INSERT: 19 columns × 1,000 rows stays well under PostgreSQL's 65,535 parameters. */
export const STAGE_BATCH = 1000

const OPP_COLUMNS = ['owner_key', 'name', 'account', 'amount', 'currency', 'stage', 'stage_label', 'status', 'created_at', 'closed_at', 'expected_close_on', 'lead_source', 'industry', 'campaign', 'probability', 'pipeline'] as const
const LEAD_COLUMNS = ['owner_key', 'created_at', 'converted', 'converted_at', 'status', 'lead_source', 'industry', 'campaign'] as const

const list = (prefix: string, columns: readonly string[]) => sql.raw(columns.map((c) => `${prefix}${c}`).join(', '))

function columnsDdl(kind: StageKind): string {
  return kind === 'opportunities'
    ? `source text not null, external_id text not null, line integer, owner_key text not null, name text, account text,
      amount numeric(16, 2) not null, currency text not null, stage text, stage_label text, status text not null,
      created_at timestamptz not null, closed_at timestamptz, expected_close_on date, lead_source text, industry text,
      campaign text, probability numeric(5, 4), pipeline text not null`
    : `source text not null, external_id text not null, line integer, owner_key text not null, created_at timestamptz not null,
      converted boolean not null, converted_at timestamptz, status text, lead_source text, industry text, campaign text`
}

/** API ingest: a TEMP table that drops with the transaction (on commit or rollback), so a failed batch leaves no table behind. */
export async function createStagingTable(tx: Db, kind: StageKind): Promise<void> {
  await tx.execute(sql.raw(`create temp table if not exists ${kind === 'opportunities' ? OPP_STAGE : LEAD_STAGE} (${columnsDdl(kind)}) on commit drop`))
}

/** The staging table of one CSV import run. */
export function runStagingTable(runId: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(runId)) throw new Error(`Not a run id: ${runId}`)
  return `crm_stage_${runId.replace(/-/g, '').toLowerCase()}`
}

/** A fresh, empty staging table for the run (any earlier one — a retried or re-mapped preview — is dropped). */
export async function createRunStagingTable(db: Db, runId: string, kind: StageKind): Promise<string> {
  const table = runStagingTable(runId)
  await db.execute(sql.raw(`drop table if exists ${table}`))
  await db.execute(sql.raw(`create unlogged table ${table} (${columnsDdl(kind)})`))
  return table
}

export async function runStagingExists(db: Db, runId: string): Promise<boolean> {
  const [row] = await queryRows<{ exists: boolean }>(db, sql`select to_regclass(${runStagingTable(runId)}) is not null as exists`)
  return row.exists
}

export async function dropRunStagingTable(db: Db, runId: string): Promise<void> {
  await db.execute(sql.raw(`drop table if exists ${runStagingTable(runId)}`))
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

export async function stageOpportunities(tx: Db, rows: StagedOpportunity[], table = OPP_STAGE): Promise<void> {
  for (let i = 0; i < rows.length; i += STAGE_BATCH) {
    const values = rows.slice(i, i + STAGE_BATCH).map(
      (r) =>
        sql`(${r.source}, ${r.externalId}, ${r.line ?? null}, ${r.ownerKey}, ${r.name}, ${r.account}, ${r.amount}, ${r.currency}, ${r.stage}, ${r.stageLabel}, ${r.status},
          ${r.createdAt}, ${notBefore(r.closedAt, r.createdAt)}, ${r.expectedCloseOn}, ${r.leadSource}, ${r.industry}, ${r.campaign},
          ${r.probability === null ? null : r.probability.toFixed(4)}, ${r.pipeline})`,
    )
    await tx.execute(sql`insert into ${sql.identifier(table)} (source, external_id, line, ${list('', OPP_COLUMNS)}) values ${sql.join(values, sql`, `)}`)
  }
}

export async function stageLeads(tx: Db, rows: StagedLead[], table = LEAD_STAGE): Promise<void> {
  for (let i = 0; i < rows.length; i += STAGE_BATCH) {
    const values = rows.slice(i, i + STAGE_BATCH).map(
      (r) =>
        sql`(${r.source}, ${r.externalId}, ${r.line ?? null}, ${r.ownerKey}, ${r.createdAt}, ${r.converted || r.convertedAt !== null}, ${notBefore(r.convertedAt, r.createdAt)},
          ${r.status}, ${r.leadSource}, ${r.industry}, ${r.campaign})`,
    )
    await tx.execute(sql`insert into ${sql.identifier(table)} (source, external_id, line, ${list('', LEAD_COLUMNS)}) values ${sql.join(values, sql`, `)}`)
  }
}

/** COPY text format: tab-separated, `\N` for null, backslash escapes. */
function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N'
  if (typeof value === 'number') return String(value)
  if (typeof value === 'boolean') return value ? 't' : 'f'
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value
}

function opportunityLine(r: StagedOpportunity): string {
  return [
    r.source, r.externalId, r.line, r.ownerKey, r.name, r.account, r.amount, r.currency, r.stage, r.stageLabel, r.status,
    r.createdAt, notBefore(r.closedAt, r.createdAt), r.expectedCloseOn, r.leadSource, r.industry, r.campaign,
    r.probability === null ? null : r.probability.toFixed(4), r.pipeline,
  ].map(copyValue).join('\t')
}

function leadLine(r: StagedLead): string {
  return [
    r.source, r.externalId, r.line, r.ownerKey, r.createdAt, r.converted || r.convertedAt !== null, notBefore(r.convertedAt, r.createdAt),
    r.status, r.leadSource, r.industry, r.campaign,
  ].map(copyValue).join('\t')
}

/** Appends batches of rows to a run's staging table; `end()` once the file is read. */
export interface StageWriter {
  write(rows: StagedOpportunity[] | StagedLead[]): Promise<void>
  end(): Promise<void>
  /** Stops a COPY in progress (on a parse error): nothing more is written. */
  abort(error: Error): Promise<void>
}

/** Bytes of COPY text sent at once on PGlite (each is one COPY statement). */
const PGLITE_COPY_CHUNK = 4 * 1024 * 1024

/**
 * The fastest bulk path each engine has: on PostgreSQL one `COPY … FROM STDIN` stream for the
 * whole file (postgres.js, its own connection, back-pressured); on PGlite `COPY … FROM
 * '/dev/blob'` per few MB of rows. Both are plain COPY into the run's own staging table.
 */
export async function openStageWriter(database: Database, table: string, kind: StageKind): Promise<StageWriter> {
  const columns = `source, external_id, line, ${(kind === 'opportunities' ? OPP_COLUMNS : LEAD_COLUMNS).join(', ')}`
  const copy = `copy ${table} (${columns}) from stdin`
  const toLine = (row: StagedOpportunity | StagedLead) => (kind === 'opportunities' ? opportunityLine(row as StagedOpportunity) : leadLine(row as StagedLead))

  if (database.engine === 'postgres' && database.sql) {
    const stream: Writable = await database.sql.unsafe(copy).writable()
    let failed: Error | null = null
    stream.on('error', (error) => {
      failed = error
    })
    // Back-pressure: wait for the connection to take what was written (or for the COPY to fail).
    const settle = (event: 'drain' | 'finish') =>
      new Promise<void>((resolve) => {
        const done = () => {
          stream.off(event, done)
          stream.off('error', done)
          resolve()
        }
        stream.on(event, done)
        stream.on('error', done)
      })
    return {
      async write(rows) {
        if (failed) throw failed
        let text = ''
        for (const row of rows) text += `${toLine(row)}\n`
        if (!stream.write(text)) await settle('drain')
        if (failed) throw failed
      },
      async end() {
        if (failed) throw failed
        const finished = stream.writableFinished ? Promise.resolve() : settle('finish')
        stream.end()
        await finished
        if (failed) throw failed
      },
      async abort(error) {
        stream.destroy(error)
      },
    }
  }

  if (database.engine === 'pglite' && database.pglite) {
    const pglite = database.pglite
    let pending: string[] = []
    let size = 0
    const flush = async () => {
      if (!pending.length) return
      const blob = new Blob(pending)
      pending = []
      size = 0
      await pglite.query(`copy ${table} (${columns}) from '/dev/blob'`, [], { blob })
    }
    return {
      async write(rows) {
        for (const row of rows) {
          const line = `${toLine(row)}\n`
          pending.push(line)
          size += line.length
        }
        if (size >= PGLITE_COPY_CHUNK) await flush()
      },
      end: flush,
      async abort() {
        pending = []
      },
    }
  }

  // Any other driver: multi-row INSERTs.
  return {
    write: (rows) => (kind === 'opportunities' ? stageOpportunities(database.db, rows as StagedOpportunity[], table) : stageLeads(database.db, rows as StagedLead[], table)),
    end: async () => {},
    abort: async () => {},
  }
}

/**
 * Rows of the file that repeat an id (or, without an id column, a derived identity) seen on an
 * earlier line: each becomes a rejection naming the first line, and leaves the staging table.
 * Set-based (one hash aggregate), so the file's ids are never held in the application's memory.
 * `reason` renders the English text from the SQL placeholders it is given.
 */
export async function rejectDuplicates(
  db: Db,
  table: string,
  runId: string,
  reason: { code: string; params: (p: { value: SQL; firstLine: SQL }) => SQL; text: (p: { value: SQL; firstLine: SQL }) => SQL },
): Promise<number> {
  const value = sql`d.external_id`
  const firstLine = sql`d.first_line`
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with firsts as (
        select source, external_id, min(line) as first_line from ${sql.identifier(table)}
        group by source, external_id having count(*) > 1),
      d as (
        delete from ${sql.identifier(table)} s using firsts f
        where s.source = f.source and s.external_id = f.external_id and s.line > f.first_line
        returning s.line, s.external_id, f.first_line),
      ins as (
        insert into import_rejections (run_id, line, reason, code, params)
        select ${runId}::uuid, d.line, ${reason.text({ value, firstLine })}, ${reason.code}, ${reason.params({ value, firstLine })} from d
        returning 1)
      select count(*)::int as n from ins`,
  )
  return row.n
}

function changed(kind: StageKind, current: string, incoming: string): SQL {
  const columns = kind === 'opportunities' ? OPP_COLUMNS : LEAD_COLUMNS
  return sql`(${list(`${current}.`, columns)}) is distinct from (${list(`${incoming}.`, columns)})`
}

const stageTableOf = (kind: StageKind, table?: string) => table ?? (kind === 'opportunities' ? OPP_STAGE : LEAD_STAGE)

/** New / updated / unchanged against what is stored, without writing anything (the import preview). */
export async function compareStaged(tx: Db, kind: StageKind, table?: string): Promise<MergeCounts> {
  const stage = stageTableOf(kind, table)
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
 * deals get no history — a deal without history counts at its current stage only
 * (docs/architecture.md#funnel-kpis).
 * Owners are resolved as rows are written (one lookup per distinct owner key), so a new row is
 * written once. Unchanged rows are not touched at all, so re-importing a file writes nothing.
 */
export async function mergeStaged(
  tx: Db,
  kind: StageKind,
  options: { runId: string | null; changedAt: Date; currency: string },
  table?: string,
): Promise<MergeCounts & { stageChanges: number }> {
  const stage = stageTableOf(kind, table)
  await tx.execute(sql`analyze ${sql.identifier(stage)}`)
  const [{ total }] = await queryRows<{ total: number }>(tx, sql`select count(*)::int as total from ${sql.identifier(stage)}`)

  let stageChanges = 0
  if (kind === 'opportunities') {
    const [history] = await queryRows<{ n: number }>(
      tx,
      sql`with h as (
          insert into opportunity_stage_history (opportunity_id, from_stage, to_stage, changed_at)
          select o.id, o.stage, s.stage, ${options.changedAt.toISOString()}::timestamptz
          from ${sql.identifier(stage)} s join opportunities o on o.source = s.source and o.external_id = s.external_id
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
    sql`with owners as materialized (${resolvedKeys(stage)}),
      up as (
        insert into ${sql.identifier(kind)} as t (source, external_id, ${list('', columns)}, owner_id, last_import_run_id)
        select s.source, s.external_id, ${list('s.', columns)}, o.person_id, ${options.runId}::uuid
        from ${sql.identifier(stage)} s left join owners o on o.owner_key = s.owner_key
        on conflict (source, external_id) do update set ${setList}, owner_id = excluded.owner_id, last_import_run_id = excluded.last_import_run_id, updated_at = now()
        where ${changed(kind, 't', 'excluded')}
        returning (xmax = 0) as inserted)
      select count(*) filter (where inserted)::int as created, count(*) filter (where not inserted)::int as updated from up`,
  )
  if (!table) await tx.execute(sql`truncate ${sql.identifier(stage)}`)
  return { created: merged.created, updated: merged.updated, unchanged: total - merged.created - merged.updated, stageChanges }
}
