import { IANAZone } from 'luxon'
import { decodeCrmBytes, normaliseLineEndings, type DecodeReport, type TextEncodingName } from './decode'
import { detectDelimiter, type Delimiter } from './delimiter'
import { CrmCsvError } from './errors'
import { csvRecords } from './tokenize'
import type { CrmField, CrmKind, CrmSource } from './fields'
import { isBlankRow, isFooterRow } from './footer'
import { decideFileLocale, type FileLocale } from './locale'
import { normaliseLead, normaliseOpportunity, type Normalised, type RowContext } from './normalize-row'
import { recognizeCrmFormat, type FormatRecognition, type UserMapping } from './recognize'
import type { LeadRow, OpportunityRow, Rejection } from './records'

export interface ParseCrmCsvOptions {
  /** IANA zone of the organisation: exports carry local times without an offset. */
  timeZone: string
  /** Forces number and date conventions (`it-IT`, `en-GB`, `en_US`…) instead of detecting them. */
  locale?: string
  /** Narrow recognition, or name the kind of an unknown layout the user is mapping by hand. */
  kind?: CrmKind
  source?: CrmSource
  /** A mapping from the mapping step or saved for this source; wins over the recogniser's guess. */
  mapping?: UserMapping
  /** Rows + rejections per batch event. The only rows held in memory at once. */
  batchSize?: number
  /** Data rows inspected to detect the file's locale (buffered before the first batch). */
  sampleRows?: number
}

export interface FormatEvent {
  type: 'format'
  format: FormatRecognition
  locale: FileLocale
  delimiter: Delimiter
  /** False when required fields are unmapped or the mapping had problems: nothing more is yielded. */
  ready: boolean
}

export type BatchEvent =
  | { type: 'batch'; kind: 'opportunities'; rows: OpportunityRow[]; rejections: Rejection[] }
  | { type: 'batch'; kind: 'leads'; rows: LeadRow[]; rejections: Rejection[] }

export interface EndEvent {
  type: 'end'
  rows: number
  rejected: number
  /** Blank rows and report footers: not data, not rejections. */
  skipped: number
  /** Physical lines in the file. */
  lines: number
  encoding: TextEncodingName
}

export type CrmCsvEvent = FormatEvent | BatchEvent | EndEvent

interface RawRecord {
  cells: string[]
  line: number
}

const MAX_HEADER_CHARS = 1_000_000
const DATE_FIELDS: readonly CrmField[] = ['createdAt', 'closedAt', 'wonAt', 'lostAt', 'expectedCloseAt', 'convertedAt']

/** Yields the decoded text, having read just enough to see the header line's delimiter first. */
async function peekDelimiter(text: AsyncGenerator<string>): Promise<{ delimiter: Delimiter; text: AsyncGenerator<string> }> {
  let head = ''
  for (;;) {
    const firstLine = /^\s*([^\n]*?\S[^\n]*)\n/.exec(head)
    // A header line longer than this is no header; the tokenizer's record limit will refuse the file.
    if (firstLine || head.length > MAX_HEADER_CHARS) break
    const next = await text.next()
    if (next.done) break
    head += next.value
  }
  if (head.trim() === '') throw new CrmCsvError('empty_file', 'The file is empty: export the report again with its rows and upload it.')
  const firstLine = head.trimStart().split('\n', 1)[0]
  async function* replay(): AsyncGenerator<string> {
    // Stopped while still on the head, the decoder (and the upload under it) is released too.
    try {
      yield head
      yield* text
    } finally {
      await text.return(undefined)
    }
  }
  return { delimiter: detectDelimiter(firstLine), text: replay() }
}

async function* records(text: AsyncGenerator<string>, delimiter: Delimiter, lines: { count: number }): AsyncGenerator<RawRecord> {
  // An unclosed quote would otherwise swallow the rest of a 1 GB file into one field.
  yield* csvRecords(text, delimiter, lines, 1_000_000)
}

/**
 * Parses an uploaded CRM export as a stream of events: first `format` (what the file is, its
 * column mapping and conventions), then `batch`es of normalised rows and rejections, then `end`.
 * Only the locale sample and one batch are in memory at a time, whatever the file's size: rows
 * that repeat an id are not detected here (that would hold every id) but by the import, in SQL
 * on its staging table (see rejectDuplicates). Whole-file problems throw a CrmCsvError before
 * any batch.
 * When `format.ready` is false the caller shows the mapping step and parses again with `mapping`.
 */
export async function* parseCrmCsv(source: AsyncIterable<Uint8Array | string>, options: ParseCrmCsvOptions): AsyncGenerator<CrmCsvEvent> {
  // A wrong zone is a caller bug; left alone it would reject every row as "not a real date".
  if (!IANAZone.isValidZone(options.timeZone)) throw new RangeError(`Unknown IANA time zone "${options.timeZone}"`)
  const batchSize = options.batchSize ?? 1000
  const sampleRows = options.sampleRows ?? batchSize
  const decodeReport: DecodeReport = { encoding: null, bomStripped: false }
  const { delimiter, text } = await peekDelimiter(normaliseLineEndings(decodeCrmBytes(source, decodeReport)))
  const lines = { count: 0 }
  const input = records(text, delimiter, lines)

  // Also on an early return or a throw: stops the parser and releases the upload.
  try {
    const header = await input.next()
    if (header.done) throw new CrmCsvError('empty_file', 'The file is empty: export the report again with its rows and upload it.')
    const headers = header.value.cells.map((h) => h.trim())
    const format = recognizeCrmFormat(headers, { kind: options.kind, source: options.source, mapping: options.mapping })

    let skipped = 0
    const isData = (cells: string[]) => {
      if (isBlankRow(cells) || isFooterRow(cells)) {
        skipped++
        return false
      }
      return true
    }

    // The sample decides the locale, so it is read before the first row is normalised.
    const sample: RawRecord[] = []
    let exhausted = false
    while (sample.length < sampleRows) {
      const next = await input.next()
      if (next.done) {
        exhausted = true
        break
      }
      if (isData(next.value.cells)) sample.push(next.value)
    }
    const column = (field: CrmField) => format.mapping[field]
    const valuesOf = (fields: readonly CrmField[]) =>
      sample.flatMap((rec) => fields.map((f) => column(f)).filter((i): i is number => i !== undefined).map((i) => rec.cells[i] ?? ''))
    const locale = decideFileLocale({ amounts: valuesOf(['amount']), dates: valuesOf(DATE_FIELDS), delimiter }, options.locale)

    const ready = format.missing.length === 0 && format.problems.length === 0
    yield { type: 'format', format, locale, delimiter, ready }
    if (!ready) return

    const ctx: RowContext = {
      headers,
      mapping: format.mapping,
      locale,
      timeZone: options.timeZone,
      derivedExternalId: format.derivedExternalId,
    }
    let rows: (OpportunityRow | LeadRow)[] = []
    let rejections: Rejection[] = []
    let totalRows = 0
    let totalRejected = 0

    const accept = (rec: RawRecord) => {
      const result: Normalised<OpportunityRow | LeadRow> =
        format.kind === 'opportunities' ? normaliseOpportunity(rec.cells, rec.line, ctx) : normaliseLead(rec.cells, rec.line, ctx)
      if (!result.ok) {
        rejections.push(result.rejection)
        return
      }
      rows.push(result.row)
    }
    const flush = (): BatchEvent => {
      totalRows += rows.length
      totalRejected += rejections.length
      const event =
        format.kind === 'opportunities'
          ? { type: 'batch' as const, kind: 'opportunities' as const, rows: rows as OpportunityRow[], rejections }
          : { type: 'batch' as const, kind: 'leads' as const, rows: rows as LeadRow[], rejections }
      rows = []
      rejections = []
      return event
    }

    for (const rec of sample) {
      accept(rec)
      if (rows.length + rejections.length >= batchSize) yield flush()
    }
    sample.length = 0
    if (!exhausted) {
      for await (const rec of input) {
        if (!isData(rec.cells)) continue
        accept(rec)
        if (rows.length + rejections.length >= batchSize) yield flush()
      }
    }
    if (rows.length + rejections.length > 0) yield flush()

    yield {
      type: 'end',
      rows: totalRows,
      rejected: totalRejected,
      skipped,
      lines: lines.count,
      encoding: decodeReport.encoding ?? 'utf-8',
    }
  } finally {
    await input.return(undefined)
  }
}
