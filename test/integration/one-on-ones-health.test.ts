import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '~/context'
import { cadenceHealth } from '~/one-on-ones/one-on-ones.server'
import * as healthRoute from '~/routes/one-on-ones.health'
import { getSettings } from '~/settings/settings.server'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { createMeeting } from '#test/support/one-on-one-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext
const DAY = 86400_000

beforeAll(async () => {
  ctx = await setupTestContext()
})

/** A 1:1 held at `at`, with the report's check-in recorded then when a score is given. */
async function meeting(managerId: string, reportId: string, at: Date, checkIn?: number) {
  const meetingId = await createMeeting(ctx.db, { managerId, reportId, scheduledAt: at })
  await ctx.db.execute(sql`update one_on_ones set held_at = ${at.toISOString()}::timestamptz, check_in_score = ${checkIn ?? null}, check_in_at = ${checkIn ? at.toISOString() : null}::timestamptz where id = ${meetingId}`)
}

/** Mid-month of the quarter before today's, in the organisation's time zone (Europe/Rome): inside the last whole quarter. */
function inLastWholeQuarter(): Date {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date()).split('-').map(Number)
  return new Date(Date.UTC(year, Math.floor((month - 1) / 3) * 3 - 3, 15, 12))
}

/**
 * A team with a manager and one report per entry: a 1:1 held that many days ago (null: never had
 * one) and, with a check-in, another 1:1 in the last whole quarter where the report checked in.
 */
async function teamWith(name: string, reports: { heldDaysAgo: number | null; checkIn?: number; cadence?: 'weekly' | 'biweekly' | 'monthly' }[]) {
  const team = await createTeam(ctx.db, { name })
  const manager = await createPerson(ctx.db, { teamId: team.id })
  await setTeamManager(ctx.db, team.id, manager.id)
  for (const r of reports) {
    const report = await createPerson(ctx.db, { teamId: team.id, managerId: manager.id })
    if (r.heldDaysAgo === null) continue
    if (r.checkIn) await meeting(manager.id, report.id, inLastWholeQuarter(), r.checkIn)
    await meeting(manager.id, report.id, new Date(Date.now() - r.heldDaysAgo * DAY))
    if (r.cadence) await ctx.db.execute(sql`update one_on_one_pairs set cadence = ${r.cadence} where report_id = ${report.id}`)
  }
  return { team, manager }
}

describe('cadence health', () => {
  it('counts reports with a 1:1 in the last 30 days and overdue ones per team, and averages check-ins only from the threshold up', async () => {
    const { team: big } = await teamWith('Health Big', [
      { heldDaysAgo: 2, checkIn: 6 },
      { heldDaysAgo: 3, checkIn: 7 },
      { heldDaysAgo: 5, checkIn: 8 },
      { heldDaysAgo: 20, checkIn: 9, cadence: 'monthly' }, // within a month: not overdue
      { heldDaysAgo: 20, checkIn: 10 }, // every 2 weeks by default: overdue
      { heldDaysAgo: 45 }, // outside 30 days, overdue
      { heldDaysAgo: null }, // never: overdue
    ])
    const { team: small } = await teamWith('Health Small', [
      { heldDaysAgo: 1, checkIn: 2 },
      { heldDaysAgo: 1, checkIn: 3 },
      { heldDaysAgo: 8, checkIn: 4, cadence: 'weekly' }, // weekly: overdue
      { heldDaysAgo: 1, checkIn: 5 },
    ])
    const hr = await createPerson(ctx.db, { role: 'hr' })
    const data = (await call(healthRoute.loader, ctx, makeRequest('/one-on-ones/health', { cookie: await signedInCookie(ctx, hr.id) }))) as Awaited<ReturnType<typeof healthRoute.loader>>
    expect(data.threshold).toBe(5)
    const quarterStart = inLastWholeQuarter().toISOString().slice(0, 8) + '01'
    expect(data.checkInQuarter.from).toBe(quarterStart)
    expect(data.teams.find((t) => t.teamId === big.id)).toEqual({ teamId: big.id, teamName: 'Health Big', reports: 7, heldLast30: 5, share: 5 / 7, overdue: 3, checkInAverage: 8 })
    // Four check-ins are below the threshold of five: no average, only counts.
    expect(data.teams.find((t) => t.teamId === small.id)).toEqual({ teamId: small.id, teamName: 'Health Small', reports: 4, heldLast30: 4, share: 1, overdue: 1, checkInAverage: null })
  })

  it('publishes the check-in average of the last whole quarter: a meeting held from one day to the next leaves it unchanged', async () => {
    const { team, manager } = await teamWith('Quarter Team', [])
    const reports = []
    for (let i = 0; i < 6; i++) reports.push((await createPerson(ctx.db, { teamId: team.id, managerId: manager.id })).id)
    // Q1 2026 in Europe/Rome. Each report's latest check-in of the quarter counts once: 6 (not the earlier 4), 7, 8, 5, 9 → 7.
    await meeting(manager.id, reports[0], new Date('2026-01-10T09:00:00Z'), 4)
    await meeting(manager.id, reports[0], new Date('2026-03-20T09:00:00Z'), 6)
    await meeting(manager.id, reports[1], new Date('2026-01-02T09:00:00Z'), 7)
    await meeting(manager.id, reports[2], new Date('2026-02-11T09:00:00Z'), 8)
    await meeting(manager.id, reports[3], new Date('2026-03-02T09:00:00Z'), 5)
    await meeting(manager.id, reports[4], new Date('2026-03-30T09:00:00Z'), 9)
    // 31 March 22:30 UTC is 1 April 00:30 in Rome: the second quarter, not the first.
    await meeting(manager.id, reports[5], new Date('2026-03-31T22:30:00Z'), 1)

    const monday = await cadenceHealth(ctx.db, new Date('2026-05-11T08:00:00Z'))
    expect(monday.checkInQuarter).toEqual({ from: '2026-01-01', to: '2026-03-31' })
    expect(monday.teams.find((t) => t.teamId === team.id)).toEqual({ teamId: team.id, teamName: 'Quarter Team', reports: 6, heldLast30: 0, share: 0, overdue: 6, checkInAverage: 7 })

    // Monday afternoon a 1:1 is held and the report checks in with 1: the counts move, the published average does not.
    await meeting(manager.id, reports[0], new Date('2026-05-11T14:00:00Z'), 1)
    const tuesday = await cadenceHealth(ctx.db, new Date('2026-05-12T08:00:00Z'))
    expect(tuesday.checkInQuarter).toEqual({ from: '2026-01-01', to: '2026-03-31' })
    expect(tuesday.teams.find((t) => t.teamId === team.id)).toEqual({ teamId: team.id, teamName: 'Quarter Team', reports: 6, heldLast30: 1, share: 1 / 6, overdue: 5, checkInAverage: 7 })

    // Once the second quarter is over it is published: two people checked in during it, below the threshold of five.
    const july = await cadenceHealth(ctx.db, new Date('2026-07-01T08:00:00Z'))
    expect(july.checkInQuarter).toEqual({ from: '2026-04-01', to: '2026-06-30' })
    expect(july.teams.find((t) => t.teamId === team.id)?.checkInAverage).toBeNull()
  })

  it('gives no figure for a quarter with one check-in fewer than the threshold, however often those people checked in', async () => {
    const { thresholdScores } = await getSettings(ctx.db)
    expect(thresholdScores).toBe(5)
    const { team, manager } = await teamWith('Threshold Team', [])
    const reports = []
    for (let i = 0; i < thresholdScores; i++) reports.push((await createPerson(ctx.db, { teamId: team.id, managerId: manager.id })).id)
    const now = new Date('2026-10-05T08:00:00Z') // the last whole quarter is Q3 2026
    // threshold − 1 people check in, one of them twice: still threshold − 1 people.
    for (let i = 0; i < thresholdScores - 1; i++) await meeting(manager.id, reports[i], new Date(`2026-08-${String(10 + i).padStart(2, '0')}T09:00:00Z`), 8)
    await meeting(manager.id, reports[0], new Date('2026-09-01T09:00:00Z'), 8)
    const below = await cadenceHealth(ctx.db, now)
    expect(below.checkInQuarter).toEqual({ from: '2026-07-01', to: '2026-09-30' })
    expect(below.teams.find((t) => t.teamId === team.id)?.checkInAverage).toBeNull()
    // One more person checking in that quarter reaches the threshold: the figure appears.
    await meeting(manager.id, reports[thresholdScores - 1], new Date('2026-09-15T09:00:00Z'), 3)
    const atThreshold = await cadenceHealth(ctx.db, now)
    // (8 × 4 + 3) ÷ 5 = 7.
    expect(atThreshold.teams.find((t) => t.teamId === team.id)?.checkInAverage).toBe(7)
  })
})
