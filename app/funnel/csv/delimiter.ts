export type Delimiter = ',' | ';' | '\t'

/**
 * The delimiter is whichever of `,` `;` tab occurs most often outside quotes in the header line.
 * Headers are the safest line to count on: they rarely contain the delimiter themselves, while
 * values like `1.234,56` in a `;` file do. Ties and header lines with none go to the comma.
 */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 }
  let quoted = false
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++
  }
  let best: Delimiter = ','
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d
  return best
}
