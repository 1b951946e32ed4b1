/** Checkbox cells as CRMs and spreadsheets write them, in English, Italian and German. */
const TRUE = new Set(['1', 'true', 'yes', 'y', 'x', 'si', 'sì', 'vero', 'ja', 'wahr', 'checked'])
const FALSE = new Set(['0', 'false', 'no', 'n', 'falso', 'nein', 'falsch', 'unchecked'])

export const CHECKBOX_ACCEPTED = '1/0, true/false, yes/no, sì/no or vero/falso'

/** true/false, or null when the cell is not a checkbox value (blank included: the caller decides). */
export function parseCheckbox(raw: string): boolean | null {
  const s = raw.trim().toLowerCase()
  if (TRUE.has(s)) return true
  if (FALSE.has(s)) return false
  return null
}
