import { messagesFor } from '~/i18n'
import type { Messages } from '~/i18n'

/**
 * Why a row was rejected, as data: a code and its parameters (the file's column header, the
 * offending value, the line it repeats…). Stored with the rejected row and rendered in the
 * viewer's language; the English rendering is also kept as the row's plain `reason`.
 */
export const REJECTION_CODES = [
  'missing_value',
  'missing_stage',
  'missing_close_date',
  'invalid_date',
  'not_a_date',
  'invalid_time',
  'date_before_created',
  'invalid_status',
  'invalid_won_flag',
  'invalid_closed_flag',
  'won_not_closed',
  'invalid_amount',
  'two_currencies',
  'negative_amount',
  'invalid_currency',
  'currency_mismatch',
  'invalid_probability',
  'invalid_checkbox',
  'missing_converted_date',
  'converted_not_flagged',
  'duplicate_id',
  'duplicate_derived',
] as const
export type RejectionCode = (typeof REJECTION_CODES)[number]

/** What a required empty cell was needed for. */
export type MissingNeed = 'deal_created' | 'lead_created' | 'record_id' | 'deal_owner' | 'lead_owner' | 'amount'

export type RejectionParams = Record<string, string | number>

export interface StructuredReason {
  code: RejectionCode
  /** `column` (the file's header) is among them when one column is at fault. */
  params: RejectionParams
}

type ReasonMessages = Messages['funnel']['imports']['reasons']

const isCode = (code: string): code is RejectionCode => (REJECTION_CODES as readonly string[]).includes(code)

/** The reason in the language of `m`; null for an unknown code (the caller falls back to the stored text). */
export function describeReason(m: ReasonMessages, code: string, params: RejectionParams): string | null {
  if (!isCode(code)) return null
  const p = params as Record<string, never>
  const body = (m.codes[code] as (p: Record<string, never>) => string)(p)
  return typeof params.column === 'string' && params.column !== '' ? m.inColumn({ column: params.column, text: body }) : body
}

const english = messagesFor('en').funnel.imports.reasons

/** The English text of a reason (the plain `reason` every rejected row also keeps). */
export function englishReason(reason: StructuredReason): string {
  return describeReason(english, reason.code, reason.params) as string
}

/** A stored rejection in the viewer's language; rows stored before codes existed show their English text. */
export function localisedReason(m: ReasonMessages, row: { reason: string; code: string | null; params: RejectionParams | null }): string {
  return (row.code && describeReason(m, row.code, row.params ?? {})) || row.reason
}
