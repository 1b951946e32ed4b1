import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { Person } from '#db/schema'
import { action as leadsAction, loader as leadsLoader } from '~/routes/api.v1.crm.leads'
import { action as opportunitiesAction } from '~/routes/api.v1.crm.opportunities'
import { setupTestContext } from '#test/support/context'
import { countRows, createTestApiKey } from '#test/support/crm-factories'
import { createPerson } from '#test/support/factories'
import { call, makeRequest } from '#test/support/requests'

const ctx = await setupTestContext()
let adminKey: string
let marco: Person
let sara: Person

beforeAll(async () => {
  adminKey = await createTestApiKey(ctx.db, 'admin')
  marco = await createPerson(ctx.db, { name: 'Marco Bianchi', email: 'marco.bianchi@example.it', crmOwnerKeys: ['Marco Bianchi', '005A1'] })
  sara = await createPerson(ctx.db, { name: 'Sara Esposito', email: 'sara.esposito@example.it', crmOwnerKeys: [] })
})

const post = async (path: string, body: unknown, key: string | null = adminKey) => {
  const fn = path.endsWith('leads') ? leadsAction : opportunitiesAction
  const response = (await call(fn as never, ctx, makeRequest(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) }))) as Response
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

const deal = (over: Record<string, unknown> = {}) => ({
  externalId: 'OPP-1',
  source: 'salesforce',
  owner: { crmKey: '005A1' },
  name: 'Fleet renewal',
  account: 'Acme',
  amount: 12500.5,
  stage: 'Proposal/Price Quote',
  status: 'open',
  createdAt: '2026-09-01T09:00:00+02:00',
  ...over,
})

describe('POST /api/v1/crm/opportunities', () => {
  it('creates, then upserts by (source, externalId) with stage history, then reports unchanged', async () => {
    const first = await post('/api/v1/crm/opportunities', {
      opportunities: [deal(), deal({ externalId: 'OPP-2', owner: { email: 'SARA.ESPOSITO@example.it' }, amount: 3000, currency: 'GBP', status: 'won', stage: undefined, closedAt: '2026-10-15' }), deal({ externalId: 'OPP-3', owner: { crmKey: 'Ghost Rep' }, amount: 0 })],
    })
    expect(first).toEqual({ status: 200, body: { created: 3, updated: 0, unchanged: 0, unmappedOwners: ['Ghost Rep'] } })
    const rows = await queryRows<Record<string, unknown>>(
      ctx.db,
      sql`select external_id, owner_id, amount, currency, stage, stage_label, status, closed_at is not null as closed from opportunities order by external_id`,
    )
    expect(rows).toEqual([
      { external_id: 'OPP-1', owner_id: marco.id, amount: '12500.50', currency: 'EUR', stage: 'proposal', stage_label: 'Proposal/Price Quote', status: 'open', closed: false },
      { external_id: 'OPP-2', owner_id: sara.id, amount: '3000.00', currency: 'GBP', stage: 'closed_won', stage_label: null, status: 'won', closed: true },
      { external_id: 'OPP-3', owner_id: null, amount: '0.00', currency: 'EUR', stage: 'proposal', stage_label: 'Proposal/Price Quote', status: 'open', closed: false },
    ])
    expect(await countRows(ctx.db, 'opportunity_stage_history')).toBe(0)

    // OPP-1 moves to negotiation and to Sara; OPP-3 unchanged.
    const second = await post('/api/v1/crm/opportunities', {
      opportunities: [deal({ stage: 'Negotiation/Review', owner: { email: 'sara.esposito@example.it' } }), deal({ externalId: 'OPP-3', owner: { crmKey: 'Ghost Rep' }, amount: 0 })],
    })
    expect(second).toEqual({ status: 200, body: { created: 0, updated: 1, unchanged: 1, unmappedOwners: ['Ghost Rep'] } })
    const [moved] = await queryRows<{ owner_id: string; stage: string }>(ctx.db, sql`select owner_id, stage from opportunities where external_id = 'OPP-1'`)
    expect(moved).toEqual({ owner_id: sara.id, stage: 'negotiation' })
    const history = await queryRows<{ from_stage: string; to_stage: string }>(ctx.db, sql`select from_stage, to_stage from opportunity_stage_history`)
    expect(history).toEqual([{ from_stage: 'proposal', to_stage: 'negotiation' }])

    const third = await post('/api/v1/crm/opportunities', { opportunities: [deal({ stage: 'Negotiation/Review', owner: { email: 'sara.esposito@example.it' } })] })
    expect(third.body).toEqual({ created: 0, updated: 0, unchanged: 1, unmappedOwners: [] })
    expect(await countRows(ctx.db, 'opportunity_stage_history')).toBe(1)
  })

  it('rejects the whole batch with every bad item named, and writes nothing', async () => {
    const before = await countRows(ctx.db, 'opportunities')
    const response = await post('/api/v1/crm/opportunities', {
      opportunities: [
        deal({ externalId: 'NEW-1' }),
        deal({ externalId: 'BAD-1', amount: -5 }),
        deal({ externalId: 'BAD-2', status: 'won', closedAt: '2026-08-01T00:00:00Z' }),
        deal({ externalId: 'BAD-3', status: 'lost' }),
        deal({ externalId: 'BAD-4', currency: 'EURO' }),
        deal({ externalId: 'BAD-5', owner: {} }),
        deal({ externalId: 'NEW-1' }),
      ],
    })
    expect(response.status).toBe(400)
    const error = response.body.error as { code: string; details: { errors: { index: number; field: string }[] } }
    expect(error.code).toBe('invalid_batch')
    expect(error.details.errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'amount'],
      [4, 'currency'],
      [5, 'owner'],
    ])
    // Field errors come first; the cross-item rules run once every item has the right shape.
    const crossItem = await post('/api/v1/crm/opportunities', {
      opportunities: [deal({ externalId: 'NEW-1' }), deal({ externalId: 'BAD-2', status: 'won', closedAt: '2026-08-01T00:00:00Z' }), deal({ externalId: 'BAD-3', status: 'lost' }), deal({ externalId: 'NEW-1' })],
    })
    expect(crossItem.status).toBe(400)
    expect((crossItem.body.error as { details: { errors: { index: number; field: string }[] } }).details.errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'closedAt'],
      [2, 'closedAt'],
      [3, 'externalId'],
    ])
    expect(await countRows(ctx.db, 'opportunities')).toBe(before)
  })

  it('refuses a batch over 10,000 items with 413 and a body that is not a batch with 400', async () => {
    const big = await post('/api/v1/crm/opportunities', { opportunities: Array.from({ length: 10_001 }, (_, i) => deal({ externalId: `X-${i}` })) })
    expect(big.status).toBe(413)
    expect((big.body.error as { code: string; message: string }).message).toContain('at most 10,000 opportunities')
    const notBatch = await post('/api/v1/crm/opportunities', { deals: [] })
    expect(notBatch.status).toBe(400)
  })

  it('answers 401 without a key and 403 for a key whose role lacks crm:import', async () => {
    expect((await post('/api/v1/crm/opportunities', { opportunities: [] }, null)).status).toBe(401)
    expect((await post('/api/v1/crm/opportunities', { opportunities: [] }, 'pb_unknown')).status).toBe(401)
    for (const role of ['employee', 'hr', 'leader', 'marketing'] as const) {
      const key = await createTestApiKey(ctx.db, role)
      expect((await post('/api/v1/crm/opportunities', { opportunities: [deal({ externalId: `R-${role}` })] }, key)).status).toBe(403)
      expect((await post('/api/v1/crm/leads', { leads: [] }, key)).status).toBe(403)
    }
    const [{ n }] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from opportunities where external_id like 'R-%'`)
    expect(n).toBe(0)
  })
})

describe('POST /api/v1/crm/leads', () => {
  const lead = (over: Record<string, unknown> = {}) => ({ externalId: 'L-1', owner: { email: 'marco.bianchi@example.it' }, createdAt: '2026-03-01', leadSource: 'Web', ...over })

  it('creates and upserts leads; conversion sets the converted flag', async () => {
    expect(await post('/api/v1/crm/leads', { leads: [lead(), lead({ externalId: 'L-2', owner: { crmKey: 'Nobody' } })] })).toEqual({
      status: 200,
      body: { created: 2, updated: 0, unchanged: 0, unmappedOwners: ['Nobody'] },
    })
    expect(await post('/api/v1/crm/leads', { leads: [lead({ convertedAt: '2026-03-10T10:00:00+01:00' }), lead({ externalId: 'L-2', owner: { crmKey: 'Nobody' } })] })).toEqual({
      status: 200,
      body: { created: 0, updated: 1, unchanged: 1, unmappedOwners: ['Nobody'] },
    })
    const rows = await queryRows<{ external_id: string; owner_id: string | null; converted: boolean; converted_at: string | null }>(
      ctx.db,
      sql`select external_id, owner_id, converted, to_char(converted_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as converted_at from leads order by external_id`,
    )
    expect(rows).toEqual([
      { external_id: 'L-1', owner_id: marco.id, converted: true, converted_at: '2026-03-10 09:00' },
      { external_id: 'L-2', owner_id: null, converted: false, converted_at: null },
    ])
  })

  it('rejects a conversion before creation and a lead without owner, writing nothing', async () => {
    const response = await post('/api/v1/crm/leads', { leads: [lead({ externalId: 'L-9', owner: {} }), lead({ externalId: 'L-10' })] })
    expect(response.status).toBe(400)
    const again = await post('/api/v1/crm/leads', { leads: [lead({ externalId: 'L-11', convertedAt: '2026-02-01' })] })
    expect((again.body.error as { details: { errors: unknown[] } }).details.errors).toEqual([
      { index: 0, field: 'convertedAt', message: '2026-02-01 is before createdAt 2026-03-01; a lead cannot convert before it was created' },
    ])
    expect(await countRows(ctx.db, 'leads')).toBe(2)
  })

  it('answers 405 to GET', async () => {
    const response = (await call(leadsLoader as never, ctx, makeRequest('/api/v1/crm/leads', { headers: { Authorization: `Bearer ${adminKey}` } }))) as Response
    expect(response.status).toBe(405)
  })
})
