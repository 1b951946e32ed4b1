import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { seedDemo } from '#db/seed/demo'
import type { SentimentKpiDetails, SignalView } from '~/insights/signals'
import { detectSignals } from '~/insights/signals.server'
import * as home from '~/routes/_index'
import * as signalsRoute from '~/routes/signals._index'
import { setupTestContext } from '#test/support/context'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

/**
 * The demo organisation raises the early-warning signal of its story: Roma's mood drifts down over
 * the last six months and its win rate follows. The demo is seeded relative to today, so the
 * figures move with the date; what holds on any day is that Roma's signal is there, above both
 * thresholds, open, and on the screens of hr and of Roma's manager.
 */
const ctx = await setupTestContext()
const person = async (email: string) => (await queryRows<{ id: string }>(ctx.db, sql`select id::text as id from people where email = ${email}`))[0].id

beforeAll(async () => {
  await seedDemo(ctx.db)
}, 120_000)

describe('demo signals', () => {
  it('raises a sentiment-and-KPI signal for Roma when the demo is seeded, and running the detection again adds nothing', async () => {
    const rows = await queryRows<{ team: string; kind: string; details: SentimentKpiDetails; notified: boolean }>(
      ctx.db,
      sql`select t.name as team, s.kind, s.details, s.notified_at is not null as notified from signals s join teams t on t.id = s.team_id where s.status = 'open'`,
    )
    const roma = rows.filter((r) => r.team === 'Roma' && r.kind === 'sentiment_and_kpi')
    expect(roma.length).toBeGreaterThanOrEqual(1)
    for (const r of roma) {
      expect(r.details.enpsDrop).toBeGreaterThanOrEqual(15)
      expect(r.details.kpiDropPct).toBeGreaterThanOrEqual(10)
      expect(r.details.enpsBefore - r.details.enpsAfter).toBeCloseTo(r.details.enpsDrop, 5)
    }
    // The demo sends no email by itself: its signals are marked as notified at seeding.
    expect(rows.every((r) => r.notified)).toBe(true)
    expect(await detectSignals(ctx.db)).toEqual([])
  })

  it('shows Roma’s signal to hr on the signals screen and the dashboard, and to Roma’s manager', async () => {
    const hr = await signedInCookie(ctx, await person('valentina.gallo@example.it'))
    const list = (await call(signalsRoute.loader, ctx, makeRequest('/signals', { cookie: hr }))) as { signals: SignalView[]; canAct: boolean }
    expect(list.signals.some((s) => s.team.name === 'Roma' && s.kind === 'sentiment_and_kpi')).toBe(true)
    expect(list.canAct).toBe(true)
    const dashboard = (await call(home.loader, ctx, makeRequest('/', { cookie: hr }))) as { signals: SignalView[] }
    expect(dashboard.signals.some((s) => s.team.name === 'Roma')).toBe(true)
    const [romaManager] = await queryRows<{ id: string }>(ctx.db, sql`select manager_id::text as id from teams where name = 'Roma'`)
    const manager = (await call(signalsRoute.loader, ctx, makeRequest('/signals', { cookie: await signedInCookie(ctx, romaManager.id) }))) as { signals: SignalView[] }
    expect(manager.signals.length).toBeGreaterThanOrEqual(1)
    expect(new Set(manager.signals.map((s) => s.team.name))).toEqual(new Set(['Roma']))
  })
})
