import { describe, expect, it, beforeAll } from 'vitest'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { closeDeals, surveyRound } from '#test/support/insights-factories'
import { call, makeRequest } from '#test/support/requests'
import { createApiKey } from '#test/support/response-factories'
import { loader as correlationApi } from '~/routes/api.v1.insights.correlation'

const ctx = await setupTestContext()
const db = ctx.db
let key: string

/**
 * Eight reps answer eNPS in Q2 2025 with scores 2..9. Their win rate in the quarter *after* (Q3)
 * rises exactly with that score (won = score − 1 of 10 closed deals), while the win counts in Q2
 * itself, Q4 and Q1 2026 are shuffled. So sentiment leads the KPI by one quarter: |r| must peak at
 * lag = 1, where it is exactly 1. The survey is identified: rep-level figures exist for no other mode.
 */
const scores = [2, 3, 4, 5, 6, 7, 8, 9]
const wonByQuarter: Record<string, number[]> = {
  '2025-05-15T10:00:00Z': [5, 2, 8, 1, 7, 3, 6, 4], // lag 0 (Q2)
  '2025-08-15T10:00:00Z': scores.map((s) => s - 1), // lag 1 (Q3)
  '2025-11-14T10:00:00Z': [3, 7, 1, 6, 2, 8, 4, 5], // lag 2 (Q4)
  '2026-02-13T10:00:00Z': [6, 1, 4, 8, 3, 5, 2, 7], // lag 3 (Q1 2026)
}

beforeAll(async () => {
  key = await createApiKey(db, 'hr')
  const team = await createTeam(db, { name: 'Sales' })
  const reps = []
  for (let i = 0; i < scores.length; i++) reps.push(await createPerson(db, { teamId: team.id }))
  await surveyRound(db, { privacy: 'identified', opensAt: '2025-05-05T08:00:00Z', submittedOn: '2025-05-06', answers: reps.map((r, i) => ({ personId: r.id, teamId: team.id, enps: scores[i] })) })
  for (const [closedAt, won] of Object.entries(wonByQuarter)) {
    for (let i = 0; i < reps.length; i++) await closeDeals(db, reps[i].id, { won: won[i], lost: 10 - won[i], closedAt })
  }
})

async function api(query: string) {
  const res = (await call(correlationApi, ctx, makeRequest(`/api/v1/insights/correlation?${query}`, { headers: { Authorization: `Bearer ${key}` } }))) as Response
  return { status: res.status, body: await res.json() }
}

describe('lag alignment', () => {
  it('sentiment leading the KPI by one quarter correlates most strongly at lag=1', async () => {
    const r: number[] = []
    for (const lag of [0, 1, 2, 3]) {
      const { status, body } = await api(`sentiment=enps&kpi=win_rate&level=rep&period=quarter&lag=${lag}&from=2025-04-01&to=2025-06-30`)
      expect(status).toBe(200)
      expect(body.n).toBe(8)
      r.push(body.pearson.r)
    }
    expect(r[1]).toBeCloseTo(1, 12)
    const strongest = r.map(Math.abs).indexOf(Math.max(...r.map(Math.abs)))
    expect(strongest).toBe(1)
    for (const lag of [0, 2, 3]) expect(Math.abs(r[lag])).toBeLessThan(0.5)
  })

  it('the KPI window is the sentiment window moved lag quarters later, month ends kept', async () => {
    // lag=1 with to=2025-06-30 must read deals up to 2025-09-30: the Q3 deals closed mid-August are all in.
    const { body } = await api('sentiment=enps&kpi=won&level=rep&period=quarter&lag=1&from=2025-04-01&to=2025-06-30')
    // Each rep's point: their score against the deals they won in Q3 (score − 1).
    expect(body.points.map((p: { x: number; y: number }) => [p.x, p.y]).sort((a: number[], b: number[]) => a[0] - b[0])).toEqual(scores.map((s) => [s, s - 1]))
  })

  it('bad parameters get a 400 naming the parameter and what it accepts', async () => {
    const cases: [string, string, RegExp][] = [
      ['sentiment=mood&kpi=win_rate&from=2025-04-01&to=2025-06-30', 'sentiment', /enps or driver:<key>/],
      ['kpi=revenue&from=2025-04-01&to=2025-06-30', 'kpi', /lead_conversion_rate, win_rate/],
      ['level=company&from=2025-04-01&to=2025-06-30', 'level', /rep, team or period/],
      ['lag=4&from=2025-04-01&to=2025-06-30', 'lag', /0 to 3/],
      ['period=week&from=2025-04-01&to=2025-06-30', 'period', /month or quarter/],
      ['from=2025-02-30&to=2025-06-30', 'from', /real calendar date/],
      ['from=2025-04-01', 'to', /YYYY-MM-DD/],
      ['from=2025-04-01&to=2025-06-30&team=abc', 'team', /team id/],
      ['from=2025-04-01&to=2025-06-30&colour=red', '(root)', /colour/],
    ]
    for (const [query, field, message] of cases) {
      const { status, body } = await api(query)
      expect(status, query).toBe(400)
      expect(body.error.code).toBe('invalid_request')
      const issue = body.error.details.issues.find((i: { field: string }) => i.field === field)
      expect(issue, `${query} → ${JSON.stringify(body.error.details.issues)}`).toBeDefined()
      expect(`${issue.message} ${body.error.message}`).toMatch(message)
    }
    const unknown = await api('from=2025-04-01&to=2025-06-30&team=00000000-0000-4000-8000-000000000000')
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.message).toMatch(/^team: there is no team/)
  })
})
