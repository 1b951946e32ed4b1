import { type SQL, and, desc, eq, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import { createReadStream } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import { type Db, queryRows } from '#db/client'
import { type CrmSource as DbSource, type ImportKind, type ImportPhase, columnMappings, importRejections, importRuns } from '#db/schema'
import type { AppContext } from '~/context'
import { getSettings } from '~/settings/settings.server'
import {
  type CrmKind,
  type CrmSource as ParserSource,
  CrmCsvError,
  type FormatEvent,
  type LeadRow,
  type OpportunityRow,
  type ParseCrmCsvOptions,
  type UserMapping,
  parseCrmCsv,
  requiredFields,
} from './csv'
import { englishReason, type RejectionParams } from './csv/reasons'
import {
  type StagedLead,
  type StagedOpportunity,
  compareStaged,
  createRunStagingTable,
  dropRunStagingTable,
  mergeStaged,
  openStageWriter,
  rejectDuplicates,
  runStagingExists,
  runStagingTable,
} from './import-merge.server'
import { resolveOwners } from './owners.server'
import { type StageMapper, loadStageMapper } from './stages.server'

/**
 * The CSV import pipeline: upload → recognition (→ column mapping) → preview → commit. Preview and
 * commit are pg-boss jobs that stream the uploaded file from disk in batches; the file is never
 * held in memory. The preview writes nothing but the run and its rejections; the commit writes
 * everything in one transaction or nothing.
 */

export type RunDetails = {
  /** What the uploader said about the file (optional). */
  hints?: { kind?: CrmKind; locale?: string }
  /** The column mapping in force: field → header text (from the mapping step or saved for the source). */
  mapping?: UserMapping
  format?: {
    source: ParserSource
    kind: CrmKind
    headers: string[]
    /** Required fields still unmapped (the mapping step asks for these). */
    missing: string[]
    problems: string[]
    /** field → header, as recognised. */
    mapped: Record<string, string>
    delimiter: string
    decimalSeparator: string
    dayOrder: string
  }
  preview?: { created: number; updated: number; unchanged: number; rejected: number; rows: number; skipped: number; encoding: string }
  stageChanges?: number
  /** CrmCsvError code (or 'upload_missing' / 'internal') of a failed run, for a translated message. */
  errorCode?: string
}

export type ImportRun = typeof importRuns.$inferSelect & { details: RunDetails }

const toDbSource = (source: ParserSource): DbSource => (source === 'generic' ? 'csv' : source)
const toParserSource = (source: DbSource | null | undefined): ParserSource | undefined =>
  source === 'csv' ? 'generic' : source === 'api' || !source ? undefined : source

/** "hubspot-crm-exports-all-deals-2026-11-20.csv" was exported on 2026-11-20: stage changes it reveals happened by then. */
export function exportDateOf(filename: string | null | undefined, timeZone: string, now = new Date()): Date | null {
  const match = filename ? /(20\d\d)-(\d\d)-(\d\d)/.exec(filename) : null
  if (!match) return null
  const day = DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }, { zone: timeZone })
  if (!day.isValid || day.toJSDate() > now) return null
  return day.toJSDate()
}

export async function createImportRun(
  ctx: AppContext,
  input: { filePath: string; filename: string | null; kind?: CrmKind; locale?: string; createdById: string | null },
): Promise<string> {
  const settings = await getSettings(ctx.db)
  const [run] = await ctx.db
    .insert(importRuns)
    .values({
      filename: input.filename,
      filePath: input.filePath,
      exportedAt: exportDateOf(input.filename, settings.timezone),
      status: 'previewing',
      createdById: input.createdById,
      details: { hints: { kind: input.kind, locale: input.locale } } satisfies RunDetails,
    })
    .returning({ id: importRuns.id })
  await ctx.jobs.send('crm.import.preview', { runId: run.id }, { singletonKey: `preview:${run.id}` })
  return run.id
}

export async function getImportRun(db: Db, runId: string): Promise<ImportRun | null> {
  const [run] = await db.select().from(importRuns).where(eq(importRuns.id, runId))
  return (run as ImportRun | undefined) ?? null
}

export async function listImportRuns(db: Db, limit = 25) {
  return db
    .select({
      id: importRuns.id,
      kind: importRuns.kind,
      source: importRuns.source,
      filename: importRuns.filename,
      status: importRuns.status,
      created: importRuns.created,
      updated: importRuns.updated,
      unchanged: importRuns.unchanged,
      rejected: importRuns.rejected,
      createdAt: importRuns.createdAt,
    })
    .from(importRuns)
    // API batches are recorded as runs too, but this list is the uploads'.
    .where(sql`${importRuns.source} is distinct from 'api'`)
    .orderBy(desc(importRuns.createdAt))
    .limit(limit)
}

export const REJECTIONS_PAGE_SIZE = 50

export async function listRejections(db: Db, runId: string, page: number) {
  const offset = (Math.max(1, page) - 1) * REJECTIONS_PAGE_SIZE
  const [rows, total] = await Promise.all([
    db
      .select({ line: importRejections.line, reason: importRejections.reason, code: importRejections.code, params: importRejections.params })
      .from(importRejections)
      .where(eq(importRejections.runId, runId))
      .orderBy(importRejections.line, importRejections.id)
      .limit(REJECTIONS_PAGE_SIZE)
      .offset(offset),
    db.$count(importRejections, eq(importRejections.runId, runId)),
  ])
  return { rows, total, page: Math.max(1, page), pages: Math.max(1, Math.ceil(total / REJECTIONS_PAGE_SIZE)) }
}

export type StoredRejection = { line: number; reason: string; code: string | null; params: RejectionParams | null }

/** Every rejected row of a run in line order, a page at a time (keyset), for the CSV download: never all in memory. */
export async function* allRejections(db: Db, runId: string, pageSize = 5000): AsyncGenerator<StoredRejection[]> {
  let after = { line: 0, id: 0 }
  for (;;) {
    const rows = await db
      .select({ id: importRejections.id, line: importRejections.line, reason: importRejections.reason, code: importRejections.code, params: importRejections.params })
      .from(importRejections)
      .where(and(eq(importRejections.runId, runId), sql`(${importRejections.line}, ${importRejections.id}) > (${after.line}, ${after.id})`))
      .orderBy(importRejections.line, importRejections.id)
      .limit(pageSize)
    if (!rows.length) return
    yield rows
    const last = rows[rows.length - 1]
    after = { line: last.line, id: last.id }
    if (rows.length < pageSize) return
  }
}

/** The saved mapping for a source and kind, reused by the next upload of the same export. */
async function savedMapping(db: Db, source: ParserSource, kind: CrmKind): Promise<UserMapping | null> {
  const [row] = await db
    .select({ mapping: columnMappings.mapping })
    .from(columnMappings)
    .where(and(eq(columnMappings.source, source), eq(columnMappings.kind, kind)))
  return row ? (row.mapping as UserMapping) : null
}

function fileStream(path: string) {
  return createReadStream(path, { highWaterMark: 256 * 1024 })
}

/** The file's bytes, counting how many have been read (the progress bar's measure). */
async function* countedFileStream(path: string, counter: { bytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of fileStream(path)) {
    counter.bytes += (chunk as Buffer).byteLength
    yield chunk as Buffer
  }
}

/** Reads only as far as the header and the locale sample: what the file is, and whether it is ready. */
async function recognise(path: string, options: ParseCrmCsvOptions): Promise<FormatEvent> {
  for await (const event of parseCrmCsv(fileStream(path), options)) {
    if (event.type === 'format') return event
  }
  throw new CrmCsvError('empty_file', 'The file is empty: export the report again with its rows and upload it.')
}

function formatDetails(event: FormatEvent): NonNullable<RunDetails['format']> {
  const { format } = event
  return {
    source: format.source,
    kind: format.kind,
    headers: format.headers,
    missing: format.missing,
    problems: format.problems,
    mapped: Object.fromEntries(Object.entries(format.mapping).map(([field, index]) => [field, format.headers[index as number]])),
    delimiter: event.delimiter,
    decimalSeparator: event.locale.decimalSeparator,
    dayOrder: event.locale.dayOrder,
  }
}

function parseOptions(run: ImportRun, timeZone: string, mapping: UserMapping | undefined): ParseCrmCsvOptions {
  const details = run.details
  return {
    timeZone,
    locale: details.hints?.locale,
    kind: details.format?.kind ?? details.hints?.kind,
    source: details.format?.source ?? toParserSource(run.source),
    mapping,
  }
}

/** Rows between two progress writes (and at most a second apart while rows keep coming). */
export const PROGRESS_EVERY_ROWS = 10_000
const PROGRESS_EVERY_MS = 1000

/**
 * Live progress on the run row: the phase, rows read and bytes read of the file's size. Written
 * with the job's own small UPDATEs outside any import transaction, throttled, so the run page
 * (another request, or on PGlite the same process between two batches) sees it as it moves.
 */
class ProgressWriter {
  private lastRows = 0
  private lastAt = Date.now()

  constructor(
    private readonly db: Db,
    private readonly runId: string,
  ) {}

  async start(phase: ImportPhase, bytesTotal: number) {
    this.lastRows = 0
    this.lastAt = Date.now()
    await this.db.update(importRuns).set({ phase, rowsProcessed: 0, bytesRead: 0, bytesTotal }).where(eq(importRuns.id, this.runId))
  }

  async rows(rows: number, bytes: number) {
    if (rows - this.lastRows < PROGRESS_EVERY_ROWS && Date.now() - this.lastAt < PROGRESS_EVERY_MS) return
    this.lastRows = rows
    this.lastAt = Date.now()
    await this.db.update(importRuns).set({ rowsProcessed: rows, bytesRead: bytes }).where(eq(importRuns.id, this.runId))
  }

  async phase(phase: ImportPhase, values: { rows: number; bytes: number }) {
    await this.db.update(importRuns).set({ phase, rowsProcessed: values.rows, bytesRead: values.bytes }).where(eq(importRuns.id, this.runId))
  }
}

async function fail(ctx: AppContext, run: ImportRun, error: unknown) {
  const known = error instanceof CrmCsvError
  if (!known) ctx.logger.error({ err: error, runId: run.id }, 'CRM import failed')
  // drizzle wraps database errors ("Failed query: …"); the database's own words are in the cause.
  const cause = (error as { cause?: { message?: string } }).cause?.message
  const message = known
    ? error.message
    : `The import stopped and nothing was imported: ${cause ?? (error as Error).message ?? String(error)}. Fix the cause and upload the file again.`
  // Nothing of a failed run stays behind: not its staging table, not its rejections.
  await dropRunStagingTable(ctx.db, run.id)
  await ctx.db.delete(importRejections).where(eq(importRejections.runId, run.id))
  await ctx.db
    .update(importRuns)
    .set({ status: 'failed', phase: null, error: message, finishedAt: new Date(), details: { ...run.details, errorCode: known ? error.code : 'internal' } })
    .where(eq(importRuns.id, run.id))
  if (run.filePath) await rm(run.filePath, { force: true })
}

function toStagedOpportunity(row: OpportunityRow, source: DbSource, mapper: StageMapper, currency: string): StagedOpportunity {
  return {
    source,
    externalId: row.externalId,
    line: row.line,
    ownerKey: row.ownerKey,
    name: row.name,
    account: row.account,
    amount: row.amount,
    currency: row.currency ?? currency,
    stage: mapper(row.stage, row.status, row.pipeline),
    stageLabel: row.stage,
    status: row.status,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
    expectedCloseOn: row.expectedCloseAt ? row.expectedCloseAt.slice(0, 10) : null,
    leadSource: row.leadSource,
    industry: row.industry,
    campaign: row.campaign,
    probability: row.probability,
    pipeline: row.pipeline ?? 'default',
  }
}

function toStagedLead(row: LeadRow, source: DbSource): StagedLead {
  return {
    source,
    externalId: row.externalId,
    line: row.line,
    ownerKey: row.ownerKey,
    createdAt: row.createdAt,
    converted: row.converted,
    convertedAt: row.convertedAt,
    status: row.status,
    leadSource: row.leadSource,
    industry: row.industry,
    campaign: row.campaign,
  }
}

/** The English text and parameters of "this row repeats line N", as SQL over rejectDuplicates' placeholders. */
function duplicateReason(kind: CrmKind, format: FormatEvent) {
  const MARK_VALUE = '\u0001'
  const MARK_LINE = '\u0002'
  const fill = (template: string) => (p: { value: SQL; firstLine: SQL }) =>
    sql`replace(replace(${template}, ${MARK_VALUE}, ${p.value}), ${MARK_LINE}, ${p.firstLine}::text)`
  if (format.format.derivedExternalId) {
    const template = englishReason({ code: 'duplicate_derived', params: { firstLine: MARK_LINE, kind } })
    return { code: 'duplicate_derived', text: fill(template), params: (p: { firstLine: SQL }) => sql`jsonb_build_object('firstLine', ${p.firstLine}, 'kind', ${kind}::text)` }
  }
  const column = format.format.headers[format.format.mapping.externalId as number]
  const template = englishReason({ code: 'duplicate_id', params: { column, value: MARK_VALUE, firstLine: MARK_LINE } })
  return {
    code: 'duplicate_id',
    text: fill(template),
    params: (p: { value: SQL; firstLine: SQL }) => sql`jsonb_build_object('column', ${column}::text, 'value', ${p.value}, 'firstLine', ${p.firstLine})`,
  }
}

/**
 * Streams the file once into the run's staging table (COPY, batch by batch, outside any
 * transaction), storing each batch's rejections and the progress as it goes; then rejects the
 * rows that repeat an earlier line's id, in SQL. Returns the totals.
 */
async function streamIntoStaging(
  ctx: AppContext,
  run: { id: string; filePath: string },
  options: ParseCrmCsvOptions,
  context: { mapper: StageMapper; currency: string },
  progress: ProgressWriter,
) {
  const counter = { bytes: 0 }
  const { size } = await stat(run.filePath)
  await progress.start('reading', size)
  await ctx.db.delete(importRejections).where(eq(importRejections.runId, run.id))
  let format: FormatEvent | null = null
  let writer: Awaited<ReturnType<typeof openStageWriter>> | null = null
  let read = 0
  try {
    for await (const event of parseCrmCsv(countedFileStream(run.filePath, counter), { batchSize: 5000, sampleRows: 1000, ...options })) {
      if (event.type === 'format') {
        if (!event.ready) throw new CrmCsvError('invalid_mapping', `Required columns are not mapped: ${event.format.missing.join(', ')}. Map them and try again.`)
        format = event
        const table = await createRunStagingTable(ctx.db, run.id, event.format.kind)
        writer = await openStageWriter(ctx.database, table, event.format.kind)
      } else if (event.type === 'batch') {
        const source = toDbSource((format as FormatEvent).format.source)
        const stage = writer as NonNullable<typeof writer>
        if (event.kind === 'opportunities') await stage.write(event.rows.map((r) => toStagedOpportunity(r, source, context.mapper, context.currency)))
        else await stage.write(event.rows.map((r) => toStagedLead(r, source)))
        if (event.rejections.length) {
          await ctx.db
            .insert(importRejections)
            .values(event.rejections.map((r) => ({ runId: run.id, line: r.line, reason: r.reason, code: r.code, params: r.params })))
        }
        read += event.rows.length + event.rejections.length
        await progress.rows(read, counter.bytes)
      } else {
        await (writer as NonNullable<typeof writer>).end()
        writer = null
        const known = format as FormatEvent
        await progress.phase('checking', { rows: read, bytes: counter.bytes })
        const duplicates = await rejectDuplicates(ctx.db, runStagingTable(run.id), run.id, duplicateReason(known.format.kind, known))
        return { format: known, end: { ...event, rows: event.rows - duplicates, rejected: event.rejected + duplicates } }
      }
    }
  } catch (error) {
    await writer?.abort(error as Error)
    throw error
  }
  throw new Error('The CSV parser stopped before the end of the file')
}

/** Job: recognise the file, ask for a mapping if needed, else count new/updated/unchanged/rejected without writing CRM rows. */
export async function previewImport(ctx: AppContext, runId: string): Promise<void> {
  const run = await getImportRun(ctx.db, runId)
  if (!run || run.status !== 'previewing') return
  try {
    if (!run.filePath) throw new CrmCsvError('file_missing', 'The uploaded file is no longer available; upload it again.')
    const settings = await getSettings(ctx.db)
    let mapping = run.details.mapping
    let recognised = await recognise(run.filePath, parseOptions(run, settings.timezone, mapping))
    if (!recognised.ready && !mapping) {
      // A mapping saved by an earlier upload of this export applies only where recognition alone falls short.
      const saved = await savedMapping(ctx.db, recognised.format.source, recognised.format.kind)
      if (saved) {
        const withSaved = await recognise(run.filePath, { ...parseOptions(run, settings.timezone, saved), kind: recognised.format.kind, source: recognised.format.source })
        if (withSaved.ready) {
          mapping = saved
          recognised = withSaved
        }
      }
    }
    const details: RunDetails = { ...run.details, mapping, format: formatDetails(recognised) }
    const kind = recognised.format.kind as ImportKind
    const source = toDbSource(recognised.format.source)
    if (!recognised.ready) {
      await ctx.db.update(importRuns).set({ status: 'mapping', kind, source, details }).where(eq(importRuns.id, run.id))
      return
    }

    const withFormat: ImportRun = { ...run, kind, source, details }
    const options = parseOptions(withFormat, settings.timezone, mapping)
    const mapper = await loadStageMapper(ctx.db)
    // Writes nothing but the run, its rejections and its own staging table (kept for the commit).
    const progress = new ProgressWriter(ctx.db, run.id)
    const { end } = await streamIntoStaging(ctx, { id: run.id, filePath: run.filePath }, options, { mapper, currency: settings.currency }, progress)
    const counts = await compareStaged(ctx.db, kind, runStagingTable(run.id))
    await ctx.db
      .update(importRuns)
      .set({
        status: 'previewed',
        phase: null,
        kind,
        source,
        rowsTotal: end.rows + end.rejected,
        rowsProcessed: end.rows + end.rejected,
        rejected: end.rejected,
        details: { ...details, preview: { ...counts, rejected: end.rejected, rows: end.rows, skipped: end.skipped, encoding: end.encoding } },
      })
      .where(eq(importRuns.id, run.id))
  } catch (error) {
    await fail(ctx, run, error)
  }
}

export class ImportStateError extends Error {}

/**
 * The mapping step: field → header for this file, saved for the source and kind so the next
 * upload of the same export skips the step. Then the preview runs again.
 */
export async function saveImportMapping(ctx: AppContext, runId: string, mapping: Record<string, string>): Promise<void> {
  const run = await getImportRun(ctx.db, runId)
  if (!run || !run.details.format || (run.status !== 'mapping' && run.status !== 'previewed')) {
    throw new ImportStateError('This import is not waiting for a column mapping.')
  }
  const { source, kind } = run.details.format
  const userMapping: UserMapping = Object.fromEntries(Object.entries(mapping).filter(([, header]) => header !== ''))
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(columnMappings)
      .values({ source, kind, mapping: userMapping as Record<string, string> })
      .onConflictDoUpdate({ target: [columnMappings.source, columnMappings.kind], set: { mapping: userMapping as Record<string, string>, updatedAt: new Date() } })
    await tx
      .update(importRuns)
      .set({ status: 'previewing', rowsProcessed: 0, details: { ...run.details, mapping: userMapping } })
      .where(eq(importRuns.id, run.id))
  })
  await ctx.jobs.send('crm.import.preview', { runId: run.id })
}

/** Required fields for the mapping step, each with the fields any one of which satisfies it. */
export function mappingFieldsOf(format: NonNullable<RunDetails['format']>) {
  return requiredFields(format.kind, format.source)
}

/** Starts the commit of a previewed run (once: the status claim makes a double submit a no-op). */
export async function requestCommit(ctx: AppContext, runId: string): Promise<void> {
  const [claimed] = await ctx.db
    .update(importRuns)
    .set({ status: 'committing', rowsProcessed: 0 })
    .where(and(eq(importRuns.id, runId), eq(importRuns.status, 'previewed')))
    .returning({ id: importRuns.id })
  if (!claimed) {
    const run = await getImportRun(ctx.db, runId)
    if (run?.status === 'committing' || run?.status === 'committed') return
    throw new ImportStateError('Only a previewed import can be committed.')
  }
  await ctx.jobs.send('crm.import.commit', { runId }, { singletonKey: `commit:${runId}` })
}

/**
 * Job: the atomic commit. The rows the preview staged (or, if that table is gone, the file read
 * again into it) are merged in one transaction — new, changed, stage history, owners — and the
 * run marked committed; on any failure everything rolls back and the run records why. The
 * progress (phase "merging") is written before the transaction, where the run page can see it.
 */
export async function commitImport(ctx: AppContext, runId: string): Promise<void> {
  const run = await getImportRun(ctx.db, runId)
  if (!run || run.status !== 'committing') return
  try {
    if (!run.filePath || !run.kind || !run.source) throw new CrmCsvError('file_missing', 'The uploaded file is no longer available; upload it again.')
    const settings = await getSettings(ctx.db)
    const kind = run.kind
    const source = run.source
    const progress = new ProgressWriter(ctx.db, run.id)
    let totals = { rows: run.details.preview?.rows ?? 0, rejected: run.rejected }
    if (!(await runStagingExists(ctx.db, run.id))) {
      const options = parseOptions(run, settings.timezone, run.details.mapping)
      const mapper = await loadStageMapper(ctx.db)
      const { end } = await streamIntoStaging(ctx, { id: run.id, filePath: run.filePath }, options, { mapper, currency: settings.currency }, progress)
      totals = { rows: end.rows, rejected: end.rejected }
    }
    const read = totals.rows + totals.rejected
    await progress.phase('merging', { rows: read, bytes: run.bytesTotal })
    await ctx.db.transaction(async (tx) => {
      const merged = await mergeStaged(tx, kind, { runId: run.id, changedAt: run.exportedAt ?? new Date(), currency: settings.currency }, runStagingTable(run.id))
      await resolveOwners(tx, source)
      await tx
        .update(importRuns)
        .set({
          status: 'committed',
          phase: null,
          rowsTotal: read,
          rowsProcessed: read,
          created: merged.created,
          updated: merged.updated,
          unchanged: merged.unchanged,
          rejected: totals.rejected,
          finishedAt: new Date(),
          details: { ...run.details, stageChanges: merged.stageChanges },
        })
        .where(eq(importRuns.id, run.id))
    })
    await dropRunStagingTable(ctx.db, run.id)
    await rm(run.filePath, { force: true })
  } catch (error) {
    await fail(ctx, run, error)
  }
}

/** Everything the run page shows, in one call. */
export async function getImportRunPage(db: Db, runId: string, page: number) {
  const run = await getImportRun(db, runId)
  if (!run) return null
  const format = run.details.format ?? null
  const [rejections, [{ unmapped }]] = await Promise.all([
    listRejections(db, runId, page),
    queryRows<{ unmapped: number }>(
      db,
      sql`select (select count(distinct lower(owner_key)) from opportunities where owner_id is null)::int
        + (select count(distinct lower(owner_key)) from leads l where owner_id is null
           and not exists (select 1 from opportunities o where o.owner_id is null and lower(o.owner_key) = lower(l.owner_key)))::int as unmapped`,
    ),
  ])
  return {
    id: run.id,
    filename: run.filename,
    status: run.status,
    kind: run.kind,
    source: run.source,
    rowsTotal: run.rowsTotal,
    rowsProcessed: run.rowsProcessed,
    phase: run.phase,
    bytesRead: run.bytesRead,
    bytesTotal: run.bytesTotal,
    created: run.created,
    updated: run.updated,
    unchanged: run.unchanged,
    rejected: run.rejected,
    error: run.error,
    errorCode: run.details.errorCode ?? null,
    format,
    /** Required fields of the mapping step, with the header currently chosen for each (or ''). */
    mappingFields: format
      ? mappingFieldsOf(format).map((req) => ({
          field: req.field,
          current: req.satisfiedBy.map((f) => (run.details.mapping?.[f] as string | undefined) ?? format.mapped[f]).find(Boolean) ?? '',
        }))
      : [],
    preview: run.details.preview ?? null,
    stageChanges: run.details.stageChanges ?? 0,
    rejections,
    unmappedOwners: unmapped,
  }
}
