import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { setupTestContext } from '#test/support/context'
import { createFixturePeople, importFixture } from '#test/support/crm-factories'

const ctx = await setupTestContext({ env: { DATA_DIR: mkdtempSync(join(tmpdir(), 'pulseboard-locales-')) } })

beforeAll(async () => {
  await createFixturePeople(ctx.db)
})

type Opp = { external_id: string; owner_key: string; owner: string | null; amount: string; currency: string; stage: string | null; stage_label: string | null; status: string; created: string; closed: string | null }
const opportunities = (source: string, prefix: string) =>
  queryRows<Opp>(
    ctx.db,
    sql`select o.external_id, o.owner_key, p.name as owner, o.amount, o.currency, o.stage, o.stage_label, o.status,
        to_char(o.created_at at time zone 'Europe/Rome', 'YYYY-MM-DD HH24:MI') as created,
        to_char(o.closed_at at time zone 'Europe/Rome', 'YYYY-MM-DD HH24:MI') as closed
      from opportunities o left join people p on p.id = o.owner_id
      where o.source = ${source} and o.external_id like ${prefix + '%'} order by o.external_id`,
  )

describe('locale variants import correctly', () => {
  it('it-IT Salesforce report: semicolons, "1.234,56 €", day/month dates, Italian stage labels', async () => {
    const run = await importFixture(ctx, 'crm/salesforce-opportunities-it_IT.csv')
    expect(run).toMatchObject({ status: 'committed', source: 'salesforce', kind: 'opportunities', created: 5, rejected: 0 })
    const rows = await opportunities('salesforce', '0065g00000IT')
    expect(rows.map((r) => [r.external_id, r.owner, r.amount, r.currency, r.stage, r.status, r.created, r.closed])).toEqual([
      ['0065g00000IT001AAA', 'Giulia Rossi', '1234.56', 'EUR', 'closed_won', 'won', '2026-10-03 00:00', '2026-11-26 00:00'],
      ['0065g00000IT002AAA', 'Marco Bianchi', '12500.00', 'EUR', 'closed_lost', 'lost', '2026-09-15 00:00', '2026-10-02 00:00'],
      ['0065g00000IT003AAA', 'Giulia Rossi', '980.50', 'EUR', 'qualification', 'open', '2026-11-20 00:00', null],
      ['0065g00000IT004AAA', 'Sara Esposito', '45000.00', 'EUR', 'proposal', 'open', '2026-08-01 00:00', null],
      ['0065g00000IT005AAA', 'Luca Romano', '7800.00', 'EUR', 'closed_won', 'won', '2026-11-11 00:00', '2026-11-11 00:00'],
    ])
  })

  it('de-DE generic template: "1.234,56", dd.mm.yyyy dates, German stage labels; unknown owners kept unmapped', async () => {
    const run = await importFixture(ctx, 'crm/generic-opportunities-de_DE.csv')
    expect(run).toMatchObject({ status: 'committed', source: 'csv', created: 3, rejected: 0 })
    const rows = await opportunities('csv', 'DE-')
    expect(rows.map((r) => [r.external_id, r.owner, r.amount, r.stage, r.status, r.created, r.closed])).toEqual([
      ['DE-1001', null, '1234.56', 'closed_won', 'won', '2026-03-02 09:15', '2026-11-26 14:30'],
      ['DE-1002', null, '12500.00', 'negotiation', 'open', '2026-10-15 00:00', null],
      ['DE-1003', null, '980.50', 'closed_lost', 'lost', '2026-09-01 00:00', '2026-10-13 17:05'],
    ])
  })

  it('en-GB Salesforce report without an id column: "£1,234.56" in GBP, day-first dates, ids derived stably', async () => {
    const run = await importFixture(ctx, 'crm/salesforce-opportunities-en_GB-no-id.csv')
    expect(run).toMatchObject({ status: 'committed', created: 3, rejected: 0 })
    const [{ n, amounts }] = await queryRows<{ n: number; amounts: string }>(
      ctx.db,
      sql`select count(*)::int as n, string_agg(amount::text || ' ' || currency, ', ' order by amount) as amounts from opportunities where owner_key in ('Emma Clarke', 'James Walker', 'Olivia Hughes') and currency = 'GBP'`,
    )
    expect(n).toBe(3)
    expect(amounts).toBe('950.00 GBP, 1234.56 GBP, 12500.00 GBP')
    // The same report again: the derived ids match, so nothing is new.
    const again = await importFixture(ctx, 'crm/salesforce-opportunities-en_GB-no-id.csv')
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 })
  })

  it('tab-delimited Pipedrive export with separate won and lost times and three currencies', async () => {
    const run = await importFixture(ctx, 'crm/pipedrive-deals-tab.tsv')
    expect(run).toMatchObject({ status: 'committed', source: 'pipedrive', created: 3, rejected: 0 })
    const rows = await opportunities('pipedrive', '50')
    expect(rows.map((r) => [r.external_id, r.owner, r.amount, r.currency, r.stage, r.status, r.closed])).toEqual([
      ['501', 'Noah Patel', '1500.50', 'EUR', 'proposal', 'won', '2026-02-01 09:30'],
      ['502', 'Emma Clarke', '2300.00', 'GBP', 'negotiation', 'open', null],
      ['503', 'Noah Patel', '700.00', 'USD', 'qualification', 'lost', '2026-02-20 12:00'],
    ])
  })

  it('UTF-8 with a byte-order mark (HubSpot): accents intact, lower-case owners matched to people', async () => {
    const run = await importFixture(ctx, 'crm/hubspot-deals-bom.csv')
    expect(run).toMatchObject({ status: 'committed', source: 'hubspot', created: 2, rejected: 0 })
    const rows = await queryRows<{ name: string; owner: string; amount: string }>(
      ctx.db,
      sql`select o.name, p.name as owner, o.amount from opportunities o join people p on p.id = o.owner_id where o.external_id like '91000000%' order by o.external_id`,
    )
    expect(rows).toEqual([
      { name: 'Società Àlfa – rinnovo', owner: 'Chiara Colombo', amount: '5200.00' },
      { name: 'Café Noël', owner: 'Andrea Ricci', amount: '1800.75' },
    ])
  })

  it('Windows-1252 Italian Salesforce leads: decoded, "no" read as not converted', async () => {
    const run = await importFixture(ctx, 'crm/salesforce-leads-it_IT-cp1252.csv')
    expect(run).toMatchObject({ status: 'committed', kind: 'leads', created: 3, rejected: 0 })
    const rows = await queryRows<{ external_id: string; owner_key: string; converted: boolean; converted_on: string | null }>(
      ctx.db,
      sql`select external_id, owner_key, converted, to_char(converted_at at time zone 'Europe/Rome', 'YYYY-MM-DD') as converted_on from leads where external_id like '00Q5g00000CP%' order by external_id`,
    )
    expect(rows).toEqual([
      { external_id: '00Q5g00000CP001AAA', owner_key: 'Niccolò Ferrari', converted: true, converted_on: '2026-10-20' },
      { external_id: '00Q5g00000CP002AAA', owner_key: 'Niccolò Ferrari', converted: false, converted_on: null },
      { external_id: '00Q5g00000CP003AAA', owner_key: 'Elena Marino', converted: false, converted_on: null },
    ])
  })

  it('generic template opportunities and leads, HubSpot contacts as leads', async () => {
    expect(await importFixture(ctx, 'crm/generic-opportunities.csv')).toMatchObject({ status: 'committed', created: 4, rejected: 0 })
    expect(await importFixture(ctx, 'crm/generic-leads.csv')).toMatchObject({ status: 'committed', kind: 'leads', created: 3, rejected: 0 })
    expect(await importFixture(ctx, 'crm/hubspot-contacts.csv')).toMatchObject({ status: 'committed', kind: 'leads', source: 'hubspot', created: 4, rejected: 0 })
    const [g4] = await opportunities('csv', 'G-4')
    // No currency in the file: the organisation's (EUR by default).
    expect(g4).toMatchObject({ amount: '0.00', currency: 'EUR', stage: 'Discovery', stage_label: 'Discovery', status: 'open', owner: 'Sara Esposito' })
  })
})
