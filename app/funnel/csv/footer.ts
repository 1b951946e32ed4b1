/**
 * Salesforce report exports end with a blank row and then "Grand Totals (90 records)",
 * "Confidential Information - Do Not Distribute" and "Copyright (c) 2000-2026 salesforce.com…".
 * Those rows are not data: they are skipped, never counted as rejected.
 */
const FOOTER = [
  /^grand totals?\b/i,
  /^totali? (complessivi|generali)\b/i,
  /^confidential information\b/i,
  /^informazioni riservate\b/i,
  /^copyright\b/i,
  /^\(c\)/i,
]

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '')
}

/** A footer row has one non-empty cell, the first, reading like a report footer. */
export function isFooterRow(cells: readonly string[]): boolean {
  const first = (cells[0] ?? '').trim()
  return first !== '' && cells.slice(1).every((c) => c.trim() === '') && FOOTER.some((re) => re.test(first))
}
