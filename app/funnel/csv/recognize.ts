import { CrmCsvError } from './errors'
import { fieldsOf, requiredFields, type ColumnMapping, type CrmField, type CrmKind, type CrmSource } from './fields'
import { CRM_FORMATS, formatFor, type CrmFormat } from './formats'
import { headerKey } from './header-names'

/**
 * A mapping chosen by a user (or saved for a source): field → column, by 0-based index or by
 * header text. Names survive a CRM adding or reordering columns; indexes survive a renamed header.
 * `null` explicitly unmaps a field the recogniser guessed wrong.
 */
export type UserMapping = Partial<Record<CrmField, number | string | null>>

export interface MappingValidation {
  mapping: ColumnMapping
  /** Required fields no column satisfies yet: the mapping step asks the user for these. */
  missing: CrmField[]
  /** Entries of the user mapping that were ignored, each said in words. */
  problems: string[]
}

export interface FormatRecognition extends MappingValidation {
  kind: CrmKind
  source: CrmSource
  headers: string[]
  /** Headers no field uses, offered as choices in the mapping step. */
  unmappedHeaders: string[]
  /** True when rows get an id derived from their content (Salesforce report without an id column). */
  derivedExternalId: boolean
}

export interface RecognitionHints {
  kind?: CrmKind
  source?: CrmSource
  mapping?: UserMapping
}

function findHeader(keys: string[], alias: string, used: Set<number>): number {
  const key = headerKey(alias)
  return keys.findIndex((k, i) => k === key && !used.has(i))
}

function autoMapping(format: CrmFormat, keys: string[]): ColumnMapping {
  const mapping: ColumnMapping = {}
  const used = new Set<number>()
  for (const field of fieldsOf(format.kind)) {
    for (const alias of format.aliases[field] ?? []) {
      const index = findHeader(keys, alias, used)
      if (index >= 0) {
        mapping[field] = index
        used.add(index)
        break
      }
    }
  }
  return mapping
}

function signatureMatches(format: CrmFormat, keys: string[]): boolean {
  return format.signature.every((group) => group.some((alias) => keys.includes(headerKey(alias))))
}

function missingFields(kind: CrmKind, source: CrmSource, mapping: ColumnMapping): CrmField[] {
  return requiredFields(kind, source)
    .filter((req) => !req.satisfiedBy.some((f) => mapping[f] !== undefined))
    .map((req) => req.field)
}

/**
 * Applies a user mapping on top of `base` (the recogniser's guess, or nothing) and says which
 * required fields are still missing. Bad entries are reported and skipped, never fatal: a saved
 * mapping that names a column this export no longer has should lead back to the mapping step.
 */
export function validateMapping(
  headers: readonly string[],
  format: { kind: CrmKind; source: CrmSource },
  userMapping: UserMapping,
  base: ColumnMapping = {},
): MappingValidation {
  const keys = headers.map(headerKey)
  const allowed = new Set<string>(fieldsOf(format.kind))
  const mapping: ColumnMapping = { ...base }
  const problems: string[] = []

  for (const [field, target] of Object.entries(userMapping) as [string, number | string | null | undefined][]) {
    if (!allowed.has(field)) {
      problems.push(`"${field}" is not a field of ${format.kind}; expected one of ${[...allowed].join(', ')}.`)
      continue
    }
    const crmField = field as CrmField
    if (target === null || target === undefined) {
      delete mapping[crmField]
      continue
    }
    let index: number
    if (typeof target === 'number') {
      if (!Number.isInteger(target) || target < 0 || target >= headers.length) {
        problems.push(`${field} is mapped to column ${target}, but the file has columns 0 to ${headers.length - 1}.`)
        continue
      }
      index = target
    } else {
      index = keys.indexOf(headerKey(target))
      if (index < 0) {
        problems.push(`${field} is mapped to the column "${target}", which this file does not have.`)
        continue
      }
    }
    // The user's choice wins: a field the recogniser had put on this column moves off it.
    for (const [other, at] of Object.entries(mapping) as [CrmField, number][]) {
      if (at === index && other !== crmField && !(other in userMapping)) delete mapping[other]
    }
    mapping[crmField] = index
  }

  return { mapping, missing: missingFields(format.kind, format.source, mapping), problems }
}

/**
 * Recognises the export format from its header row. The format whose signature matches and that
 * maps the most columns wins (ties go to the earlier, more specific format). Hints narrow the
 * choice; with a `kind` hint an unknown layout falls back to the generic template so the user
 * can map every column by hand.
 */
export function recognizeCrmFormat(headers: readonly string[], hints: RecognitionHints = {}): FormatRecognition {
  const keys = headers.map(headerKey)
  let best: { format: CrmFormat; mapping: ColumnMapping; score: number } | null = null
  for (const format of CRM_FORMATS) {
    if (hints.kind && format.kind !== hints.kind) continue
    if (hints.source && format.source !== hints.source) continue
    if (!signatureMatches(format, keys)) continue
    const mapping = autoMapping(format, keys)
    const score = Object.keys(mapping).length
    if (!best || score > best.score) best = { format, mapping, score }
  }

  if (!best) {
    const fallback = hints.kind ? formatFor(hints.source ?? 'generic', hints.kind) : undefined
    if (!fallback) {
      const shown = headers.slice(0, 8).map((h) => `"${h}"`).join(', ')
      throw new CrmCsvError(
        'unrecognised_format',
        `This does not look like a CRM export we know (its first row is ${shown || 'empty'}). ` +
          'Upload a Salesforce opportunities or leads report, a HubSpot deals or contacts export, a Pipedrive deals export, ' +
          'or a file in the Pulseboard template (columns external_id, owner, amount, …), or choose the kind of file and map its columns.',
        1,
      )
    }
    best = { format: fallback, mapping: autoMapping(fallback, keys), score: 0 }
  }

  const { format } = best
  const validation = validateMapping(headers, format, hints.mapping ?? {}, best.mapping)
  const used = new Set(Object.values(validation.mapping))
  return {
    kind: format.kind,
    source: format.source,
    headers: [...headers],
    ...validation,
    unmappedHeaders: headers.filter((_, i) => !used.has(i)),
    derivedExternalId: validation.mapping.externalId === undefined && format.source === 'salesforce',
  }
}
