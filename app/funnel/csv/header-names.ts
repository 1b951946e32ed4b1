/**
 * Header comparison key: case, accents, punctuation and spacing never decide whether a column
 * matches ("Probabilità (%)" ≡ "probabilita", "Deal - Title" ≡ "deal title", "created_at" ≡
 * "Created At").
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number}]+/gu, ' ')
    .trim()
}
