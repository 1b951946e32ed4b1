import { describe, expect, test } from 'vitest'
import { REJECTION_CODES, type RejectionCode, describeReason, englishReason, localisedReason } from '~/funnel/csv/reasons'
import { messagesFor } from '~/i18n'

/** One example of each code's parameters, as the parser and the import store them. */
const examples: Record<RejectionCode, Record<string, string | number>> = {
  missing_value: { column: 'Lead Owner', need: 'lead_owner' },
  missing_stage: { column: 'Stage' },
  missing_close_date: { column: 'Close Date', status: 'lost' },
  invalid_date: { column: 'Created Date', value: '31/02/2026', dayOrder: 'DMY' },
  not_a_date: { column: 'Created Date', value: 'yesterday', dayOrder: 'MDY' },
  invalid_time: { column: 'Created Date', value: '5/16/2026 13:00 PM', dayOrder: 'MDY' },
  date_before_created: { column: 'Converted Date', value: '1/4/2026', createdValue: '1/5/2026', createdColumn: 'Created Date', kind: 'leads' },
  invalid_status: { column: 'status', value: 'deleted' },
  invalid_won_flag: { column: 'Won', value: 'maybe' },
  invalid_closed_flag: { column: 'Closed', value: 'maybe' },
  won_not_closed: { column: 'Won', value: '1' },
  invalid_amount: { column: 'Amount', value: '12abc' },
  two_currencies: { column: 'Amount', value: '$12 EUR', currencies: 'USD,EUR' },
  negative_amount: { column: 'Amount', value: '-5' },
  invalid_currency: { column: 'Currency', value: 'EURO' },
  currency_mismatch: { column: 'Amount', value: '$10.00', amountCurrency: 'USD', currencyColumn: 'Currency', currency: 'EUR' },
  invalid_probability: { column: 'Probability (%)', value: 'high' },
  invalid_checkbox: { column: 'Converted', value: 'maybe' },
  missing_converted_date: { column: 'Converted Date', convertedColumn: 'Converted' },
  converted_not_flagged: { column: 'Converted Date', value: '1/4/2026', convertedColumn: 'Converted' },
  duplicate_id: { column: 'Opportunity ID', value: '006A', firstLine: 2 },
  duplicate_derived: { firstLine: 2, kind: 'leads' },
}

const en = messagesFor('en').funnel.imports.reasons
const it = messagesFor('it').funnel.imports.reasons

describe('rejection reasons', () => {
  test.each(REJECTION_CODES)('%s reads in English and in Italian, naming the column and the value', (code) => {
    const params = examples[code]
    const english = describeReason(en, code, params) as string
    const italian = describeReason(it, code, params) as string
    expect(english).not.toBe(italian)
    for (const text of [english, italian]) {
      expect(text).not.toMatch(/undefined|\[object|NaN/)
      if (typeof params.column === 'string') expect(text).toContain(`"${params.column}"`)
      if (typeof params.value === 'string' && code !== 'won_not_closed') expect(text).toContain(params.value)
      if (typeof params.firstLine === 'number') expect(text).toContain(String(params.firstLine))
    }
    expect(englishReason({ code, params })).toBe(english)
  })

  test('exact texts of a few', () => {
    expect(describeReason(it, 'negative_amount', { column: 'Amount', value: '-5' })).toBe('Colonna "Amount": "-5" è negativo; è atteso un importo pari o superiore a 0')
    expect(describeReason(it, 'two_currencies', { column: 'Importo', value: '$12 EUR', currencies: 'USD,EUR' })).toBe('Colonna "Importo": "$12 EUR" indica due valute (USD e EUR)')
    expect(describeReason(it, 'missing_close_date', { column: 'Close Date', status: 'lost' })).toBe(
      'Colonna "Close Date": è vuota, ma la trattativa è persa; una trattativa vinta o persa deve avere la sua data di chiusura',
    )
    expect(describeReason(it, 'duplicate_derived', { firstLine: 2, kind: 'leads' })).toBe(
      'Stessi nome, società, email e data di creazione della riga 2, e il report non ha una colonna ID per distinguerli; aggiungi la colonna "ID lead" al report ed esportalo di nuovo',
    )
  })

  test('an unknown code or a row stored without one falls back to the stored text', () => {
    expect(describeReason(it, 'no_such_code', {})).toBeNull()
    expect(localisedReason(it, { reason: 'stored text', code: null, params: null })).toBe('stored text')
    expect(localisedReason(it, { reason: 'stored text', code: 'no_such_code', params: {} })).toBe('stored text')
  })
})
