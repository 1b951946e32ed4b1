import { createHash } from 'node:crypto'

/**
 * Salesforce reports include the record id only if the report author added the column. Without
 * it a deal's identity is what the report shows: opportunity name + account name + created date
 * (a lead's: first name + last name + company + email + created date). The id is
 * `sf:` + the first 24 hex digits of the SHA-256 of those values — trimmed, lower-cased, the date
 * as its local calendar day so a re-export in another locale format gives the same id — joined
 * with U+001F. Re-importing the same report then updates instead of duplicating; renaming a deal
 * or its account makes it a new deal, which is why the importer recommends adding the id column.
 */
export function deriveExternalId(parts: readonly (string | null)[]): string {
  const text = parts.map((p) => (p ?? '').trim().normalize('NFC').toLowerCase()).join('\u001f')
  return `sf:${createHash('sha256').update(text).digest('hex').slice(0, 24)}`
}
