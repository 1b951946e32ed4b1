import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPerson, createTeam } from '#test/support/factories'
import { closeDeals, surveyRound } from '#test/support/insights-factories'
import { serverSessionCookie, startAppServer } from '#test/support/app-server'
import { buildIfStale } from '../../scripts/build-if-stale'

/**
 * The dashboard as a browser receives it, from the real server on the production build: the HTML
 * (server-rendered tables, readings, the serialized loader data in the page) must hold the team
 * and period statistics and no trace of any rep of a confidential survey.
 */
const cookies: Record<string, string> = {}
const reps: { id: string; name: string; email: string }[] = []
let server: Awaited<ReturnType<typeof startAppServer>>

beforeAll(async () => {
  buildIfStale()
  server = await startAppServer({
    prepare: async (db) => {
      const team = await createTeam(db, { name: 'Sales' })
      for (let i = 0; i < 6; i++) {
        const p = await createPerson(db, { name: `Zelda Html${'ABCDEF'[i]}`, email: `zelda.html${i}@example.test`, teamId: team.id, locale: 'en' })
        reps.push({ id: p.id, name: p.name, email: p.email })
        await closeDeals(db, p.id, { won: [1, 1, 2, 2, 3, 4][i], lost: 4 - [1, 1, 2, 2, 3, 4][i], closedAt: '2026-02-10T10:00:00Z' })
      }
      await surveyRound(db, { privacy: 'confidential', opensAt: '2026-01-12T08:00:00Z', submittedOn: '2026-01-13', answers: reps.map((r, i) => ({ personId: r.id, teamId: team.id, enps: [2, 4, 5, 7, 8, 10][i], workload: 4 })) })
      cookies.hr = await serverSessionCookie(db, (await createPerson(db, { role: 'hr', locale: 'en' })).id)
      cookies.leaderIt = await serverSessionCookie(db, (await createPerson(db, { role: 'leader', locale: 'it' })).id)
      cookies.employee = await serverSessionCookie(db, reps[0].id)
    },
  })
}, 600_000)

afterAll(async () => {
  await server?.stop()
})

const Q1 = 'from=2026-01-01&to=2026-03-31&period=quarter&lag=0&kpi=win_rate&sentiment=enps'

async function html(path: string, cookie: string) {
  const res = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } })
  return { status: res.status, text: await res.text() }
}

function expectNoRep(text: string) {
  for (const r of reps) {
    expect(text).not.toContain(r.id)
    expect(text).not.toContain(r.email)
    expect(text).not.toContain(r.name)
  }
  expect(text).not.toContain('Zelda')
}

describe('dashboard HTML', () => {
  it('hr: server-rendered tables and readings; the rep panel says why a confidential survey has none; no rep anywhere in the page', async () => {
    const page = await html(`/?${Q1}`, cookies.hr)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Across reps')
    expect(page.text).toContain('Not shown for confidential and anonymous surveys: a rep’s own sentiment is published only for identified surveys')
    expect(page.text).toContain('This shows association, not cause.')
    expect(page.text).toMatch(/<form method="get"/)
    expectNoRep(page.text)
  })

  it('in Italian for an Italian leader, and the print view and CSV hold no rep either', async () => {
    const page = await html(`/?${Q1}`, cookies.leaderIt)
    expect(page.text).toContain('Non mostrato per i sondaggi riservati e anonimi')
    expect(page.text).toContain('Questo indica un’associazione, non una causa.')
    expectNoRep(page.text)
    const print = await html(`/dashboard/print?${Q1}`, cookies.hr)
    expect(print.status).toBe(200)
    expect(print.text).toContain('@media print')
    expectNoRep(print.text)
    const csv = await html(`/dashboard/export.csv?${Q1}`, cookies.hr)
    expect(csv.status).toBe(200)
    expectNoRep(csv.text)
  })

  it('an employee gets the personal home without any overlay panel', async () => {
    const page = await html(`/?${Q1}`, cookies.employee)
    expect(page.status).toBe(200)
    expect(page.text).toContain('My open surveys')
    expect(page.text).not.toContain('Across reps')
    expect(page.text).not.toContain('Band 1')
  })
})
