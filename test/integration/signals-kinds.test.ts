import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { invitations, type Person } from '#db/schema'
import type { AppContext } from '~/context'
import { detectSignals } from '~/insights/signals.server'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { createResponse, createRound, createSurvey, workloadQuestion } from '#test/support/response-factories'

/**
 * The two other kinds of signal, on 20 May 2026 by quarter:
 * - response rate: two consecutive rounds of a weekly pulse (6 and 13 April). Rate falls 90% → 60%
 *   (30 points ≥ 25: a signal); Steady falls 80% → 70% (10 points: none); Few and Faint collapse
 *   too, but their second round has fewer respondents than the threshold, so their rate is not
 *   shown anywhere and raises nothing;
 * - overdue 1:1s: Cadence has 3 of its 4 pairs without a held 1:1 within their cadence (a signal);
 *   Fine has 2 of 4 (none: fewer than 3); Loose has 3 of 7 (none: under half).
 */
const NOW = new Date('2026-05-20T10:00:00Z')
const DAY = 86_400_000
let ctx: AppContext
const ids = {} as Record<string, string>
let roundIds: [string, string]
let surveyId: string

async function teamOf(name: string, size: number) {
  const team = await createTeam(ctx.db, { name })
  const members: Person[] = []
  for (let i = 0; i < size; i++) members.push(await createPerson(ctx.db, { teamId: team.id }))
  ids[name] = team.id
  return members
}

async function round(opensAt: string, answered: Map<Person[], number>) {
  const r = await createRound(ctx.db, { surveyId, opensAt, questions: [workloadQuestion] })
  for (const [members, count] of answered) {
    await ctx.db.insert(invitations).values(
      members.map((m, i) => ({ roundId: r.id, personId: m.id, tokenHash: randomBytes(32).toString('hex'), deliveryStatus: 'sent' as const, attempts: 1, sentAt: r.opensAt, respondedAt: i < count ? r.opensAt : null })),
    )
    for (const m of members.slice(0, count)) {
      await createResponse(ctx.db, { surveyId, roundId: r.id, personId: m.id, teamId: m.teamId, submittedOn: opensAt.slice(0, 10), answers: [{ key: 'workload_manageable', type: 'agreement', driver: 'workload', value: 4 }] })
    }
  }
  return r.id
}

async function pairs(name: string, lastHeldDaysAgo: (number | null)[]) {
  const team = await createTeam(ctx.db, { name })
  ids[name] = team.id
  const manager = await createPerson(ctx.db, { teamId: team.id })
  await setTeamManager(ctx.db, team.id, manager.id)
  for (const daysAgo of lastHeldDaysAgo) {
    const report = await createPerson(ctx.db, { teamId: team.id, managerId: manager.id })
    const [pair] = await queryRows<{ id: string }>(ctx.db, sql`insert into one_on_one_pairs (manager_id, report_id, cadence) values (${manager.id}, ${report.id}, 'biweekly') returning id::text as id`)
    if (daysAgo === null) continue
    const at = new Date(NOW.getTime() - daysAgo * DAY).toISOString()
    await ctx.db.execute(sql`insert into one_on_ones (pair_id, manager_id, report_id, scheduled_at, held_at) values (${pair.id}, ${manager.id}, ${report.id}, ${at}::timestamptz, ${at}::timestamptz)`)
  }
}

beforeAll(async () => {
  ctx = await setupTestContext()
  const rate = await teamOf('Rate', 10)
  const steady = await teamOf('Steady', 10)
  const few = await teamOf('Few', 6)
  const faint = await teamOf('Faint', 6)
  surveyId = (await createSurvey(ctx.db, { title: 'Weekly pulse', kind: 'pulse' })).id
  roundIds = [
    await round('2026-04-06T08:00:00Z', new Map([[rate, 9], [steady, 8], [few, 5], [faint, 6]])),
    // Few and Faint fall below the threshold together with 1 + 4 = 5 respondents: enough to stay hidden
    // as a pair without hiding Rate too (with 1 + 2 the organisation minus the others would show a group of 3).
    await round('2026-04-13T08:00:00Z', new Map([[rate, 6], [steady, 7], [few, 1], [faint, 4]])),
  ]
  // Biweekly cadence: overdue when the last held 1:1 is more than 14 days old (or there is none).
  await pairs('Cadence', [3, 20, 40, null])
  await pairs('Fine', [3, 5, 20, null])
  await pairs('Loose', [1, 2, 3, 4, 20, 30, null])
})

describe('response-rate collapse and overdue 1:1s', () => {
  it('raises one response-rate signal (Rate) and one overdue-1:1s signal (Cadence), with their figures', async () => {
    await detectSignals(ctx.db, { now: NOW })
    const rows = await queryRows<{ teamId: string; kind: string; period: string; details: unknown }>(
      ctx.db,
      sql`select team_id::text as "teamId", kind, to_char(period, 'YYYY-MM-DD') as period, details from signals order by kind`,
    )
    expect(rows).toEqual([
      { teamId: ids.Cadence, kind: 'overdue_one_on_ones', period: '2026-04-01', details: { overdue: 3, reports: 4 } },
      {
        teamId: ids.Rate,
        kind: 'response_rate',
        period: '2026-04-01',
        details: { surveyId, surveyTitle: 'Weekly pulse', roundBefore: roundIds[0], roundAfter: roundIds[1], opensBefore: '2026-04-06', opensAfter: '2026-04-13', rateBefore: 0.9, rateAfter: 0.6, drop: 30 },
      },
    ])
    expect(await detectSignals(ctx.db, { now: NOW })).toEqual([])
  })

  it('follows the response-rate setting: with 35 points required, a 30-point fall raises nothing', async () => {
    await ctx.db.execute(sql`delete from signals where kind = 'response_rate'`)
    await ctx.db.execute(sql`update settings set signal_response_rate_drop = 35 where id = 1`)
    expect(await detectSignals(ctx.db, { now: NOW })).toEqual([])
    await ctx.db.execute(sql`update settings set signal_response_rate_drop = 25 where id = 1`)
    expect((await detectSignals(ctx.db, { now: NOW })).map((s) => s.teamId)).toEqual([ids.Rate])
  })
})
