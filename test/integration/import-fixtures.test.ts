import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { Person } from '#db/schema'
import { listUnmappedOwners, mapOwner } from '~/funnel/owners.server'
import { setupTestContext } from '#test/support/context'
import { countRows, createFixturePeople, importFixture } from '#test/support/crm-factories'

const ctx = await setupTestContext({ env: { DATA_DIR: mkdtempSync(join(tmpdir(), 'pulseboard-import-')) } })
let people: Map<string, Person>

beforeAll(async () => {
  // Olivia Hughes is left out of the HRIS export: her deals must be kept and queued for mapping.
  people = await createFixturePeople(ctx.db, { skip: ['Olivia Hughes'] })
})

const ownedBy = (table: 'opportunities' | 'leads', source: string) =>
  queryRows<{ name: string | null; n: number }>(
    ctx.db,
    sql`select p.name, count(*)::int as n from ${sql.identifier(table)} t left join people p on p.id = t.owner_id where t.source = ${source} group by p.name order by p.name nulls first`,
  )

describe('the sample exports import with the right counts and no rejected row', () => {
  it('Salesforce opportunities (en_US): 90 deals, footer stripped, Olivia Hughes unmapped then mapped', async () => {
    const run = await importFixture(ctx, 'salesforce-opportunities-en_US.csv')
    expect(run).toMatchObject({ status: 'committed', kind: 'opportunities', source: 'salesforce', created: 90, updated: 0, unchanged: 0, rejected: 0, rowsTotal: 90, rowsProcessed: 90 })
    expect(await countRows(ctx.db, 'opportunities')).toBe(90)
    expect(await countRows(ctx.db, 'import_rejections')).toBe(0)
    const owners = await ownedBy('opportunities', 'salesforce')
    expect(owners[0]).toEqual({ name: null, n: 4 })
    expect(owners.find((o) => o.name === 'Davide Greco')?.n).toBe(15)

    expect(await listUnmappedOwners(ctx.db)).toEqual([{ ownerKey: 'Olivia Hughes', opportunities: 4, leads: 0 }])
    const olivia = await import('#test/support/factories').then((f) => f.createPerson(ctx.db, { name: 'Olivia H.', email: 'olivia.hughes@example.co.uk', crmOwnerKeys: [] }))
    const admin = people.get('Matteo Costa')!
    expect(await mapOwner(ctx.db, { ownerKey: 'Olivia Hughes', personId: olivia.id, actorId: admin.id })).toEqual({ opportunities: 4, leads: 0, personName: 'Olivia H.' })
    expect(await listUnmappedOwners(ctx.db)).toEqual([])
    const [mine] = await queryRows<{ n: number; won: string }>(
      ctx.db,
      sql`select count(*)::int as n, coalesce(sum(amount) filter (where status = 'won'), 0)::text as won from opportunities where owner_id = ${olivia.id}`,
    )
    expect(mine.n).toBe(4)
  })

  it('Salesforce leads (en_US): 160 leads', async () => {
    const run = await importFixture(ctx, 'salesforce-leads-en_US.csv')
    expect(run).toMatchObject({ status: 'committed', kind: 'leads', source: 'salesforce', created: 160, updated: 0, unchanged: 0, rejected: 0 })
    expect(await countRows(ctx.db, 'leads')).toBe(160)
    // Olivia's leads follow the mapping made for her deals.
    const owners = await ownedBy('leads', 'salesforce')
    expect(owners.find((o) => o.name === null)).toBeUndefined()
    expect(owners.find((o) => o.name === 'Olivia H.')?.n).toBe(10)
  })

  it('HubSpot all-deals export: 45 deals', async () => {
    const run = await importFixture(ctx, 'hubspot-crm-exports-all-deals-2026-11-20.csv')
    expect(run).toMatchObject({ status: 'committed', kind: 'opportunities', source: 'hubspot', created: 45, updated: 0, unchanged: 0, rejected: 0 })
  })

  it('Pipedrive deals export: 45 deals', async () => {
    const run = await importFixture(ctx, 'pipedrive-deals.csv')
    expect(run).toMatchObject({ status: 'committed', kind: 'opportunities', source: 'pipedrive', created: 45, updated: 0, unchanged: 0, rejected: 0 })
    expect(await countRows(ctx.db, 'opportunities')).toBe(90 + 45 + 45)
  })
})
