/**
 * The CSV side of the history import (/surveys/import): columns email, submitted_at, then one
 * column per question key. Rows become the same items as the API's, and are checked by the same
 * validateHistory; problems come back with their CSV line and column.
 */
import { parse } from 'csv-parse/sync'
import type { Db } from '#db/client'
import type { PrivacyMode } from '#db/schema/surveys'
import type { Actor } from '~/audit/audit.server'
import { ENPS_QUESTION, bankQuestion } from '~/surveys/question-bank'
import { importHistory, validateHistory } from './history-import.server'

export type CsvProblem = { line: number; column: string; message: string }
export type CsvPreview = { responses: number; people: number; months: number; questions: string[] }

type Parsed = { ok: true; items: { email: string; submittedAt: string; answers: { question: string; value: number | string }[] }[]; keys: string[] } | { ok: false; problems: CsvProblem[] }

function parseCsv(text: string): Parsed {
  let records: string[][]
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true, bom: true }) as string[][]
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1
    return { ok: false, problems: [{ line, column: '', message: `the file is not valid CSV: ${(error as Error).message}` }] }
  }
  const header = (records[0] ?? []).map((h) => h.trim())
  const emailAt = header.findIndex((h) => h.toLowerCase() === 'email')
  const dateAt = header.findIndex((h) => h.toLowerCase() === 'submitted_at')
  if (emailAt < 0 || dateAt < 0) return { ok: false, problems: [{ line: 1, column: '', message: 'the first line must name the columns email and submitted_at, then one column per question key' }] }
  const problems: CsvProblem[] = []
  const keyColumns = header.map((h, i) => ({ key: h, i })).filter(({ i }) => i !== emailAt && i !== dateAt)
  for (const { key } of keyColumns) {
    if (key !== 'enps' && !bankQuestion(key)) problems.push({ line: 1, column: key, message: `unknown question "${key}": use "enps" or a key of the question bank (e.g. workload_manageable)` })
  }
  if (records.length < 2) problems.push({ line: 2, column: '', message: 'the file has no responses below its header line' })
  if (problems.length) return { ok: false, problems }
  const items = records.slice(1).map((row) => ({
    email: (row[emailAt] ?? '').trim(),
    submittedAt: (row[dateAt] ?? '').trim(),
    answers: keyColumns
      .filter(({ i }) => (row[i] ?? '').trim() !== '')
      .map(({ key, i }) => {
        const raw = row[i].trim()
        const type = key === 'enps' ? ENPS_QUESTION.type : bankQuestion(key)!.type
        // Numbers stay numbers unless the question is free text; "abc" for a score is reported by the validator.
        return { question: key, value: type !== 'text' && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw }
      }),
  }))
  return { ok: true, items, keys: keyColumns.map((k) => k.key) }
}

function toProblems(parsed: Extract<Parsed, { ok: true }>, errors: { index: number; field: string; message: string }[]): CsvProblem[] {
  return errors.map((e) => {
    const answer = /^answers\.(\d+)/.exec(e.field)
    const column = e.field === 'email' ? 'email' : e.field === 'submittedAt' ? 'submitted_at' : answer ? (parsed.items[e.index]?.answers[Number(answer[1])]?.question ?? '') : e.field
    return { line: e.index + 2, column, message: e.message }
  })
}

/** Checks a CSV without writing: a preview of what would be imported, or every problem with its line. */
export async function previewHistoryCsv(db: Db, text: string): Promise<{ ok: true; preview: CsvPreview } | { ok: false; problems: CsvProblem[] }> {
  const parsed = parseCsv(text)
  if (!parsed.ok) return parsed
  const checked = await validateHistory(db, { survey: { title: 'preview', privacy: 'confidential' }, responses: parsed.items })
  if (!checked.ok) return { ok: false, problems: toProblems(parsed, checked.errors) }
  return {
    ok: true,
    preview: {
      responses: checked.items.length,
      people: new Set(checked.items.map((i) => i.personId)).size,
      months: new Set(checked.items.map((i) => i.day.slice(0, 7))).size,
      questions: checked.keys,
    },
  }
}

/** Imports a checked CSV (validated again: the people or the file may have changed since the preview). */
export async function importHistoryCsv(db: Db, text: string, survey: { title: string; privacy: PrivacyMode }, actor: Actor) {
  const parsed = parseCsv(text)
  if (!parsed.ok) return { status: 'invalid' as const, problems: parsed.problems }
  const result = await importHistory(db, { survey, responses: parsed.items }, actor)
  if (result.status === 'invalid') return { status: 'invalid' as const, problems: toProblems(parsed, result.errors) }
  return result
}
