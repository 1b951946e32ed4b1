import { describe, expect, test } from 'vitest'
import {
  conventionsOf,
  decideFileLocale,
  deriveExternalId,
  detectDayOrder,
  detectDecimalSeparator,
  detectDelimiter,
  parseAmount,
  parseCheckbox,
  parseCrmDate,
  parsePercent,
  parseStatus,
  statusFromFlags,
  statusFromStage,
} from '~/funnel/csv'

describe('parseAmount', () => {
  test.each([
    // [raw, file decimal separator, value, currency]
    ['$1,234.56', '.', '1234.56', 'USD'],
    ['£1,234.56', '.', '1234.56', 'GBP'],
    ['1.234,56 €', ',', '1234.56', 'EUR'],
    ['€ 1.234,56', ',', '1234.56', 'EUR'],
    ['1.234,56', ',', '1234.56', null],
    ['1234.5', '.', '1234.50', null],
    ['1234.5', ',', '1234.50', null], // one dot, not three digits after: a decimal point whatever the file
    ['1234', '.', '1234.00', null],
    ['0', '.', '0.00', null],
    ['1,234', '.', '1234.00', null], // ambiguous: the file is dot-decimal, so the comma groups
    ['1,234', ',', '1.234', null], // …and in a comma-decimal file it is the decimal mark
    ['1.234', ',', '1234.00', null],
    ['1.234', '.', '1.234', null],
    ['1.234.567', '.', '1234567.00', null], // a repeated separator can only group
    ['1,234,567.891', '.', '1234567.891', null], // more than two decimals are kept, not rounded
    ['-1,234.56', '.', '-1234.56', null],
    ['(1,234.56)', '.', '-1234.56', null],
    ['-$12.00', '.', '-12.00', 'USD'],
    ['$-12.00', '.', '-12.00', 'USD'],
    ['€ -1.234,56', ',', '-1234.56', 'EUR'],
    ['1.234,56-', ',', '-1234.56', null],
    ['EUR 1.234,56', ',', '1234.56', 'EUR'],
    ['1,234.56 usd', '.', '1234.56', 'USD'],
    ['1 234,56 €', ',', '1234.56', 'EUR'],
    ["1'234.50 CHF", '.', '1234.50', 'CHF'],
    ['  $7  ', '.', '7.00', 'USD'],
    ['.5', '.', '0.50', null],
    ['007', '.', '7.00', null],
  ] as const)('%s (decimal %s) → %s %s', (raw, decimal, value, currency) => {
    expect(parseAmount(raw, decimal)).toEqual({ ok: true, value, currency })
  })

  test.each(['', 'abc', '12abc', '1,23.45', '12,34,5.6', '$€12', '--12', '-(12)', '1.2.3,4,5', 'XYZ 12', '1e5', '12.'])(
    'rejects %j with what would be accepted',
    (raw) => {
      const result = parseAmount(raw, '.')
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.reason).toMatch(/1234\.56|currencies/)
    },
  )

  test('names both currencies when they conflict', () => {
    expect(parseAmount('$12 EUR')).toEqual({ ok: false, code: 'two_currencies', currencies: ['USD', 'EUR'], reason: '"$12 EUR" names two currencies (USD and EUR)' })
  })
})

describe('detectDecimalSeparator', () => {
  test('any ,dd ending proves comma-decimal', () => {
    expect(detectDecimalSeparator(['1.234', '12.500', '980,50 €'])).toBe(',')
    expect(detectDecimalSeparator(['980,5'])).toBe(',')
    expect(detectDecimalSeparator(['1.234.567'])).toBe(',')
  })
  test('.dd endings or repeated commas prove dot-decimal', () => {
    expect(detectDecimalSeparator(['$4,400.00', '$29,100.00'])).toBe('.')
    expect(detectDecimalSeparator(['1,234,567'])).toBe('.')
  })
  test('integers and 1,234-style values prove nothing', () => {
    expect(detectDecimalSeparator(['4400', '1,234', '1.234', ''])).toBeNull()
  })
})

describe('parseCrmDate', () => {
  const rome = (dayOrder: 'MDY' | 'DMY') => ({ dayOrder, timeZone: 'Europe/Rome' })
  test.each([
    ['5/16/2026', 'MDY', '2026-05-16T00:00:00+02:00'],
    ['11/8/2025', 'MDY', '2025-11-08T00:00:00+01:00'],
    ['26/11/2026', 'DMY', '2026-11-26T00:00:00+01:00'],
    ['3/10/2026', 'DMY', '2026-10-03T00:00:00+02:00'],
    ['03/10/2026', 'MDY', '2026-03-10T00:00:00+01:00'],
    ['26.11.2026', 'MDY', '2026-11-26T00:00:00+01:00'], // dotted dates are day-first whatever the file says
    ['26.11.2026 14:30', 'DMY', '2026-11-26T14:30:00+01:00'],
    ['26-11-2026', 'DMY', '2026-11-26T00:00:00+01:00'],
    ['2026-11-26', 'MDY', '2026-11-26T00:00:00+01:00'],
    ['2026-05-16 09:35', 'MDY', '2026-05-16T09:35:00+02:00'],
    ['2026-06-29 10:00:00', 'DMY', '2026-06-29T10:00:00+02:00'],
    ['2026-06-29T10:00:00', 'DMY', '2026-06-29T10:00:00+02:00'],
    ['2026-06-29T08:00:00Z', 'DMY', '2026-06-29T10:00:00+02:00'], // an explicit offset is kept as the instant
    ['5/16/2026 9:35 AM', 'MDY', '2026-05-16T09:35:00+02:00'],
    ['5/16/2026, 9:35 PM', 'MDY', '2026-05-16T21:35:00+02:00'],
    ['5/16/2026 12:05 AM', 'MDY', '2026-05-16T00:05:00+02:00'],
    ['5/16/2026 12:05 PM', 'MDY', '2026-05-16T12:05:00+02:00'],
    ['16/05/2026 17:00:30', 'DMY', '2026-05-16T17:00:30+02:00'],
  ] as const)('%s (%s) → %s', (raw, order, iso) => {
    expect(parseCrmDate(raw, rome(order))).toEqual({ ok: true, value: iso })
  })

  test('local times are read in the given zone', () => {
    expect(parseCrmDate('2026-05-16 09:35', { dayOrder: 'MDY', timeZone: 'Europe/London' })).toEqual({
      ok: true,
      value: '2026-05-16T09:35:00+01:00',
    })
    expect(parseCrmDate('5/16/2026', { dayOrder: 'MDY', timeZone: 'America/New_York' })).toEqual({
      ok: true,
      value: '2026-05-16T00:00:00-04:00',
    })
  })

  test.each([
    ['26/11/2026', 'MDY', '"26/11/2026" is not a real date or time; expected a date such as 11/26/2026, 2026-11-26 or 2026-11-26 14:30'],
    ['2/30/2026', 'MDY', '"2/30/2026" is not a real date or time; expected a date such as 11/26/2026, 2026-11-26 or 2026-11-26 14:30'],
    ['2026-13-45', 'DMY', '"2026-13-45" is not a real date or time; expected a date such as 26/11/2026, 26.11.2026, 2026-11-26 or 2026-11-26 14:30'],
    ['yesterday', 'DMY', '"yesterday" is not a date; expected a date such as 26/11/2026, 26.11.2026, 2026-11-26 or 2026-11-26 14:30'],
    ['5/16/26', 'MDY', '"5/16/26" is not a date; expected a date such as 11/26/2026, 2026-11-26 or 2026-11-26 14:30'],
    ['5/16/2026 13:00 PM', 'MDY', '"5/16/2026 13:00 PM" has an invalid time; expected a date such as 11/26/2026, 2026-11-26 or 2026-11-26 14:30'],
  ] as const)('rejects %s (%s)', (raw, order, reason) => {
    const code = reason.includes('is not a real date') ? 'invalid_date' : reason.includes('invalid time') ? 'invalid_time' : 'not_a_date'
    expect(parseCrmDate(raw, rome(order))).toEqual({ ok: false, code, dayOrder: order, reason })
  })
})

describe('detectDayOrder', () => {
  test('a first part above 12 proves day/month', () => {
    expect(detectDayOrder(['1/2/2026', '26/11/2026'])).toBe('DMY')
  })
  test('a second part above 12 proves month/day', () => {
    expect(detectDayOrder(['1/2/2026', '5/16/2026'])).toBe('MDY')
  })
  test('nothing above 12, dotted or ISO dates prove nothing', () => {
    expect(detectDayOrder(['1/2/2026', '12/12/2026', '26.11.2026', '2026-11-26', ''])).toBeNull()
  })
  test('a self-contradicting file goes with the majority', () => {
    expect(detectDayOrder(['13/1/2026', '14/1/2026', '1/13/2026'])).toBe('DMY')
  })
})

describe('decideFileLocale', () => {
  test('a hint forces the conventions', () => {
    expect(decideFileLocale({ amounts: ['$1.50'], dates: ['5/16/2026'], delimiter: ',' }, 'it-IT')).toEqual({
      decimalSeparator: ',',
      dayOrder: 'DMY',
      decidedBy: { decimalSeparator: 'hint', dayOrder: 'hint' },
    })
  })
  test('the sample proves them', () => {
    expect(decideFileLocale({ amounts: ['1.234,56 €'], dates: ['26/11/2026'], delimiter: ';' })).toEqual({
      decimalSeparator: ',',
      dayOrder: 'DMY',
      decidedBy: { decimalSeparator: 'sample', dayOrder: 'sample' },
    })
  })
  test('without proof: semicolons mean comma-decimal and day-first', () => {
    expect(decideFileLocale({ amounts: ['1200'], dates: ['1/2/2026'], delimiter: ';' })).toMatchObject({ decimalSeparator: ',', dayOrder: 'DMY' })
  })
  test('without proof: pounds or euros mean day-first', () => {
    expect(decideFileLocale({ amounts: ['£1,200.00'], dates: ['1/2/2026'], delimiter: ',' })).toMatchObject({ decimalSeparator: '.', dayOrder: 'DMY' })
  })
  test('without proof: en-US', () => {
    expect(decideFileLocale({ amounts: ['4400'], dates: ['2026-05-16 09:35'], delimiter: ',' })).toEqual({
      decimalSeparator: '.',
      dayOrder: 'MDY',
      decidedBy: { decimalSeparator: 'fallback', dayOrder: 'fallback' },
    })
  })
  test.each([
    ['en-US', '.', 'MDY'],
    ['en_US', '.', 'MDY'],
    ['en', '.', 'MDY'],
    ['en-GB', '.', 'DMY'],
    ['it-IT', ',', 'DMY'],
    ['it', ',', 'DMY'],
    ['de-DE', ',', 'DMY'],
    ['de-CH', '.', 'DMY'],
  ] as const)('conventionsOf(%s)', (tag, decimalSeparator, dayOrder) => {
    expect(conventionsOf(tag)).toEqual({ decimalSeparator, dayOrder })
  })
})

describe('parseCheckbox', () => {
  test.each(['1', 'true', 'TRUE', 'yes', 'Sì', 'si', 'vero', 'ja'])('%s is checked', (raw) => expect(parseCheckbox(raw)).toBe(true))
  test.each(['0', 'false', 'No', 'falso', 'nein'])('%s is unchecked', (raw) => expect(parseCheckbox(raw)).toBe(false))
  test.each(['', 'maybe', '2'])('%j is not a checkbox value', (raw) => expect(parseCheckbox(raw)).toBeNull())
})

describe('parsePercent', () => {
  test.each([
    ['10%', 0.1],
    ['10', 0.1],
    ['100', 1],
    ['0', 0],
    ['12,5 %', 0.125],
    ['33.3', 0.333],
    ['0.5', 0.005],
  ] as const)('%s → %s', (raw, fraction) => expect(parsePercent(raw)).toBe(fraction))
  test.each(['101', '-5', 'ten', '', '10%%'])('%j is not a percentage', (raw) => expect(parsePercent(raw)).toBeNull())
})

describe('deal status', () => {
  test.each([
    ['Closed Won', 'won'],
    ['Closed won', 'won'],
    ['closedwon', 'won'],
    ['Chiusa vinta', 'won'],
    ['CHIUSA  VINTA', 'won'],
    ['Closed Lost', 'lost'],
    ['closedlost', 'lost'],
    ['Chiusa persa', 'lost'],
    ['Needs Analysis', 'open'],
    ['Qualificazione', 'open'],
    ['Closed', 'open'], // not a closed label we know: the Won/Closed flags or a status column must say
  ] as const)('stage %s → %s', (label, status) => expect(statusFromStage(label)).toBe(status))

  test.each([
    ['open', 'open'],
    ['won', 'won'],
    ['lost', 'lost'],
    ['Aperta', 'open'],
    ['vinta', 'won'],
    ['persa', 'lost'],
    ['Closed Won', 'won'],
    ['deleted', null],
    ['', null],
  ] as const)('status %j → %s', (raw, status) => expect(parseStatus(raw)).toBe(status))

  test('Salesforce flags: Won and Closed decide', () => {
    expect(statusFromFlags('1', '1')).toEqual({ ok: true, status: 'won' })
    expect(statusFromFlags('0', '1')).toEqual({ ok: true, status: 'lost' })
    expect(statusFromFlags('0', '0')).toEqual({ ok: true, status: 'open' })
    expect(statusFromFlags('1', null)).toEqual({ ok: true, status: 'won' })
    expect(statusFromFlags('1', '0')).toEqual({ ok: false, code: 'won_not_closed', value: '1', reason: 'Won is 1 but Closed is 0; a won deal must be closed' })
    expect(statusFromFlags('maybe', '0')).toEqual({ ok: false, code: 'invalid_won_flag', value: 'maybe', reason: 'Won is "maybe"; expected 1 or 0' })
  })
})

describe('detectDelimiter', () => {
  test.each([
    ['"Opportunity Owner","Opportunity Name","Amount"', ','],
    ['"Titolare";"Importo";"Data"', ';'],
    ['Deal - ID\tDeal - Title\tDeal - Value', '\t'],
    ['"Amount; in EUR","Owner","Stage"', ','], // a delimiter inside quotes does not count
    ['single', ','],
  ] as const)('%j → %j', (line, delimiter) => expect(detectDelimiter(line)).toBe(delimiter))
})

describe('deriveExternalId', () => {
  test('is stable and ignores case and surrounding spaces', () => {
    const id = deriveExternalId(['Annual renewal', 'Harper & Lowe Ltd', '2026-10-03'])
    expect(id).toMatch(/^sf:[0-9a-f]{24}$/)
    expect(deriveExternalId([' annual RENEWAL ', 'harper & lowe ltd', '2026-10-03'])).toBe(id)
    expect(deriveExternalId(['Annual renewal', 'Harper & Lowe Ltd', '2026-10-04'])).not.toBe(id)
  })
})
