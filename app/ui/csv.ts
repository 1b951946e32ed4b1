/**
 * A small CSV writer (RFC 4180) that is safe to open in a spreadsheet.
 *
 * Spreadsheet formula injection (OWASP "CSV Injection"): Excel, LibreOffice and Google Sheets
 * evaluate a cell that starts with = + - @ (and, in some versions, a tab or carriage return) as a
 * formula, so a comment like `=HYPERLINK("http://evil","click")` would become a live link. Such
 * cells get a leading single quote, which every spreadsheet shows as plain text. Numbers are
 * written as numbers (a negative number is not text a user typed, so it keeps its minus sign).
 */
export type CsvCell = string | number | boolean | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/

/** One cell: neutralised against formulas, quoted when it holds a delimiter, quote or line break. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  let text = value
  if (FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Whole document: header row then rows, CRLF line ends (RFC 4180), with a BOM so Excel reads UTF-8. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvCell).join(','), ...rows.map((row) => row.map(csvCell).join(','))]
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
