/**
 * Percentages as a fraction: `10%`, `10`, `12,5 %` → 0.1, 0.1, 0.125. A bare number is always
 * percentage points, as in Salesforce's "Probability (%)" and Pipedrive's probability: reading
 * `0.5` as 50% would make a 0.5% probability unrepresentable. The decimal point is shifted in the
 * string, so `33.3` gives 0.333 and not 0.33299999999999996. Null when not a percentage 0–100.
 */
export function parsePercent(raw: string): number | null {
  const m = /^\s*(\d{1,3})(?:[.,](\d+))?\s*%?\s*$/.exec(raw)
  if (!m) return null
  const points = Number(`${m[1]}.${m[2] ?? '0'}`)
  if (points > 100) return null
  const digits = m[1].padStart(3, '0')
  return Number(`${digits.slice(0, -2)}.${digits.slice(-2)}${m[2] ?? ''}`)
}
