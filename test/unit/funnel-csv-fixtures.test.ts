import { createReadStream } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { parseCrmCsv, type CrmCsvEvent, type EndEvent, type FormatEvent, type LeadRow, type OpportunityRow, type ParseCrmCsvOptions, type Rejection } from '~/funnel/csv'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))

interface Parsed {
  format: FormatEvent
  opportunities: OpportunityRow[]
  leads: LeadRow[]
  rejections: Rejection[]
  end: EndEvent
}

async function parseFixture(name: string, options: Partial<ParseCrmCsvOptions> = {}): Promise<Parsed> {
  const events: CrmCsvEvent[] = []
  for await (const event of parseCrmCsv(createReadStream(fixture(name)), { timeZone: 'Europe/Rome', ...options })) events.push(event)
  const format = events.find((e): e is FormatEvent => e.type === 'format')
  const end = events.find((e): e is EndEvent => e.type === 'end')
  if (!format || !end) throw new Error(`missing format or end event for ${name}`)
  const parsed: Parsed = { format, opportunities: [], leads: [], rejections: [], end }
  for (const e of events) {
    if (e.type !== 'batch') continue
    if (e.kind === 'opportunities') parsed.opportunities.push(...e.rows)
    else parsed.leads.push(...e.rows)
    parsed.rejections.push(...e.rejections)
  }
  return parsed
}

const countBy = <T>(items: T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }), {})

describe('sample exports', () => {
  test('Salesforce opportunities (en_US): 90 deals, footer skipped, nothing rejected', async () => {
    const { format, opportunities, rejections, end } = await parseFixture('salesforce-opportunities-en_US.csv')
    expect(format).toMatchObject({ delimiter: ',', ready: true, format: { source: 'salesforce', kind: 'opportunities', derivedExternalId: false } })
    expect(format.locale).toMatchObject({ decimalSeparator: '.', dayOrder: 'MDY' })
    expect(rejections).toEqual([])
    expect(opportunities).toHaveLength(90)
    // Won/Closed flags in the file: 33 × 1/1, 25 × 0/1, 32 × 0/0.
    expect(countBy(opportunities, (o) => o.status)).toEqual({ won: 33, lost: 25, open: 32 })
    expect(end).toEqual({ type: 'end', rows: 90, rejected: 0, skipped: 5, lines: 96, encoding: 'utf-8' })
    expect(opportunities[0]).toEqual({
      line: 2,
      externalId: '0065g0000000000AAA',
      ownerKey: 'Davide Greco',
      name: 'Deal 001',
      account: 'Cliente 21 S.p.A.',
      amount: '4400.00',
      currency: 'USD',
      stage: 'Needs Analysis',
      status: 'open',
      createdAt: '2026-05-16T00:00:00+02:00',
      closedAt: null,
      expectedCloseAt: '2026-08-14T00:00:00+02:00',
      leadSource: 'Trade Show',
      industry: 'Technology',
      campaign: null,
      probability: 0.2,
      pipeline: null,
    })
    expect(opportunities[1]).toMatchObject({ line: 3, amount: '8000.00', status: 'won', closedAt: '2026-07-19T00:00:00+02:00', expectedCloseAt: null, probability: 1 })
    expect(opportunities[89]).toMatchObject({ line: 91, name: 'Deal 090', amount: '8400.00', createdAt: '2025-10-28T00:00:00+01:00', closedAt: '2025-12-01T00:00:00+01:00' })
  })

  test('Salesforce leads (en_US): 160 leads, 49 converted', async () => {
    const { format, leads, rejections, end } = await parseFixture('salesforce-leads-en_US.csv')
    expect(format.format).toMatchObject({ source: 'salesforce', kind: 'leads', missing: [] })
    expect(rejections).toEqual([])
    expect(leads).toHaveLength(160)
    expect(leads.filter((l) => l.converted)).toHaveLength(49)
    expect(end).toMatchObject({ rows: 160, rejected: 0, skipped: 5, lines: 166 })
    expect(leads[0]).toEqual({
      line: 2,
      externalId: '00Q5g0000000000AAA',
      ownerKey: 'Andrea Ricci',
      createdAt: '2025-10-11T00:00:00+02:00',
      converted: false,
      convertedAt: null,
      status: 'Open - Not Contacted',
      leadSource: 'Trade Show',
      industry: 'Healthcare',
      campaign: null,
    })
    expect(leads[1]).toMatchObject({ converted: true, createdAt: '2025-10-20T00:00:00+02:00', convertedAt: '2025-11-08T00:00:00+01:00' })
  })

  test('HubSpot deals: 45 deals from stage labels, CRLF, local datetimes', async () => {
    const { format, opportunities, rejections, end } = await parseFixture('hubspot-crm-exports-all-deals-2026-11-20.csv')
    expect(format.format).toMatchObject({ source: 'hubspot', kind: 'opportunities', unmappedHeaders: ['Last Activity Date'] })
    expect(rejections).toEqual([])
    expect(opportunities).toHaveLength(45)
    expect(countBy(opportunities, (o) => o.status)).toEqual({ open: 15, won: 14, lost: 16 })
    expect(end).toMatchObject({ rows: 45, rejected: 0, skipped: 0, lines: 46 })
    expect(opportunities[0]).toMatchObject({
      line: 2,
      externalId: '9000000000',
      ownerKey: 'Davide Greco',
      amount: '4400.00',
      currency: null,
      stage: 'Qualified to buy',
      status: 'open',
      createdAt: '2026-05-16T09:35:00+02:00',
      closedAt: null,
      pipeline: 'Sales Pipeline',
    })
    expect(opportunities[1]).toMatchObject({ status: 'won', createdAt: '2026-03-26T09:28:00+01:00', closedAt: '2026-07-19T17:00:00+02:00' })
  })

  test('HubSpot datetimes follow the organisation time zone', async () => {
    const { opportunities } = await parseFixture('hubspot-crm-exports-all-deals-2026-11-20.csv', { timeZone: 'Europe/London' })
    expect(opportunities[0].createdAt).toBe('2026-05-16T09:35:00+01:00')
  })

  test('Pipedrive deals: 45 deals, status column, won and lost times', async () => {
    const { format, opportunities, rejections, end } = await parseFixture('pipedrive-deals.csv')
    expect(format.format).toMatchObject({ source: 'pipedrive', kind: 'opportunities', unmappedHeaders: [] })
    expect(rejections).toEqual([])
    expect(opportunities).toHaveLength(45)
    expect(countBy(opportunities, (o) => o.status)).toEqual({ won: 19, lost: 9, open: 17 })
    expect(end).toMatchObject({ rows: 45, rejected: 0, lines: 46 })
    expect(opportunities[0]).toMatchObject({
      externalId: '100',
      amount: '20600.00',
      currency: 'EUR',
      status: 'won',
      createdAt: '2026-06-29T10:00:00+02:00',
      closedAt: '2026-09-05T16:20:00+02:00',
      expectedCloseAt: '2026-08-28T00:00:00+02:00',
    })
    expect(opportunities[1]).toMatchObject({ externalId: '101', status: 'lost', closedAt: '2026-04-25T11:05:00+02:00' })
  })

  test('the HRIS people export is refused as a whole', async () => {
    await expect(parseFixture('people.csv')).rejects.toMatchObject({ name: 'CrmCsvError', code: 'unrecognised_format' })
  })
})

describe('locale and encoding variants', () => {
  test('it-IT Salesforce: semicolons, Italian headers and stages, 1.234,56 €, 26/11/2026, Italian footer', async () => {
    const { format, opportunities, rejections, end } = await parseFixture('crm/salesforce-opportunities-it_IT.csv')
    expect(format).toMatchObject({ delimiter: ';', format: { source: 'salesforce', kind: 'opportunities', missing: [] } })
    expect(format.locale).toEqual({ decimalSeparator: ',', dayOrder: 'DMY', decidedBy: { decimalSeparator: 'sample', dayOrder: 'sample' } })
    expect(rejections).toEqual([])
    expect(end).toMatchObject({ rows: 5, skipped: 5, lines: 11 })
    expect(opportunities.map((o) => [o.amount, o.currency, o.status])).toEqual([
      ['1234.56', 'EUR', 'won'],
      ['12500.00', 'EUR', 'lost'],
      ['980.50', 'EUR', 'open'],
      ['45000.00', 'EUR', 'open'], // "45.000 €": in a comma-decimal file the dot groups
      ['7800.00', 'EUR', 'won'],
    ])
    expect(opportunities[0]).toMatchObject({ stage: 'Chiusa vinta', createdAt: '2026-10-03T00:00:00+02:00', closedAt: '2026-11-26T00:00:00+01:00' })
    expect(opportunities[2]).toMatchObject({ name: 'Progetto "Nuova sede"', probability: 0.1, expectedCloseAt: '2027-01-31T00:00:00+01:00' })
    expect(opportunities[3].industry).toBe('Sanità')
  })

  test('it-IT stage labels alone decide the status when there are no Won/Closed flags', async () => {
    const { opportunities } = await parseFixture('crm/salesforce-opportunities-it_IT.csv', { mapping: { won: null, closed: null } })
    expect(opportunities.map((o) => o.status)).toEqual(['won', 'lost', 'open', 'open', 'won'])
  })

  test('de-DE template: semicolons, 1.234,56 and 26.11.2026 14:30', async () => {
    const { format, opportunities, rejections } = await parseFixture('crm/generic-opportunities-de_DE.csv')
    expect(format).toMatchObject({ delimiter: ';', locale: { decimalSeparator: ',', dayOrder: 'DMY' }, format: { source: 'generic' } })
    expect(rejections).toEqual([])
    expect(opportunities).toHaveLength(3)
    expect(opportunities[0]).toMatchObject({
      externalId: 'DE-1001',
      account: 'Müller GmbH',
      amount: '1234.56',
      status: 'won',
      createdAt: '2026-03-02T09:15:00+01:00',
      closedAt: '2026-11-26T14:30:00+01:00',
      campaign: 'Frühjahr 2026',
    })
    expect(opportunities.map((o) => o.amount)).toEqual(['1234.56', '12500.00', '980.50'])
  })

  test('en-GB Salesforce without an id column: £, day-first dates, derived stable ids', async () => {
    const first = await parseFixture('crm/salesforce-opportunities-en_GB-no-id.csv')
    expect(first.format.format.derivedExternalId).toBe(true)
    expect(first.format.locale).toMatchObject({ decimalSeparator: '.', dayOrder: 'DMY' })
    expect(first.rejections).toEqual([])
    expect(first.opportunities.map((o) => [o.amount, o.currency, o.status, o.createdAt])).toEqual([
      ['1234.56', 'GBP', 'won', '2026-10-03T00:00:00+02:00'],
      ['12500.00', 'GBP', 'open', '2026-09-14T00:00:00+02:00'],
      ['950.00', 'GBP', 'lost', '2026-10-01T00:00:00+02:00'],
    ])
    for (const o of first.opportunities) expect(o.externalId).toMatch(/^sf:[0-9a-f]{24}$/)
    expect(new Set(first.opportunities.map((o) => o.externalId)).size).toBe(3)
    const again = await parseFixture('crm/salesforce-opportunities-en_GB-no-id.csv')
    expect(again.opportunities.map((o) => o.externalId)).toEqual(first.opportunities.map((o) => o.externalId))
  })

  test('a locale hint overrides what the sample proves', async () => {
    // Forced to en-US, the en-GB file's day-first dates are read month-first: the ones that
    // cannot be are rejected, naming the column and the accepted forms.
    const { format, opportunities, rejections } = await parseFixture('crm/salesforce-opportunities-en_GB-no-id.csv', { locale: 'en-US' })
    expect(format.locale).toEqual({ decimalSeparator: '.', dayOrder: 'MDY', decidedBy: { decimalSeparator: 'hint', dayOrder: 'hint' } })
    expect(opportunities).toEqual([])
    expect(rejections).toEqual([
      {
        line: 2,
        column: 'Close Date',
        value: '26/11/2026',
        reason: 'Column "Close Date": "26/11/2026" is not a real date or time; expected a date such as 11/26/2026, 2026-11-26 or 2026-11-26 14:30',
        code: 'invalid_date',
        params: { column: 'Close Date', value: '26/11/2026', dayOrder: 'MDY' },
      },
      {
        line: 3,
        column: 'Created Date',
        value: '14/9/2026',
        reason: 'Column "Created Date": "14/9/2026" is not a real date or time; expected a date such as 11/26/2026, 2026-11-26 or 2026-11-26 14:30',
        code: 'invalid_date',
        params: { column: 'Created Date', value: '14/9/2026', dayOrder: 'MDY' },
      },
      {
        line: 4,
        column: 'Close Date',
        value: '20/10/2026',
        reason: 'Column "Close Date": "20/10/2026" is not a real date or time; expected a date such as 11/26/2026, 2026-11-26 or 2026-11-26 14:30',
        code: 'invalid_date',
        params: { column: 'Close Date', value: '20/10/2026', dayOrder: 'MDY' },
      },
    ])
  })

  test('tab-delimited Pipedrive export', async () => {
    const { format, opportunities, rejections } = await parseFixture('crm/pipedrive-deals-tab.tsv')
    expect(format).toMatchObject({ delimiter: '\t', format: { source: 'pipedrive' } })
    expect(rejections).toEqual([])
    expect(opportunities.map((o) => [o.externalId, o.name, o.amount, o.currency, o.status, o.closedAt])).toEqual([
      ['501', 'Tab deal one', '1500.50', 'EUR', 'won', '2026-02-01T09:30:00+01:00'],
      ['502', 'Tab deal, with comma', '2300.00', 'GBP', 'open', null],
      ['503', 'Tab deal three', '700.00', 'USD', 'lost', '2026-02-20T12:00:00+01:00'],
    ])
  })

  test('UTF-8 with a byte-order mark and CRLF', async () => {
    const { format, opportunities, rejections, end } = await parseFixture('crm/hubspot-deals-bom.csv')
    // The BOM must not stick to the first header, or "Record ID" would go unrecognised.
    expect(format.format.mapping.externalId).toBe(0)
    expect(rejections).toEqual([])
    expect(opportunities.map((o) => [o.externalId, o.name, o.ownerKey, o.amount])).toEqual([
      ['9100000001', 'Società Àlfa – rinnovo', 'chiara colombo', '5200.00'],
      ['9100000002', 'Café Noël', 'andrea ricci', '1800.75'],
    ])
    expect(end.encoding).toBe('utf-8')
  })

  test('Windows-1252 bytes are decoded, Italian lead headers recognised', async () => {
    const { format, leads, rejections, end } = await parseFixture('crm/salesforce-leads-it_IT-cp1252.csv')
    expect(end.encoding).toBe('windows-1252')
    expect(format).toMatchObject({ delimiter: ';', format: { source: 'salesforce', kind: 'leads', missing: [] }, locale: { dayOrder: 'DMY' } })
    expect(rejections).toEqual([])
    expect(leads.map((l) => [l.externalId, l.ownerKey, l.converted, l.createdAt, l.convertedAt])).toEqual([
      ['00Q5g00000CP001AAA', 'Niccolò Ferrari', true, '2026-10-13T00:00:00+02:00', '2026-10-20T00:00:00+02:00'],
      ['00Q5g00000CP002AAA', 'Niccolò Ferrari', false, '2026-11-02T00:00:00+01:00', null],
      ['00Q5g00000CP003AAA', 'Elena Marino', false, '2026-11-05T00:00:00+01:00', null],
    ])
  })

  test('generic template: opportunities', async () => {
    const { format, opportunities, rejections } = await parseFixture('crm/generic-opportunities.csv')
    expect(format.format).toMatchObject({ source: 'generic', kind: 'opportunities', missing: [], unmappedHeaders: [] })
    expect(rejections).toEqual([])
    expect(opportunities.map((o) => [o.externalId, o.amount, o.currency, o.status, o.probability])).toEqual([
      ['G-1', '15000.00', 'EUR', 'won', 1],
      ['G-2', '2400.50', 'EUR', 'open', 0.4],
      ['G-3', '8000.00', 'EUR', 'lost', 0],
      ['G-4', '0.00', null, 'open', null], // no status: the stage "Discovery" says open
    ])
    expect(opportunities[2]).toMatchObject({ createdAt: '2026-02-01T09:00:00+01:00', closedAt: '2026-02-28T18:00:00+01:00' })
  })

  test('generic template: leads', async () => {
    const { format, leads, rejections } = await parseFixture('crm/generic-leads.csv')
    expect(format.format).toMatchObject({ source: 'generic', kind: 'leads', missing: [] })
    expect(rejections).toEqual([])
    expect(leads.map((l) => [l.externalId, l.converted, l.convertedAt, l.createdAt])).toEqual([
      ['L-1', true, '2026-01-20T00:00:00+01:00', '2026-01-05T00:00:00+01:00'],
      ['L-2', false, null, '2026-01-07T00:00:00+01:00'],
      ['L-3', false, null, '2026-02-11T15:45:00+01:00'],
    ])
  })

  test('HubSpot contacts as leads: converted when they became an opportunity', async () => {
    const { format, leads, rejections } = await parseFixture('crm/hubspot-contacts.csv')
    expect(format.format).toMatchObject({ source: 'hubspot', kind: 'leads', unmappedHeaders: ['Lifecycle Stage', 'Became a Customer Date'] })
    expect(rejections).toEqual([])
    expect(leads.map((l) => [l.externalId, l.ownerKey, l.status, l.converted, l.convertedAt])).toEqual([
      ['51001', 'Elena Marino', 'Open Deal', true, '2026-03-20T16:40:00+01:00'],
      ['51002', 'Emma Clarke', 'New', false, null],
      ['51003', 'Elena Marino', 'Connected', true, '2026-02-01T11:00:00+01:00'],
      ['51004', 'Davide Greco', 'Unqualified', false, null],
    ])
    expect(leads[0]).toMatchObject({ createdAt: '2026-03-02T10:15:00+01:00', leadSource: 'Organic Search', industry: 'Retail' })
  })
})

describe('rejections', () => {
  test('each bad row is rejected with its physical line and a reason naming column, value and what is accepted', async () => {
    const { opportunities, rejections, end } = await parseFixture('crm/generic-opportunities-rejections.csv')
    expect(opportunities.map((o) => [o.line, o.externalId])).toEqual([
      [2, 'R-1'],
      // A repeated id is the import's to reject, in SQL on its staging table: the parser keeps no ids.
      [10, 'R-1'],
      [13, 'R-11'], // after a record spanning lines 4–5, line numbers still count physical lines
    ])
    expect(rejections.map(({ params: _params, ...r }) => r)).toEqual([
      { line: 3, column: 'amount', value: '-500.00', reason: 'Column "amount": "-500.00" is negative; expected an amount of 0 or more', code: 'negative_amount' },
      {
        line: 4,
        column: 'closed_at',
        value: '2026-02-10',
        reason: 'Column "closed_at": "2026-02-10" is before the created date "2026-03-10" (column "created_at"); a deal cannot close before it was created',
        code: 'date_before_created',
      },
      {
        line: 6,
        column: 'created_at',
        value: '2026-13-45',
        reason: 'Column "created_at": "2026-13-45" is not a real date or time; expected a date such as 11/26/2026, 2026-11-26 or 2026-11-26 14:30',
        code: 'invalid_date',
      },
      {
        line: 7,
        column: 'amount',
        value: '12abc',
        reason: 'Column "amount": "12abc" is not an amount; expected a number such as 1234.56, $1,234.56 or 1.234,56 €',
        code: 'invalid_amount',
      },
      {
        line: 8,
        column: 'closed_at',
        value: '',
        reason: 'Column "closed_at": is empty, but the deal is won; a won or lost deal needs its close date',
        code: 'missing_close_date',
      },
      {
        line: 9,
        column: 'external_id',
        value: '',
        reason: 'Column "external_id": is empty; every row needs its CRM record id so a re-import updates it instead of duplicating it',
        code: 'missing_value',
      },
      { line: 11, column: 'owner', value: '', reason: 'Column "owner": is empty; every deal needs an owner (the CRM user name or email)', code: 'missing_value' },
      {
        line: 12,
        column: 'status',
        value: 'deleted',
        reason: 'Column "status": "deleted" is not a deal status; expected open, won or lost (aperta, vinta, persa; Closed Won, Chiusa vinta, Closed Lost, Chiusa persa)',
        code: 'invalid_status',
      },
    ])
    // The reason as data, for every language: the column, the value and what else it needs.
    expect(rejections.map((r) => [r.line, r.code, r.params])).toEqual([
      [3, 'negative_amount', { column: 'amount', value: '-500.00' }],
      [4, 'date_before_created', { column: 'closed_at', value: '2026-02-10', createdValue: '2026-03-10', createdColumn: 'created_at', kind: 'opportunities' }],
      [6, 'invalid_date', { column: 'created_at', value: '2026-13-45', dayOrder: 'MDY' }],
      [7, 'invalid_amount', { column: 'amount', value: '12abc' }],
      [8, 'missing_close_date', { column: 'closed_at', status: 'won' }],
      [9, 'missing_value', { column: 'external_id', need: 'record_id' }],
      [11, 'missing_value', { column: 'owner', need: 'deal_owner' }],
      [12, 'invalid_status', { column: 'status', value: 'deleted' }],
    ])
    expect(end).toMatchObject({ rows: 3, rejected: 8, skipped: 0, lines: 13 })
  })
})
