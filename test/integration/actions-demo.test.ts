import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { seedDemo } from '#db/seed/demo'
import { serverSessionCookie, startAppServer } from '#test/support/app-server'
import { createPerson, createTeam } from '#test/support/factories'
import { surveyRound } from '#test/support/insights-factories'
import { buildIfStale } from '../../scripts/build-if-stale'

/**
 * The story on the demo organisation, through the real server and its HTML: Roma's signal
 * (raised when the demo is seeded) is turned into an action by hr, and the action's impact view
 * shows the periods before and after it, with the data table and the not-a-cause sentence, in
 * English and in Italian. A period below the threshold shows the notice and no figure.
 */
const cookies: Record<'hr' | 'leaderIt', string> = { hr: '', leaderIt: '' }
let signal: { id: string; teamId: string; kpi: string }
let smallAction = ''
const resultsSurvey = { enps: '', drivers: '' }
let server: Awaited<ReturnType<typeof startAppServer>>

beforeAll(async () => {
  buildIfStale()
  server = await startAppServer({
    prepare: async (db) => {
      await seedDemo(db)
      ;[signal] = await queryRows<{ id: string; teamId: string; kpi: string }>(
        db,
        sql`select s.id::text as id, s.team_id::text as "teamId", s.details->>'kpi' as kpi from signals s join teams t on t.id = s.team_id
            where t.name = 'Roma' and s.kind = 'sentiment_and_kpi' and s.status = 'open' order by s.period desc limit 1`,
      )
      // The demo's most answered eNPS survey and pulse survey, for the "Create an action" links.
      for (const type of ['enps', 'agreement'] as const) {
        const [row] = await queryRows<{ id: string }>(
          db,
          sql`select r.survey_id::text as id from responses r join answers a on a.response_id = r.id and a.type = ${type}
              group by r.survey_id order by count(*) desc limit 1`,
        )
        resultsSurvey[type === 'enps' ? 'enps' : 'drivers'] = row.id
      }
      cookies.hr = await serverSessionCookie(db, (await createPerson(db, { role: 'hr', locale: 'en', email: 'hr.actions@example.test' })).id)
      cookies.leaderIt = await serverSessionCookie(db, (await createPerson(db, { role: 'leader', locale: 'it', email: 'leader.actions@example.test' })).id)
      // A small team, years before the demo's history (so no sibling is affected): 3 answers in
      // March 2020 (below the threshold of 5), 5 in April.
      const small = await createTeam(db, { name: 'Piccolo' })
      const members = []
      for (let i = 0; i < 5; i++) members.push(await createPerson(db, { teamId: small.id, email: `piccolo${i}@example.test` }))
      await surveyRound(db, { privacy: 'confidential', opensAt: '2020-03-09T08:00:00Z', submittedOn: '2020-03-10', answers: members.slice(0, 3).map((m, i) => ({ personId: m.id, teamId: small.id, workload: [1, 2, 2][i] })) })
      await surveyRound(db, { privacy: 'confidential', opensAt: '2020-04-20T08:00:00Z', submittedOn: '2020-04-21', answers: members.map((m, i) => ({ personId: m.id, teamId: small.id, workload: [4, 4, 5, 3, 4][i] })) })
      ;[{ id: smallAction }] = await queryRows<{ id: string }>(
        db,
        sql`insert into actions (title, team_id, driver, status, created_at) values ('Small team action', ${small.id}, 'workload', 'in_progress', '2020-04-02T10:00:00Z') returning id::text as id`,
      )
    },
  })
}, 600_000)

afterAll(async () => {
  await server?.stop()
})

async function get(path: string, cookie: string) {
  const res = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' })
  return { status: res.status, text: await res.text() }
}

describe('demo: Roma’s signal becomes an action with its impact view', () => {
  let actionId = ''

  it('the results page offers "Create an action" for the eNPS and for each driver, prefilled with the survey and round', async () => {
    const enps = await get(`/results/${resultsSurvey.enps}`, cookies.hr)
    expect(enps.status).toBe(200)
    expect(enps.text).toMatch(new RegExp(`href="/actions/new\\?driver=enps&amp;survey=${resultsSurvey.enps}&amp;round=[0-9a-f-]{36}">Create an action on the eNPS</a>`))
    const drivers = await get(`/results/${resultsSurvey.drivers}`, cookies.hr)
    expect(drivers.text).toMatch(new RegExp(`href="/actions/new\\?driver=[a-z_]+&amp;survey=${resultsSurvey.drivers}&amp;round=[0-9a-f-]{36}">Create an action on [A-Z]`))
    // A leader reads results but creates no action: no link.
    expect((await get(`/results/${resultsSurvey.enps}`, cookies.leaderIt)).text).not.toContain('/actions/new?')
  })

  it('hr opens the form from the signal, prefilled, and saves it: the signal is actioned', async () => {
    expect(signal?.id, 'the demo raises a signal for Roma').toBeTruthy()
    const form = await get(`/actions/new?signal=${signal.id}&team=${signal.teamId}&kpi=${signal.kpi}&driver=enps`, cookies.hr)
    expect(form.status).toBe(200)
    expect(form.text).toContain('This action answers a signal; saving it marks the signal as actioned.')
    expect(form.text).toContain(`name="signalId" value="${signal.id}"`)
    const body = new URLSearchParams({ intent: 'save', title: 'Roma: listen, then lighten the admin', teamId: signal.teamId, driver: 'enps', kpi: signal.kpi, status: 'in_progress', source: 'signal', signalId: signal.id })
    const res = await fetch(`${server.url}/actions/new`, { method: 'POST', body, headers: { Cookie: cookies.hr, Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' }, redirect: 'manual' })
    expect(res.status).toBe(302)
    actionId = /\/actions\/([0-9a-f-]{36})\?saved=created$/.exec(res.headers.get('Location') ?? '')![1]
    const signals = await get('/signals?status=actioned', cookies.hr)
    expect(signals.text).toContain('Roma')
  })

  it('the impact view shows the quarters before and the one after, chart table beside, and says it is not proof of cause (English)', async () => {
    const page = await get(`/actions/${actionId}?unit=quarter&periods=2`, cookies.hr)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Impact')
    expect(page.text).toContain('Before and after is not proof of cause')
    expect(page.text).toMatch(/Q\d 20\d\d \(before\)/)
    expect(page.text).toMatch(/Q\d 20\d\d \(after\)/)
    expect(page.text).toContain('<th scope="col" class="p-1">eNPS</th>')
    expect(page.text).toContain('95% interval (Wilson)')
    // Every quarter before carries Roma's eNPS (the demo team passes the threshold).
    const before = [...page.text.matchAll(/Q\d 20\d\d \(before\)<\/th><td class="p-1">([^<]*)<\/td>/g)].map((m) => m[1])
    expect(before).toHaveLength(2)
    for (const cell of before) expect(cell).toMatch(/^-?\d+(\.\d)?$/)
  })

  it('the same view in Italian for an Italian leader, read-only', async () => {
    const page = await get(`/actions/${actionId}?unit=quarter&periods=2`, cookies.leaderIt)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Impatto')
    expect(page.text).toContain('Un prima e dopo non dimostra una causa')
    expect(page.text).toMatch(/Q\d 20\d\d \(prima\)/)
    expect(page.text).toMatch(/Q\d 20\d\d \(dopo\)/)
    expect(page.text).toContain('Intervallo al 95% (Wilson)')
    expect(page.text).not.toContain('id="edit-action"')
  })

  it('a period below the threshold shows "not enough responses" and no figure in the HTML', async () => {
    const page = await get(`/actions/${smallAction}?unit=month&periods=1`, cookies.hr)
    expect(page.status).toBe(200)
    // March 2020: three answers (1, 2, 2) — suppressed; April: 4, 4, 5, 3, 4 → 4.00 with its interval 3.38 … 4.62.
    expect(page.text).toContain('Mar 2020 (before)</th><td class="p-1">Not enough responses</td><td class="p-1"></td><td class="p-1"></td><td class="p-1"></td>')
    expect(page.text).toContain('Apr 2020 (after)</th><td class="p-1">4.00</td><td class="p-1">3.38 … 4.62</td><td class="p-1">5</td><td class="p-1">80%</td>')
    expect(page.text).not.toContain('1.67')
  })
})
