import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { analyticsRows, withSharedQueries } from '#db/client'
import type { AppContext } from '~/context'
import { setupTestContext } from '#test/support/context'

let ctx: AppContext
beforeAll(async () => {
  ctx = await setupTestContext()
  await ctx.db.execute(sql`create sequence if not exists shared_queries_probe`)
})

const probe = (label: string) => analyticsRows<{ n: number; label: string }>(ctx.db, sql`select nextval('shared_queries_probe')::int as n, ${label}::text as label`)

describe('withSharedQueries', () => {
  it('runs an identical analytics query once inside, and every time outside', async () => {
    const [a, b, c] = await withSharedQueries(() => Promise.all([probe('x'), probe('x'), probe('y')]))
    expect(b).toBe(a)
    expect(c[0].n).not.toBe(a[0].n)
    expect(c[0].label).toBe('y')
    const [d] = await probe('x')
    const [e] = await probe('x')
    expect(e.n).toBe(d.n + 1)
    // Each request gets its own: a second run does not see the first one's rows.
    const [again] = await withSharedQueries(() => probe('x'))
    expect(again.n).toBe(e.n + 1)
  })
})
