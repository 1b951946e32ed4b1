import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '~/context'
import * as healthRoute from '~/routes/one-on-ones.health'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { createMeeting } from '#test/support/one-on-one-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext
const DAY = 86400_000

beforeAll(async () => {
  ctx = await setupTestContext()
})

/** A team with a manager and one report per entry: a 1:1 held that many days ago with that check-in (null: never had one). */
async function teamWith(name: string, reports: { heldDaysAgo: number | null; checkIn?: number; cadence?: 'weekly' | 'biweekly' | 'monthly' }[]) {
  const team = await createTeam(ctx.db, { name })
  const manager = await createPerson(ctx.db, { teamId: team.id })
  await setTeamManager(ctx.db, team.id, manager.id)
  for (const r of reports) {
    const report = await createPerson(ctx.db, { teamId: team.id, managerId: manager.id })
    if (r.heldDaysAgo === null) continue
    const at = new Date(Date.now() - r.heldDaysAgo * DAY)
    const meetingId = await createMeeting(ctx.db, { managerId: manager.id, reportId: report.id, scheduledAt: at })
    await ctx.db.execute(sql`update one_on_ones set held_at = ${at.toISOString()}::timestamptz, check_in_score = ${r.checkIn ?? null}, check_in_at = ${r.checkIn ? at.toISOString() : null}::timestamptz where id = ${meetingId}`)
    if (r.cadence) await ctx.db.execute(sql`update one_on_one_pairs set cadence = ${r.cadence} where report_id = ${report.id}`)
  }
  return team
}

describe('cadence health', () => {
  it('counts reports with a 1:1 in the last 30 days and overdue ones per team, and averages check-ins only from the threshold up', async () => {
    const big = await teamWith('Health Big', [
      { heldDaysAgo: 2, checkIn: 6 },
      { heldDaysAgo: 3, checkIn: 7 },
      { heldDaysAgo: 5, checkIn: 8 },
      { heldDaysAgo: 20, checkIn: 9, cadence: 'monthly' }, // within a month: not overdue
      { heldDaysAgo: 20, checkIn: 10 }, // every 2 weeks by default: overdue
      { heldDaysAgo: 45 }, // outside 30 days, overdue
      { heldDaysAgo: null }, // never: overdue
    ])
    const small = await teamWith('Health Small', [
      { heldDaysAgo: 1, checkIn: 2 },
      { heldDaysAgo: 1, checkIn: 3 },
      { heldDaysAgo: 8, checkIn: 4, cadence: 'weekly' }, // weekly: overdue
      { heldDaysAgo: 1, checkIn: 5 },
    ])
    const hr = await createPerson(ctx.db, { role: 'hr' })
    const data = (await call(healthRoute.loader, ctx, makeRequest('/one-on-ones/health', { cookie: await signedInCookie(ctx, hr.id) }))) as Awaited<ReturnType<typeof healthRoute.loader>>
    expect(data.threshold).toBe(5)
    expect(data.teams.find((t) => t.teamId === big.id)).toEqual({ teamId: big.id, teamName: 'Health Big', reports: 7, heldLast30: 5, share: 5 / 7, overdue: 3, checkInAverage: 8 })
    // Four check-ins are below the threshold of five: no average, only counts.
    expect(data.teams.find((t) => t.teamId === small.id)).toEqual({ teamId: small.id, teamName: 'Health Small', reports: 4, heldLast30: 4, share: 1, overdue: 1, checkInAverage: null })
  })
})
