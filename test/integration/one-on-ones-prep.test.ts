import { DateTime } from 'luxon'
import { beforeAll, describe, expect, it } from 'vitest'
import { opportunities } from '#db/schema'
import type { AppContext } from '~/context'
import * as meetingRoute from '~/routes/one-on-ones.$meetingId'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { createMeeting, createOneOnOneOrg } from '#test/support/one-on-one-factories'
import { answerEnps, createRound, createSurvey } from '#test/support/response-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext
type Page = Awaited<ReturnType<typeof meetingRoute.loader>>
const DAY = 86400_000

beforeAll(async () => {
  ctx = await setupTestContext()
})

describe('prep panel', () => {
  it('shows the report’s quarter against the previous one and suggests talking points that one click adds to the agenda', async () => {
    const org = await createOneOnOneOrg(ctx.db)
    const now = Date.now()
    // Quarters in the organisation's time zone (Europe/Rome by default).
    const currentStart = DateTime.now().setZone('Europe/Rome').startOf('quarter').toMillis()
    const inCurrent = currentStart + (now - currentStart) / 2
    const inPrevious = currentStart - 15 * DAY
    let n = 0
    const deal = (status: 'won' | 'lost' | 'open', closed: number | null, cycleDays: number, amount: string, expected?: string) => ({
      source: 'csv' as const,
      externalId: `deal-${++n}`,
      ownerKey: org.report.name,
      ownerId: org.report.id,
      name: `Deal ${n}`,
      amount,
      currency: 'EUR',
      status,
      createdAt: new Date((closed ?? now) - cycleDays * DAY),
      closedAt: closed === null ? null : new Date(closed),
      expectedCloseOn: expected ?? null,
    })
    const rows = [
      // Previous quarter: 5 won, 5 lost (50%), won deals took 30 days.
      ...Array.from({ length: 5 }, () => deal('won', inPrevious, 30, '10000.00')),
      ...Array.from({ length: 5 }, () => deal('lost', inPrevious, 30, '10000.00')),
      // This quarter so far: 1 won, 3 lost (25%), the won deal took 60 days.
      deal('won', inCurrent, 60, '10000.00'),
      ...Array.from({ length: 3 }, () => deal('lost', inCurrent, 20, '10000.00')),
      // Open past the expected close: one large (≥ the 10 000 average won deal), one small.
      { ...deal('open', null, 90, '50000.00', DateTime.fromMillis(now - 10 * DAY).toISODate()!), name: 'Acme renewal' },
      deal('open', null, 90, '1000.00', DateTime.fromMillis(now - 10 * DAY).toISODate()!),
    ]
    await ctx.db.insert(opportunities).values(rows)
    const meetingId = await createMeeting(ctx.db, { managerId: org.manager.id, reportId: org.report.id, scheduledAt: new Date(now + DAY) })
    const manager = await signedInCookie(ctx, org.manager.id)
    const page = (await call(meetingRoute.loader, ctx, makeRequest(`/one-on-ones/${meetingId}`, { cookie: manager }), { meetingId })) as Page
    const prep = page.prep!
    expect(prep.currency).toBe('EUR')
    expect(prep.previous).toMatchObject({ won: 5, lost: 5, winRate: 0.5, salesCycleDaysMedian: 30, wonAmount: 50000 })
    expect(prep.current).toMatchObject({ won: 1, lost: 3, winRate: 0.25, salesCycleDaysMedian: 60, wonAmount: 10000 })
    expect(prep.suggestions.map((s) => s.kind)).toEqual(['win-rate-down', 'sales-cycle-up', 'large-deal-overdue'])
    expect(prep.suggestions[0]).toMatchObject({ points: 25 })
    const large = prep.suggestions[2]
    expect(large.kind === 'large-deal-overdue' && large.deal.name).toBe('Acme renewal')

    // "Add to agenda" is a plain form post of the suggestion's text.
    const text = 'Win rate is down 25 points on the previous quarter (50% → 25%): what changed in the deals lost?'
    const res = (await call(meetingRoute.action, ctx, makeRequest(`/one-on-ones/${meetingId}`, { form: { intent: 'add-agenda', text }, cookie: manager }), { meetingId })) as Response
    expect(res.status).toBe(302)
    const after = (await call(meetingRoute.loader, ctx, makeRequest(`/one-on-ones/${meetingId}`, { cookie: await signedInCookie(ctx, org.report.id) }), { meetingId })) as Page
    expect(after.agenda.map((a) => a.text)).toEqual([text])
    expect(after.prep).toBeNull()
  })

  it('shows the team’s eNPS only as an aggregate above the threshold, never for a smaller team', async () => {
    const org = await createOneOnOneOrg(ctx.db)
    const colleagues = await Promise.all(Array.from({ length: 4 }, () => createPerson(ctx.db, { teamId: org.team.id, managerId: org.manager.id })))
    const survey = await createSurvey(ctx.db)
    const round = await createRound(ctx.db, { surveyId: survey.id, opensAt: new Date(Date.now() - 10 * DAY), thresholdScores: 5 })
    const day = DateTime.now().setZone('Europe/Rome').minus({ days: 5 }).toISODate()!
    // Five respondents in the report's team: 2 promoters, 1 passive, 2 detractors → eNPS 0.
    const scores = [10, 9, 8, 6, 3]
    await answerEnps(ctx.db, round, [org.report, ...colleagues].map((p, i) => ({ personId: p.id, teamId: org.team.id, score: scores[i] })), day)
    // Four in the other team: below the threshold of five.
    const others = await Promise.all(Array.from({ length: 3 }, () => createPerson(ctx.db, { teamId: org.otherTeam.id, managerId: org.otherManager.id })))
    await answerEnps(ctx.db, round, [org.otherReport, ...others].map((p) => ({ personId: p.id, teamId: org.otherTeam.id, score: 10 })), day)
    // A third small team, so the other team's suppression does not also hide ours by sibling protection
    // (exactly one hidden sibling would let its n be recovered from the organisation's total).
    const third = await createTeam(ctx.db)
    const thirdPeople = await Promise.all(Array.from({ length: 3 }, () => createPerson(ctx.db, { teamId: third.id })))
    await answerEnps(ctx.db, round, thirdPeople.map((p) => ({ personId: p.id, teamId: third.id, score: 2 })), day)

    const mine = await createMeeting(ctx.db, { managerId: org.manager.id, reportId: org.report.id, scheduledAt: new Date(Date.now() + DAY) })
    const page = (await call(meetingRoute.loader, ctx, makeRequest(`/one-on-ones/${mine}`, { cookie: await signedInCookie(ctx, org.manager.id) }), { meetingId: mine })) as Page
    const quarter = expect.stringMatching(/^\d{4}-(01|04|07|10)-01$/)
    expect(page.prep!.teamSentiment).toEqual({ teamName: org.team.name, quarter, shown: true, enps: 0, n: 5, ciLow: expect.any(Number), ciHigh: expect.any(Number) })
    // The report's own score appears nowhere on the page.
    expect(JSON.stringify(page.prep)).not.toContain('"score"')

    const theirs = await createMeeting(ctx.db, { managerId: org.otherManager.id, reportId: org.otherReport.id, scheduledAt: new Date(Date.now() + DAY) })
    const other = (await call(meetingRoute.loader, ctx, makeRequest(`/one-on-ones/${theirs}`, { cookie: await signedInCookie(ctx, org.otherManager.id) }), { meetingId: theirs })) as Page
    expect(other.prep!.teamSentiment).toEqual({ teamName: org.otherTeam.name, quarter, shown: false })
  })
})
