import { describe, expect, test } from 'vitest'
import { CrmCsvError, recognizeCrmFormat, validateMapping } from '~/funnel/csv'

const SALESFORCE_OPPORTUNITIES = [
  'Opportunity Owner', 'Opportunity Name', 'Account Name', 'Stage', 'Amount', 'Probability (%)',
  'Lead Source', 'Industry', 'Created Date', 'Close Date', 'Won', 'Closed', 'Opportunity ID',
]

describe('recognizeCrmFormat', () => {
  test('Salesforce opportunities: every column mapped by index', () => {
    const result = recognizeCrmFormat(SALESFORCE_OPPORTUNITIES)
    expect(result).toMatchObject({ kind: 'opportunities', source: 'salesforce', missing: [], problems: [], unmappedHeaders: [], derivedExternalId: false })
    expect(result.mapping).toEqual({
      ownerKey: 0, name: 1, account: 2, stage: 3, amount: 4, probability: 5,
      leadSource: 6, industry: 7, createdAt: 8, closedAt: 9, won: 10, closed: 11, externalId: 12,
    })
  })

  test('Italian headers match without regard to case, accents or spacing', () => {
    const result = recognizeCrmFormat(['  TITOLARE OPPORTUNITA ', 'Nome opportunità', 'Importo', 'Fase', 'Data di creazione', 'Data di chiusura', 'ID Opportunità'])
    expect(result).toMatchObject({ kind: 'opportunities', source: 'salesforce', missing: [] })
    expect(result.mapping).toEqual({ ownerKey: 0, name: 1, amount: 2, stage: 3, createdAt: 4, closedAt: 5, externalId: 6 })
  })

  test('a Salesforce report without an id column gets derived ids, not a missing field', () => {
    const result = recognizeCrmFormat(SALESFORCE_OPPORTUNITIES.slice(0, -1))
    expect(result.missing).toEqual([])
    expect(result.derivedExternalId).toBe(true)
  })

  test('Salesforce leads', () => {
    const result = recognizeCrmFormat(['Lead Owner', 'First Name', 'Last Name', 'Company', 'Lead Source', 'Industry', 'Lead Status', 'Created Date', 'Converted', 'Converted Date', 'Lead ID'])
    expect(result).toMatchObject({ kind: 'leads', source: 'salesforce', missing: [], unmappedHeaders: [] })
  })

  test('HubSpot deals, with an unused column left for the mapping step', () => {
    const result = recognizeCrmFormat(['Record ID', 'Deal Name', 'Deal Stage', 'Amount', 'Create Date', 'Close Date', 'Deal owner', 'Pipeline', 'Last Activity Date'])
    expect(result).toMatchObject({ kind: 'opportunities', source: 'hubspot', missing: [], unmappedHeaders: ['Last Activity Date'] })
  })

  test('HubSpot contacts prefer Lead Status and Became an Opportunity Date', () => {
    const headers = ['Record ID', 'First Name', 'Last Name', 'Email', 'Contact owner', 'Lifecycle Stage', 'Lead Status', 'Create Date', 'Became a Customer Date', 'Became an Opportunity Date']
    const result = recognizeCrmFormat(headers)
    expect(result).toMatchObject({ kind: 'leads', source: 'hubspot', missing: [] })
    expect(result.mapping.status).toBe(6)
    expect(result.mapping.convertedAt).toBe(9)
  })

  test('Pipedrive deals: won and lost times satisfy the close date', () => {
    const result = recognizeCrmFormat(['Deal - ID', 'Deal - Title', 'Deal - Value', 'Deal - Currency', 'Deal - Status', 'Deal - Owner', 'Deal - Deal created', 'Deal - Won time', 'Deal - Lost time'])
    expect(result).toMatchObject({ kind: 'opportunities', source: 'pipedrive', missing: [] })
    expect(result.mapping).toMatchObject({ wonAt: 7, lostAt: 8 })
  })

  test('generic template: amount makes it opportunities, its absence leads', () => {
    expect(recognizeCrmFormat(['external_id', 'owner', 'amount', 'stage', 'created_at', 'closed_at'])).toMatchObject({ kind: 'opportunities', source: 'generic', missing: [] })
    expect(recognizeCrmFormat(['External ID', 'Owner', 'Created At', 'Converted At'])).toMatchObject({ kind: 'leads', source: 'generic', missing: [] })
  })

  test('required fields a recognised file lacks are listed for the mapping step', () => {
    const result = recognizeCrmFormat(['Opportunity Name', 'Amount', 'Owner (renamed)', 'Opened on'])
    expect(result).toMatchObject({ source: 'salesforce', kind: 'opportunities' })
    expect(result.missing).toEqual(['ownerKey', 'stage', 'createdAt', 'closedAt'])
    expect(result.unmappedHeaders).toEqual(['Owner (renamed)', 'Opened on'])
  })

  test('a user mapping completes the recognition', () => {
    const result = recognizeCrmFormat(['Opportunity Name', 'Amount', 'Owner (renamed)', 'Opened on', 'Stage', 'Close Date'], {
      mapping: { ownerKey: 'owner (renamed)', createdAt: 3 },
    })
    expect(result.missing).toEqual([])
    expect(result.mapping).toMatchObject({ ownerKey: 2, createdAt: 3 })
  })

  test.each([
    [['email', 'name', 'role', 'team', 'manager_email', 'crm_owner', 'locale', 'timezone']], // the HRIS people export
    [['Lorem ipsum dolor sit amet', ' consectetur adipiscing elit']],
    [['']],
  ])('an unknown layout is a typed error: %j', (headers) => {
    expect(() => recognizeCrmFormat(headers)).toThrowError(CrmCsvError)
    try {
      recognizeCrmFormat(headers)
    } catch (error) {
      expect(error).toMatchObject({ code: 'unrecognised_format', line: 1 })
    }
  })

  test('with a kind hint an unknown layout falls back to the generic template for hand mapping', () => {
    const headers = ['Ref', 'Rep', 'Value', 'Opened', 'Closed', 'Result']
    const result = recognizeCrmFormat(headers, { kind: 'opportunities' })
    expect(result).toMatchObject({ source: 'generic', kind: 'opportunities', mapping: {} })
    expect(result.missing).toEqual(['externalId', 'ownerKey', 'amount', 'stage', 'createdAt', 'closedAt'])
  })
})

describe('validateMapping', () => {
  const headers = ['Ref', 'Rep', 'Value', 'Opened', 'Closed', 'Result']

  test('a complete mapping by header names and indexes', () => {
    const result = validateMapping(headers, { kind: 'opportunities', source: 'generic' }, {
      externalId: 'ref', ownerKey: 1, amount: 'Value', createdAt: 'Opened', closedAt: 4, status: 'Result',
    })
    expect(result).toEqual({
      mapping: { externalId: 0, ownerKey: 1, amount: 2, createdAt: 3, closedAt: 4, status: 5 },
      missing: [],
      problems: [],
    })
  })

  test('says which required fields are still missing', () => {
    const result = validateMapping(headers, { kind: 'opportunities', source: 'generic' }, { externalId: 0, amount: 2 })
    expect(result.missing).toEqual(['ownerKey', 'stage', 'createdAt', 'closedAt'])
  })

  test('leads need a converted date or a converted flag', () => {
    expect(validateMapping(['id', 'o', 'c', 'x'], { kind: 'leads', source: 'generic' }, { externalId: 0, ownerKey: 1, createdAt: 2 }).missing).toEqual(['convertedAt'])
    expect(validateMapping(['id', 'o', 'c', 'x'], { kind: 'leads', source: 'generic' }, { externalId: 0, ownerKey: 1, createdAt: 2, converted: 3 }).missing).toEqual([])
  })

  test('bad entries are reported and skipped', () => {
    const result = validateMapping(headers, { kind: 'leads', source: 'generic' }, {
      externalId: 9, ownerKey: 'Salesperson', amount: 2, createdAt: 3,
    } as Record<string, number | string>)
    expect(result.problems).toEqual([
      'externalId is mapped to column 9, but the file has columns 0 to 5.',
      'ownerKey is mapped to the column "Salesperson", which this file does not have.',
      '"amount" is not a field of leads; expected one of externalId, ownerKey, firstName, lastName, company, email, createdAt, converted, convertedAt, status, leadSource, industry, campaign.',
    ])
    expect(result.mapping).toEqual({ createdAt: 3 })
    expect(result.missing).toEqual(['externalId', 'ownerKey', 'convertedAt'])
  })

  test('null unmaps a guessed field, and a user choice moves a guess off its column', () => {
    const result = validateMapping(headers, { kind: 'opportunities', source: 'generic' }, { stage: null, name: 5 }, { stage: 5, amount: 2 })
    expect(result.mapping).toEqual({ amount: 2, name: 5 })
  })
})
