import { parseAmount } from './amount'
import { parseCheckbox } from './checkbox'
import { parseCrmDate } from './date'
import { deriveExternalId } from './external-id'
import type { ColumnMapping, CrmField } from './fields'
import type { FileLocale } from './locale'
import { parsePercent } from './percent'
import { englishReason, type MissingNeed, type RejectionCode, type RejectionParams } from './reasons'
import { leadRowSchema, opportunityRowSchema, type LeadRow, type OpportunityRow, type Rejection } from './records'
import { parseStatus, statusFromFlags, statusFromStage, type DealStatus } from './status'

/** Everything a row needs to know about its file. */
export interface RowContext {
  headers: readonly string[]
  mapping: ColumnMapping
  locale: FileLocale
  /** IANA zone local datetimes are read in: the organisation's. */
  timeZone: string
  derivedExternalId: boolean
}

export type Normalised<R> = { ok: true; row: R } | { ok: false; rejection: Rejection }

/** Thrown inside a normaliser to reject the row; caught right there, never escapes. */
class RowRejected extends Error {
  constructor(readonly rejection: Omit<Rejection, 'line'>) {
    super(rejection.reason)
  }
}

/** Cell access by canonical field, with messages that name the file's own column header. */
class RowReader {
  constructor(
    private readonly cells: readonly string[],
    private readonly ctx: RowContext,
  ) {}

  has(field: CrmField): boolean {
    return this.ctx.mapping[field] !== undefined
  }

  /** Trimmed value; '' when blank or the column is not mapped. */
  get(field: CrmField): string {
    const index = this.ctx.mapping[field]
    return index === undefined ? '' : (this.cells[index] ?? '').trim()
  }

  text(field: CrmField): string | null {
    return this.get(field) || null
  }

  column(field: CrmField): string {
    const index = this.ctx.mapping[field]
    return index === undefined ? field : this.ctx.headers[index]
  }

  /** Rejects the row for `code`; the column's header joins the parameters so every language can name it. */
  reject(field: CrmField | null, code: RejectionCode, params: RejectionParams = {}): never {
    const column = field ? this.column(field) : null
    const value = field ? this.get(field) : null
    const all = column ? { column, ...params } : params
    throw new RowRejected({ reason: englishReason({ code, params: all }), code, params: all, column, value })
  }

  required(field: CrmField, need: MissingNeed): string {
    const value = this.get(field)
    if (!value) this.reject(field, 'missing_value', { need })
    return value
  }

  date(field: CrmField): string | null {
    const value = this.get(field)
    if (!value) return null
    const parsed = parseCrmDate(value, { dayOrder: this.ctx.locale.dayOrder, timeZone: this.ctx.timeZone })
    if (!parsed.ok) this.reject(field, parsed.code, { value, dayOrder: parsed.dayOrder })
    return parsed.value
  }
}

/** Local calendar day of an ISO string date.ts wrote (its offset is the organisation's zone). */
const dayOf = (iso: string) => iso.slice(0, 10)

/**
 * Order is compared by local calendar day, not instant: Salesforce close dates have no time, so
 * a deal created at 10:00 and closed "that day" (00:00) is fine.
 */
function requireNotBefore(r: RowReader, later: CrmField, laterValue: string, earlier: CrmField, earlierValue: string, kind: 'opportunities' | 'leads') {
  if (dayOf(laterValue) < dayOf(earlierValue)) {
    r.reject(later, 'date_before_created', { value: r.get(later), createdValue: r.get(earlier), createdColumn: r.column(earlier), kind })
  }
}

function externalIdOf(r: RowReader, ctx: RowContext, derivedFrom: () => (string | null)[]): string {
  if (ctx.derivedExternalId) return deriveExternalId(derivedFrom())
  return r.required('externalId', 'record_id')
}

function dealStatus(r: RowReader): DealStatus {
  const statusValue = r.get('status')
  if (statusValue) {
    const status = parseStatus(statusValue)
    if (!status) r.reject('status', 'invalid_status', { value: statusValue })
    return status
  }
  if (r.has('won') && r.get('won')) {
    const flags = statusFromFlags(r.get('won'), r.has('closed') && r.get('closed') ? r.get('closed') : null)
    if (!flags.ok) r.reject('won', flags.code, { value: flags.value })
    return flags.status
  }
  const stage = r.get('stage')
  if (!stage) r.reject(r.has('stage') ? 'stage' : 'status', 'missing_stage')
  return statusFromStage(stage)
}

function amountOf(r: RowReader, locale: FileLocale): { amount: string; currency: string | null } {
  const raw = r.required('amount', 'amount')
  const parsed = parseAmount(raw, locale.decimalSeparator)
  if (!parsed.ok) r.reject('amount', parsed.code, parsed.code === 'two_currencies' ? { value: raw, currencies: parsed.currencies.join(',') } : { value: raw })
  if (parsed.value.startsWith('-')) r.reject('amount', 'negative_amount', { value: raw })

  const currencyRaw = r.get('currency')
  if (!currencyRaw) return { amount: parsed.value, currency: parsed.currency }
  const currency = currencyRaw.toUpperCase()
  if (!/^[A-Z]{3}$/.test(currency) || !Intl.supportedValuesOf('currency').includes(currency)) {
    r.reject('currency', 'invalid_currency', { value: currencyRaw })
  }
  if (parsed.currency && parsed.currency !== currency) {
    r.reject('amount', 'currency_mismatch', { value: raw, amountCurrency: parsed.currency, currencyColumn: r.column('currency'), currency })
  }
  return { amount: parsed.value, currency }
}

export function normaliseOpportunity(cells: readonly string[], line: number, ctx: RowContext): Normalised<OpportunityRow> {
  const r: RowReader = new RowReader(cells, ctx)
  try {
    r.required('createdAt', 'deal_created')
    const createdAt = r.date('createdAt') as string
    const externalId = externalIdOf(r, ctx, () => [r.get('name'), r.get('account'), dayOf(createdAt)])
    const ownerKey = r.required('ownerKey', 'deal_owner')
    const { amount, currency } = amountOf(r, ctx.locale)
    const status = dealStatus(r)

    // Pipedrive keeps won and lost times apart; other CRMs have one close date.
    const closeField: CrmField =
      status === 'won' && r.get('wonAt') ? 'wonAt' : status === 'lost' && r.get('lostAt') ? 'lostAt' : 'closedAt'
    let closedAt: string | null = null
    let expectedCloseAt = r.date('expectedCloseAt')
    if (status === 'open') {
      // On an open deal Salesforce's and HubSpot's "Close Date" is the expected one.
      expectedCloseAt ??= r.date('closedAt')
    } else {
      closedAt = r.date(closeField)
      if (!closedAt) {
        const column = r.has(closeField) ? closeField : r.has('closedAt') ? 'closedAt' : r.has('wonAt') ? 'wonAt' : 'lostAt'
        r.reject(column, 'missing_close_date', { status })
      }
      requireNotBefore(r, closeField, closedAt, 'createdAt', createdAt, 'opportunities')
    }

    const probabilityRaw = r.get('probability')
    const probability = probabilityRaw ? parsePercent(probabilityRaw) : null
    if (probabilityRaw && probability === null) {
      r.reject('probability', 'invalid_probability', { value: probabilityRaw })
    }

    const row = opportunityRowSchema.parse({
      line,
      externalId,
      ownerKey,
      name: r.text('name'),
      account: r.text('account'),
      amount,
      currency,
      stage: r.text('stage'),
      status,
      createdAt,
      closedAt,
      expectedCloseAt,
      leadSource: r.text('leadSource'),
      industry: r.text('industry'),
      campaign: r.text('campaign'),
      probability,
      pipeline: r.text('pipeline'),
    })
    return { ok: true, row }
  } catch (error) {
    if (error instanceof RowRejected) return { ok: false, rejection: { line, ...error.rejection } }
    throw error
  }
}

export function normaliseLead(cells: readonly string[], line: number, ctx: RowContext): Normalised<LeadRow> {
  const r: RowReader = new RowReader(cells, ctx)
  try {
    r.required('createdAt', 'lead_created')
    const createdAt = r.date('createdAt') as string
    const externalId = externalIdOf(
      r,
      ctx,
      () => [r.get('firstName'), r.get('lastName'), r.get('company'), r.get('email'), dayOf(createdAt)],
    )
    const ownerKey = r.required('ownerKey', 'lead_owner')

    const convertedAt = r.date('convertedAt')
    let converted = convertedAt !== null
    const flagRaw = r.get('converted')
    if (flagRaw) {
      const flag = parseCheckbox(flagRaw)
      if (flag === null) r.reject('converted', 'invalid_checkbox', { value: flagRaw })
      if (flag && !convertedAt && r.has('convertedAt')) {
        r.reject('convertedAt', 'missing_converted_date', { convertedColumn: r.column('converted') })
      }
      if (!flag && convertedAt) {
        r.reject('convertedAt', 'converted_not_flagged', { value: r.get('convertedAt'), convertedColumn: r.column('converted') })
      }
      converted = flag as boolean
    }
    if (convertedAt) {
      requireNotBefore(r, 'convertedAt', convertedAt, 'createdAt', createdAt, 'leads')
    }

    const row = leadRowSchema.parse({
      line,
      externalId,
      ownerKey,
      createdAt,
      converted,
      convertedAt,
      status: r.text('status'),
      leadSource: r.text('leadSource'),
      industry: r.text('industry'),
      campaign: r.text('campaign'),
    })
    return { ok: true, row }
  } catch (error) {
    if (error instanceof RowRejected) return { ok: false, rejection: { line, ...error.rejection } }
    throw error
  }
}
