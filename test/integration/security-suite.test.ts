import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actions, auditLog, importRejections, importRuns, oneOnOnes, outbox } from '#db/schema'
import type { AppContext } from '~/context'
import { createHttpApp } from '~/http.server'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { closeDeals } from '#test/support/insights-factories'
import { createMeeting } from '#test/support/one-on-one-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { answerEnps, createApiKey, createRound, createSurvey } from '#test/support/response-factories'
import { serverSessionCookie, startAppServer } from '#test/support/app-server'
import { eq } from 'drizzle-orm'
import { buildIfStale } from '../../scripts/build-if-stale'

/**
 * The security suite (issue 8, part 3), beside the route × role matrix of security-matrix.test.ts:
 * - IDOR: every route with an id in its path is tried by someone whose role lets them open that
 *   kind of page but not that object (another team's rep, another pair's 1:1, an unknown or
 *   malformed id). The list of id-bearing routes is read from app/routes, so a new one without
 *   an attempt here fails the suite.
 * - Script injection: names, team names, comments and 1:1 notes holding markup, as a browser gets
 *   the pages from the real server on the production build.
 * - Formula injection: every CSV export (found by its text/csv response in app/routes) is fed
 *   names and comments that start with = + - @ and must neutralise them.
 */

type Outcome = { status: number; body: string }

async function outcome(result: unknown): Promise<Outcome> {
  if (result instanceof Response) return { status: result.status, body: await result.clone().text() }
  return { status: 200, body: JSON.stringify(result) }
}

const routeFiles = () => readdirSync('app/routes').filter((f) => /\.(tsx?)$/.test(f))
/** Path parameters that are ids of stored things (tokens and catch-alls are not). */
const idBearing = (file: string) => /\$(?!token)[A-Za-z]+/.test(file) && !/(^|\.)\$\.tsx?$/.test(file)

let ctx: AppContext
const unknownId = '00000000-0000-4000-8000-00000000abcd'
const w = {} as {
  teamA: string
  teamB: string
  managerA: string
  managerB: string
  repA: string
  repB: string
  repB2: string
  hr: string
  admin: string
  surveyB: string
  meetingB: string
  messageId: string
  actionB: string
  cookies: Record<'managerA' | 'hr' | 'admin' | 'repB2', string>
  hrKey: string
}

beforeAll(async () => {
  ctx = await setupTestContext()
  const db = ctx.db
  const teamA = await createTeam(db, { name: 'Team Alpha' })
  const teamB = await createTeam(db, { name: 'Team Bravo' })
  const managerA = await createPerson(db, { teamId: teamA.id, name: 'Manager Alpha' })
  const managerB = await createPerson(db, { teamId: teamB.id, name: 'Manager Bravo' })
  await setTeamManager(db, teamA.id, managerA.id)
  await setTeamManager(db, teamB.id, managerB.id)
  const repA = await createPerson(db, { teamId: teamA.id, managerId: managerA.id })
  const bravo = []
  for (let i = 0; i < 5; i++) bravo.push(await createPerson(db, { teamId: teamB.id, managerId: managerB.id, name: `Bravo Rep ${i}` }))
  await closeDeals(db, bravo[0].id, { won: 2, lost: 1, closedAt: '2026-10-10T10:00:00Z' })
  const hr = await createPerson(db, { role: 'hr' })
  const admin = await createPerson(db, { role: 'admin' })
  // A survey answered only by Team Bravo (five respondents: above the threshold for hr).
  const survey = await createSurvey(db, { title: 'October pulse', privacy: 'confidential' })
  const round = await createRound(db, { surveyId: survey.id, opensAt: '2026-10-05T08:00:00Z' })
  await answerEnps(db, round, bravo.map((p, i) => ({ personId: p.id, teamId: teamB.id, score: [3, 9, 10, 9, 7][i], comment: `Bravo comment ${i}` })), '2026-10-06')
  const meetingB = await createMeeting(db, { managerId: managerB.id, reportId: bravo[0].id, scheduledAt: new Date('2026-11-02T09:00:00Z') })
  const [action] = await db.insert(actions).values({ title: 'Bravo action', teamId: teamB.id, driver: 'workload', kpi: 'win_rate' }).returning()
  const [message] = await db.insert(outbox).values({ to: 'someone@example.test', subject: 'Hello', html: '<p>Hello</p>', text: 'Hello', kind: 'test' }).returning()
  Object.assign(w, {
    teamA: teamA.id,
    teamB: teamB.id,
    managerA: managerA.id,
    managerB: managerB.id,
    repA: repA.id,
    repB: bravo[0].id,
    repB2: bravo[1].id,
    hr: hr.id,
    admin: admin.id,
    surveyB: survey.id,
    meetingB,
    messageId: message.id,
    actionB: action.id,
    cookies: {
      managerA: await signedInCookie(ctx, managerA.id),
      hr: await signedInCookie(ctx, hr.id),
      admin: await signedInCookie(ctx, admin.id),
      repB2: await signedInCookie(ctx, bravo[1].id),
    },
    hrKey: await createApiKey(db, 'hr'),
  })
})

type Attempt = { who: keyof typeof w.cookies | 'hrKey'; path: string; params: Record<string, string>; kind?: 'loader' | 'action'; form?: Record<string, string>; json?: unknown }
type Expectation = (o: Outcome) => void
const refused: Expectation = (o) => expect([403, 404]).toContain(o.status)
const notFound: Expectation = (o) => expect(o.status).toBe(404)
/** Either refused, or answered without a trace of the other team. */
const noTraceOfBravo: Expectation = (o) => {
  if (o.status === 403 || o.status === 404) return
  expect(o.body).not.toContain('Bravo')
  expect(o.body).not.toContain(w.teamB)
}

/** One or more attempts per id-bearing route file, each with what must happen. */
const idor: Record<string, () => [Attempt, Expectation][]> = {
  'people.$personId.tsx': () => [
    [{ who: 'managerA', path: `/people/${w.repB}`, params: { personId: w.repB } }, refused],
    [{ who: 'hr', path: `/people/${unknownId}`, params: { personId: unknownId } }, notFound],
    [{ who: 'hr', path: '/people/not-a-uuid', params: { personId: 'not-a-uuid' } }, notFound],
    [{ who: 'hr', path: `/people/${w.repB}`, params: { personId: w.repB }, kind: 'action', form: { name: 'Renamed' } }, refused],
  ],
  'people.$personId_.erase.tsx': () => [
    [{ who: 'hr', path: `/people/${w.repB}/erase`, params: { personId: w.repB } }, refused],
    [{ who: 'hr', path: `/people/${w.repB}/erase`, params: { personId: w.repB }, kind: 'action', form: { confirm: 'x' } }, refused],
    [{ who: 'admin', path: `/people/${unknownId}/erase`, params: { personId: unknownId } }, notFound],
  ],
  'teams.$teamId.tsx': () => [
    [{ who: 'managerA', path: `/teams/${w.teamB}`, params: { teamId: w.teamB } }, refused],
    [{ who: 'hr', path: `/teams/${unknownId}`, params: { teamId: unknownId } }, notFound],
    [{ who: 'hr', path: '/teams/1%20or%201=1', params: { teamId: '1 or 1=1' } }, notFound],
  ],
  'outbox.$messageId.tsx': () => [
    [{ who: 'hr', path: `/outbox/${w.messageId}`, params: { messageId: w.messageId } }, refused],
    [{ who: 'admin', path: `/outbox/${unknownId}`, params: { messageId: unknownId } }, notFound],
  ],
  'surveys.$surveyId.tsx': () => [
    [{ who: 'managerA', path: `/surveys/${w.surveyB}`, params: { surveyId: w.surveyB } }, refused],
    [{ who: 'hr', path: `/surveys/${unknownId}`, params: { surveyId: unknownId } }, notFound],
  ],
  'results.$surveyId.tsx': () => [
    [{ who: 'managerA', path: `/results/${w.surveyB}`, params: { surveyId: w.surveyB } }, noTraceOfBravo],
    [{ who: 'managerA', path: `/results/${w.surveyB}?team=${w.teamB}`, params: { surveyId: w.surveyB } }, noTraceOfBravo],
    [{ who: 'hr', path: `/results/${unknownId}`, params: { surveyId: unknownId } }, notFound],
  ],
  'results.$surveyId_.export[.]csv.ts': () => [
    [{ who: 'managerA', path: `/results/${w.surveyB}/export.csv?team=${w.teamB}`, params: { surveyId: w.surveyB } }, noTraceOfBravo],
    [{ who: 'hr', path: `/results/${unknownId}/export.csv`, params: { surveyId: unknownId } }, notFound],
  ],
  'funnel.reps.$personId.tsx': () => [
    [{ who: 'managerA', path: `/funnel/reps/${w.repB}`, params: { personId: w.repB } }, refused],
    [{ who: 'hr', path: `/funnel/reps/${unknownId}`, params: { personId: unknownId } }, notFound],
  ],
  'imports.$runId.tsx': () => [
    [{ who: 'admin', path: `/imports/${unknownId}`, params: { runId: unknownId } }, notFound],
    [{ who: 'admin', path: '/imports/x', params: { runId: 'x' } }, notFound],
  ],
  'one-on-ones.$meetingId.tsx': () => [
    [{ who: 'managerA', path: `/one-on-ones/${w.meetingB}`, params: { meetingId: w.meetingB } }, notFound],
    [{ who: 'hr', path: `/one-on-ones/${w.meetingB}`, params: { meetingId: w.meetingB } }, notFound],
    // A teammate of the report is not a participant either.
    [{ who: 'repB2', path: `/one-on-ones/${w.meetingB}`, params: { meetingId: w.meetingB } }, notFound],
    [{ who: 'managerA', path: `/one-on-ones/${w.meetingB}`, params: { meetingId: w.meetingB }, kind: 'action', form: { intent: 'shared-notes', notes: 'overwritten' } }, refused],
  ],
  'actions.$actionId.tsx': () => [
    [{ who: 'managerA', path: `/actions/${w.actionB}`, params: { actionId: w.actionB } }, notFound],
    [{ who: 'managerA', path: `/actions/${w.actionB}`, params: { actionId: w.actionB }, kind: 'action', form: { title: 'Taken over', status: 'done' } }, refused],
    [{ who: 'hr', path: `/actions/${unknownId}`, params: { actionId: unknownId } }, notFound],
    [{ who: 'hr', path: '/actions/nope', params: { actionId: 'nope' } }, notFound],
  ],
  'imports.$runId_.rejected[.]csv.tsx': () => [
    [{ who: 'hr', path: `/imports/${unknownId}/rejected.csv`, params: { runId: unknownId } }, refused],
    [{ who: 'admin', path: `/imports/${unknownId}/rejected.csv`, params: { runId: unknownId } }, notFound],
    [{ who: 'admin', path: '/imports/x/rejected.csv', params: { runId: 'x' } }, notFound],
  ],
  'api.v1.surveys.$surveyId.rounds.ts': () => [
    [{ who: 'hrKey', path: `/api/v1/surveys/${unknownId}/rounds`, params: { surveyId: unknownId }, kind: 'action', json: {} }, notFound],
  ],
}

describe('IDOR: every id-bearing route refuses objects outside the viewer’s reach', () => {
  it('has attempts for every id-bearing route file', () => {
    const files = routeFiles().filter(idBearing)
    expect(files.filter((f) => !(f in idor))).toEqual([])
    expect(Object.keys(idor).filter((f) => !files.includes(f))).toEqual([])
  })

  for (const file of routeFiles().filter(idBearing)) {
    it(file, async () => {
      const attempts = idor[file]?.() ?? []
      expect(attempts.length).toBeGreaterThan(0)
      const mod = (await import(`~/routes/${file.replace(/\.tsx?$/, '')}`)) as Record<string, Parameters<typeof call>[0]>
      for (const [attempt, expectation] of attempts) {
        const kind = attempt.kind ?? 'loader'
        const api = attempt.who === 'hrKey'
        const request = makeRequest(attempt.path, {
          method: kind === 'loader' ? 'GET' : 'POST',
          cookie: api ? undefined : w.cookies[attempt.who as keyof typeof w.cookies],
          headers: api ? { Authorization: `Bearer ${w.hrKey}`, 'Content-Type': 'application/json' } : undefined,
          form: attempt.form,
          body: attempt.json === undefined ? undefined : JSON.stringify(attempt.json),
        })
        const result = await outcome(await call(mod[kind], ctx, request, attempt.params))
        expectation(result)
      }
      // Nothing an attempt tried to change has changed.
      const [bravoAction] = await ctx.db.select({ title: actions.title, status: actions.status }).from(actions).where(eq(actions.id, w.actionB))
      expect(bravoAction).toEqual({ title: 'Bravo action', status: 'planned' })
      const [meeting] = await ctx.db.select({ notes: oneOnOnes.sharedNotes }).from(oneOnOnes).where(eq(oneOnOnes.id, w.meetingB))
      expect(meeting.notes).toBe('')
    })
  }
})

describe('transport security', () => {
  it('sends HSTS in production, next to the framing and sniffing guards', async () => {
    const app = createHttpApp({ ...ctx, env: { ...ctx.env, NODE_ENV: 'production' } }, { build: () => Promise.reject(new Error('no build needed')) })
    const listener = createServer(app)
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
    try {
      const res = await fetch(`http://127.0.0.1:${(listener.address() as AddressInfo).port}/healthz`)
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()))
    }
  })
})

/* ---------------------------------------------------------------- injection through the real server */

const MARKUP = {
  team: '<img src=x onerror=alert(1)>Team',
  name: '<script>alert("name")</script>',
  comment: '<script>alert("comment")</script>',
  notes: '<script>alert("notes")</script>\n\n[click me](javascript:alert(1))\n\n<iframe src="https://evil.example"></iframe>',
}
const FORMULAS = { team: '=HYPERLINK("http://evil.example","team")', name: '+SUM(1,2)', comment: '@cmd|calc', comment2: '-2+3+cmd' }

let server: Awaited<ReturnType<typeof startAppServer>>
const page = {} as { admin: string; runId: string; hr: string; manager: string; surveyId: string; personId: string; teamId: string; meetingId: string; formulaSurveyId: string; formulaTeamId: string }

describe('injection through what people type', () => {
  beforeAll(async () => {
    buildIfStale()
    server = await startAppServer({
      prepare: async (db) => {
        const team = await createTeam(db, { name: MARKUP.team })
        const manager = await createPerson(db, { teamId: team.id, name: MARKUP.name, locale: 'en' })
        await setTeamManager(db, team.id, manager.id)
        const reps = []
        for (let i = 0; i < 5; i++) reps.push(await createPerson(db, { teamId: team.id, managerId: manager.id, locale: 'en' }))
        const survey = await createSurvey(db, { title: 'Markup pulse' })
        const round = await createRound(db, { surveyId: survey.id, opensAt: '2026-10-05T08:00:00Z' })
        await answerEnps(db, round, reps.map((p, i) => ({ personId: p.id, teamId: team.id, score: 6 + i, comment: `${MARKUP.comment} ${i}` })), '2026-10-06')
        const meetingId = await createMeeting(db, { managerId: manager.id, reportId: reps[0].id, scheduledAt: new Date('2026-11-02T09:00:00Z') })
        await db.update(oneOnOnes).set({ sharedNotes: MARKUP.notes }).where(eq(oneOnOnes.id, meetingId))

        const formulaTeam = await createTeam(db, { name: FORMULAS.team })
        const formulaPeople = []
        for (let i = 0; i < 5; i++) formulaPeople.push(await createPerson(db, { teamId: formulaTeam.id, name: i === 0 ? FORMULAS.name : `Formula Rep ${i}`, locale: 'en' }))
        for (const p of formulaPeople) await closeDeals(db, p.id, { won: 1, lost: 1, closedAt: '2026-10-10T10:00:00Z' })
        const formulaSurvey = await createSurvey(db, { title: '=cmd survey' })
        const formulaRound = await createRound(db, { surveyId: formulaSurvey.id, opensAt: '2026-10-05T08:00:00Z' })
        await answerEnps(db, formulaRound, formulaPeople.map((p, i) => ({ personId: p.id, teamId: formulaTeam.id, score: 5 + i, comment: i % 2 ? FORMULAS.comment : FORMULAS.comment2, workload: 4 })), '2026-10-06')

        const hr = await createPerson(db, { role: 'hr', locale: 'en' })
        const admin = await createPerson(db, { role: 'admin', locale: 'en' })
        await db.insert(auditLog).values({ actorId: admin.id, action: 'team.renamed', target: FORMULAS.team, details: { name: FORMULAS.name } })
        const [run] = await db.insert(importRuns).values({ kind: 'opportunities', source: 'csv', filename: '=evil.csv', status: 'previewed', rejected: 2, createdById: admin.id }).returning()
        await db.insert(importRejections).values([
          { runId: run.id, line: 2, reason: 'Amount: "=1+1" is not a number', code: 'invalid_amount', params: { column: 'Amount', value: '=1+1' } },
          { runId: run.id, line: 3, reason: 'Owner: "@admin" unknown', code: null, params: null },
        ])
        Object.assign(page, {
          admin: await serverSessionCookie(db, admin.id),
          runId: run.id,
          hr: await serverSessionCookie(db, hr.id),
          manager: await serverSessionCookie(db, manager.id),
          surveyId: survey.id,
          personId: manager.id,
          teamId: team.id,
          meetingId,
          formulaSurveyId: formulaSurvey.id,
          formulaTeamId: formulaTeam.id,
        })
      },
    })
  }, 240_000)

  afterAll(async () => {
    await server?.stop()
  })

  async function html(path: string, cookie: string) {
    const res = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } })
    expect(res.status, path).toBe(200)
    return res.text()
  }

  function expectInert(body: string, path: string) {
    // Markup people typed arrives as text: never as a tag, in the HTML or in the serialized data.
    expect(body, path).not.toMatch(/<script>alert\(/)
    expect(body, path).not.toMatch(/<img src=x onerror/)
    expect(body, path).not.toMatch(/<iframe src="https:\/\/evil/)
    expect(body, path).not.toMatch(/href="javascript:/i)
  }

  it('renders names, team names, comments and 1:1 notes as text on every page that shows them', async () => {
    const pages: [string, string][] = [
      ['/people', page.hr],
      [`/people/${page.personId}`, page.hr],
      ['/teams', page.hr],
      [`/teams/${page.teamId}`, page.hr],
      ['/org-chart', page.hr],
      [`/results/${page.surveyId}`, page.hr],
      ['/', page.hr],
      [`/one-on-ones/${page.meetingId}`, page.manager],
      ['/one-on-ones', page.manager],
    ]
    for (const [path, cookie] of pages) {
      const body = await html(path, cookie)
      expectInert(body, path)
    }
    // The only scripts in a page are Remix's own, each carrying the nonce of this response's CSP.
    const res = await fetch(`${server.url}/results/${page.surveyId}`, { headers: { Cookie: page.hr } })
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1]
    expect(nonce).toBeTruthy()
    const scripts = [...(await res.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    expect(scripts.length).toBeGreaterThan(0)
    expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([])
    // And the text itself is there, escaped: people see exactly what was typed.
    expect(await html(`/results/${page.surveyId}`, page.hr)).toContain('&lt;script&gt;alert(&quot;comment&quot;)&lt;/script&gt;')
    expect(await html('/teams', page.hr)).toContain('&lt;img src=x onerror=alert(1)&gt;Team')
  })

  /** Every route answering text/csv, with a request that exports the formula-laden data. */
  const csvExports: Record<string, () => [string, string]> = {
    'results.$surveyId_.export[.]csv.ts': () => [`/results/${page.formulaSurveyId}/export.csv`, page.hr],
    'dashboard.export[.]csv.ts': () => [`/dashboard/export.csv?team=${page.formulaTeamId}&from=2026-01-01&to=2026-12-31`, page.hr],
    'audit_.export[.]csv.ts': () => ['/audit/export.csv', page.admin],
    'imports.$runId_.rejected[.]csv.tsx': () => [`/imports/${page.runId}/rejected.csv`, page.admin],
  }

  it('lists every CSV export', () => {
    const exporting = routeFiles().filter((f) => /['"]text\/csv;/.test(readFileSync(`app/routes/${f}`, 'utf8')))
    expect(exporting.sort()).toEqual(Object.keys(csvExports).sort())
  })

  for (const [file, request] of Object.entries(csvExports)) {
    it(`neutralises formulas in ${file}`, async () => {
      const [path, cookie] = request()
      const res = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
      const text = (await res.text()).replace(/^\uFEFF/, '')
      const cells = (parse(text, { relaxColumnCount: true }) as string[][]).flat()
      const dangerous = cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !Number.isFinite(Number(c)))
      expect(dangerous).toEqual([])
      // The typed text is still there, behind the quote that makes it plain text.
      expect(cells.some((c) => c.startsWith("'=") || c.startsWith("'@") || c.startsWith("'-") || c.startsWith("'+"))).toBe(true)
    })
  }
})
