import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { AppContext } from '~/context'
import * as meetingRoute from '~/routes/one-on-ones.$meetingId'
import * as indexRoute from '~/routes/one-on-ones._index'
import * as healthRoute from '~/routes/one-on-ones.health'
import * as apiRoute from '~/routes/api.v1.one-on-ones'
import * as apiCatchAll from '~/routes/api.v1.$'
import * as meRoute from '~/routes/me'
import { setupTestContext } from '#test/support/context'
import { createMeeting, createOneOnOneOrg, createTestApiKey } from '#test/support/one-on-one-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext
let org: Awaited<ReturnType<typeof createOneOnOneOrg>>
let meetingId: string
let agendaItemId: string
let actionItemId: string
const cookies: Record<string, string> = {}
let adminKey: string

const SHARED = 'Shared notes: pipeline review of Q3'
const MANAGER_PRIVATE = 'MANAGER-PRIVATE-thinks-about-promotion'
const REPORT_PRIVATE = 'REPORT-PRIVATE-considering-leaving'
const AGENDA = 'Talk about territory split'
const ACTION = 'Send the revised forecast'

type Page = Awaited<ReturnType<typeof meetingRoute.loader>>

/** Every row of every 1:1 table, so "nothing changed" is one equality. */
async function snapshot() {
  const tables = ['one_on_one_pairs', 'one_on_ones', 'one_on_one_agenda_items', 'one_on_one_action_items', 'one_on_one_private_notes']
  const out: Record<string, unknown> = {}
  for (const table of tables) out[table] = await queryRows(ctx.db, sql.raw(`select * from ${table} order by id`))
  return JSON.stringify(out)
}

const post = (cookie: string | undefined, form: Record<string, string>, headers: Record<string, string> = {}) =>
  makeRequest(`/one-on-ones/${meetingId}`, { form, cookie, headers })

/** One attempt per kind of change the meeting page offers. */
const changes = (): Record<string, string>[] => [
  { intent: 'add-agenda', text: 'Injected point' },
  { intent: 'tick-agenda', itemId: agendaItemId, done: 'true' },
  { intent: 'move-agenda', itemId: agendaItemId, direction: 'down' },
  { intent: 'shared-notes', notes: 'overwritten' },
  { intent: 'private-note', note: 'my note on their meeting' },
  { intent: 'add-action', text: 'Injected action', owner: 'manager' },
  { intent: 'tick-action', itemId: actionItemId, done: 'true' },
  { intent: 'check-in', score: '2' },
  { intent: 'mark-held', actualDurationMinutes: '30' },
]

beforeAll(async () => {
  ctx = await setupTestContext()
  org = await createOneOnOneOrg(ctx.db)
  meetingId = await createMeeting(ctx.db, { managerId: org.manager.id, reportId: org.report.id, scheduledAt: new Date(Date.now() + 3 * 86400_000) })
  for (const [name, person] of Object.entries({ manager: org.manager, report: org.report, otherManager: org.otherManager, hr: org.hr, leader: org.leader, admin: org.admin })) {
    cookies[name] = await signedInCookie(ctx, person.id)
  }
  adminKey = await createTestApiKey(ctx.db, 'admin')
  const posts: [string, Record<string, string>][] = [
    ['manager', { intent: 'add-agenda', text: AGENDA }],
    ['report', { intent: 'add-agenda', text: 'Second point' }],
    ['manager', { intent: 'shared-notes', notes: SHARED }],
    ['manager', { intent: 'private-note', note: MANAGER_PRIVATE }],
    ['report', { intent: 'private-note', note: REPORT_PRIVATE }],
    ['report', { intent: 'add-action', text: ACTION, owner: 'report', dueOn: '2030-01-15' }],
  ]
  for (const [who, form] of posts) {
    const res = (await call(meetingRoute.action, ctx, post(cookies[who], form), { meetingId })) as Response
    expect(res.status, `${who} ${form.intent}`).toBe(302)
  }
  const page = (await call(meetingRoute.loader, ctx, makeRequest(`/one-on-ones/${meetingId}`, { cookie: cookies.manager }), { meetingId })) as Page
  agendaItemId = page.agenda[0].id
  actionItemId = page.actionItems[0].id
})

describe('the meeting page: participants only', () => {
  it('shows the manager the shared content and their own private note, never the report’s', async () => {
    const page = (await call(meetingRoute.loader, ctx, makeRequest(`/one-on-ones/${meetingId}`, { cookie: cookies.manager }), { meetingId })) as Page
    expect(page.role).toBe('manager')
    expect(page.agenda.map((a) => a.text)).toEqual([AGENDA, 'Second point'])
    expect(page.meeting.sharedNotes).toBe(SHARED)
    expect(page.actionItems.map((a) => [a.text, a.ownerId, a.dueOn])).toEqual([[ACTION, org.report.id, '2030-01-15']])
    expect(page.privateNote).toEqual({ state: 'ok', text: MANAGER_PRIVATE })
    expect(JSON.stringify(page)).not.toContain(REPORT_PRIVATE)
    expect(page.prep).not.toBeNull()
  })

  it('shows the report their own private note only, and no prep panel', async () => {
    const page = (await call(meetingRoute.loader, ctx, makeRequest(`/one-on-ones/${meetingId}`, { cookie: cookies.report }), { meetingId })) as Page
    expect(page.role).toBe('report')
    expect(page.privateNote).toEqual({ state: 'ok', text: REPORT_PRIVATE })
    expect(JSON.stringify(page)).not.toContain(MANAGER_PRIVATE)
    expect(page.prep).toBeNull()
  })

  for (const who of ['otherManager', 'hr', 'leader', 'admin'] as const) {
    it(`answers ${who} 404 on read and on every change, and changes nothing`, async () => {
      const before = await snapshot()
      const read = (await call(meetingRoute.loader, ctx, makeRequest(`/one-on-ones/${meetingId}`, { cookie: cookies[who] }), { meetingId })) as Response
      expect(read).toBeInstanceOf(Response)
      expect(read.status).toBe(404)
      for (const form of changes()) {
        const res = (await call(meetingRoute.action, ctx, post(cookies[who], form), { meetingId })) as Response
        expect(res, form.intent).toBeInstanceOf(Response)
        expect([form.intent, res.status]).toEqual([form.intent, 404])
      }
      expect(await snapshot()).toBe(before)
    })
  }

  it('sends an API key (no session) to sign in for every read and change, and changes nothing', async () => {
    const before = await snapshot()
    const headers = { Authorization: `Bearer ${adminKey}` }
    const read = (await call(meetingRoute.loader, ctx, makeRequest(`/one-on-ones/${meetingId}`, { headers }), { meetingId })) as Response
    expect(read.status).toBe(302)
    expect(read.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
    for (const form of changes()) {
      const res = (await call(meetingRoute.action, ctx, post(undefined, form, headers), { meetingId })) as Response
      expect([form.intent, res.status]).toEqual([form.intent, 302])
      expect(res.headers.get('Location')).toMatch(/^\/login/)
    }
    expect(await snapshot()).toBe(before)
  })

  it('lets only the report check in and only the manager mark held (403 otherwise, nothing changed)', async () => {
    const before = await snapshot()
    const checkIn = (await call(meetingRoute.action, ctx, post(cookies.manager, { intent: 'check-in', score: '9' }), { meetingId })) as Response
    expect(checkIn.status).toBe(403)
    const held = (await call(meetingRoute.action, ctx, post(cookies.report, { intent: 'mark-held', actualDurationMinutes: '45' }), { meetingId })) as Response
    expect(held.status).toBe(403)
    expect(await snapshot()).toBe(before)
  })

  it('answers 404 for a malformed or unknown meeting id', async () => {
    const bad = (await call(meetingRoute.loader, ctx, makeRequest('/one-on-ones/not-a-uuid', { cookie: cookies.manager }), { meetingId: 'not-a-uuid' })) as Response
    expect(bad.status).toBe(404)
    const unknown = '00000000-0000-4000-8000-000000000000'
    const missing = (await call(meetingRoute.loader, ctx, makeRequest(`/one-on-ones/${unknown}`, { cookie: cookies.manager }), { meetingId: unknown })) as Response
    expect(missing.status).toBe(404)
  })

  it('refuses an item id from another pair’s meeting even to a participant', async () => {
    const otherMeeting = await createMeeting(ctx.db, { managerId: org.otherManager.id, reportId: org.otherReport.id, scheduledAt: new Date(Date.now() + 86400_000) })
    await call(meetingRoute.action, ctx, makeRequest(`/one-on-ones/${otherMeeting}`, { form: { intent: 'add-agenda', text: 'theirs' }, cookie: cookies.otherManager }), { meetingId: otherMeeting })
    const [theirs] = await queryRows<{ id: string }>(ctx.db, sql`select id from one_on_one_agenda_items where meeting_id = ${otherMeeting}`)
    const before = await snapshot()
    const res = (await call(meetingRoute.action, ctx, post(cookies.manager, { intent: 'tick-agenda', itemId: theirs.id, done: 'true' }), { meetingId })) as Response
    expect(res.status).toBe(404)
    expect(await snapshot()).toBe(before)
  })
})

describe('the other 1:1 routes', () => {
  it('lists a manager’s own direct reports only; a non-manager employee gets 403', async () => {
    const mine = (await call(indexRoute.loader, ctx, makeRequest('/one-on-ones', { cookie: cookies.manager }))) as Awaited<ReturnType<typeof indexRoute.loader>>
    expect(mine.reports.map((r) => r.id)).toEqual([org.report.id])
    expect(mine.reports[0].openActionItems).toBe(1)
    const theirs = (await call(indexRoute.loader, ctx, makeRequest('/one-on-ones', { cookie: cookies.otherManager }))) as Awaited<ReturnType<typeof indexRoute.loader>>
    expect(theirs.reports.map((r) => r.id)).toEqual([org.otherReport.id])
    expect(JSON.stringify(theirs)).not.toContain(org.report.id)
    const employee = (await call(indexRoute.loader, ctx, makeRequest('/one-on-ones', { cookie: cookies.report }))) as Response
    expect(employee.status).toBe(403)
  })

  it('does not let a manager schedule with or set the cadence of someone else’s report', async () => {
    const before = await snapshot()
    const schedule = (await call(indexRoute.action, ctx, makeRequest('/one-on-ones', { form: { intent: 'schedule', reportId: org.otherReport.id, date: '2030-03-04', time: '10:00', durationMinutes: '60' }, cookie: cookies.manager }))) as Response
    expect(schedule.status).toBe(400)
    const cadence = (await call(indexRoute.action, ctx, makeRequest('/one-on-ones', { form: { intent: 'cadence', reportId: org.otherReport.id, cadence: 'weekly' }, cookie: cookies.manager }))) as Response
    expect(cadence.status).toBe(404)
    const employee = (await call(indexRoute.action, ctx, makeRequest('/one-on-ones', { form: { intent: 'cadence', reportId: org.report.id, cadence: 'weekly' }, cookie: cookies.report }))) as Response
    expect(employee.status).toBe(403)
    expect(await snapshot()).toBe(before)
  })

  it('opens cadence health to hr and leader only, with counts and no content', async () => {
    for (const who of ['hr', 'leader'] as const) {
      const data = (await call(healthRoute.loader, ctx, makeRequest('/one-on-ones/health', { cookie: cookies[who] }))) as Awaited<ReturnType<typeof healthRoute.loader>>
      const team = data.teams.find((t) => t.teamId === org.team.id)!
      expect(team).toMatchObject({ reports: 1, heldLast30: 0, overdue: 1, checkInAverage: null })
      const text = JSON.stringify(data)
      for (const secret of [SHARED, MANAGER_PRIVATE, REPORT_PRIVATE, AGENDA, ACTION]) expect(text).not.toContain(secret)
    }
    for (const who of ['manager', 'report', 'otherManager', 'admin'] as const) {
      const res = (await call(healthRoute.loader, ctx, makeRequest('/one-on-ones/health', { cookie: cookies[who] }))) as Response
      expect([who, res.status]).toEqual([who, 403])
    }
  })

  it('shows the report their 1:1s, agenda, shared notes and action items on /me, without any private note', async () => {
    const me = (await call(meRoute.loader, ctx, makeRequest('/me', { cookie: cookies.report }))) as Awaited<ReturnType<typeof meRoute.loader>>
    expect(me.oneOnOnes.meetings.map((m) => [m.id, m.otherName, m.sharedNotes])).toEqual([[meetingId, org.manager.name, SHARED]])
    expect(me.oneOnOnes.meetings[0].agenda.map((a) => a.text)).toEqual([AGENDA, 'Second point'])
    expect(me.oneOnOnes.actionItems.map((a) => a.text)).toEqual([ACTION])
    const text = JSON.stringify(me)
    expect(text).not.toContain(REPORT_PRIVATE)
    expect(text).not.toContain(MANAGER_PRIVATE)
    const hr = (await call(meRoute.loader, ctx, makeRequest('/me', { cookie: cookies.hr }))) as Awaited<ReturnType<typeof meRoute.loader>>
    expect(hr.oneOnOnes).toMatchObject({ meetings: [], actionItems: [] })
  })
})

describe('GET /api/v1/one-on-ones', () => {
  it('returns metadata only to keys with one-on-ones:read (admin, hr, leader)', async () => {
    for (const role of ['admin', 'hr', 'leader'] as const) {
      const key = role === 'admin' ? adminKey : await createTestApiKey(ctx.db, role)
      const res = (await call(apiRoute.loader, ctx, makeRequest('/api/v1/one-on-ones', { headers: { Authorization: `Bearer ${key}` } }))) as Response
      expect(res.status).toBe(200)
      const body = (await res.json()) as { oneOnOnes: Record<string, unknown>[] }
      const mine = body.oneOnOnes.filter((o) => (o.report as { id: string }).id === org.report.id)
      expect(mine).toHaveLength(1)
      expect(Object.keys(mine[0]).sort()).toEqual(['doneActionItems', 'durationMinutes', 'held', 'manager', 'openActionItems', 'report', 'scheduledAt'])
      expect(mine[0]).toMatchObject({
        manager: { id: org.manager.id, email: org.manager.email, name: org.manager.name },
        report: { id: org.report.id, email: org.report.email, name: org.report.name },
        held: false,
        durationMinutes: 60,
        openActionItems: 1,
        doneActionItems: 0,
      })
      const text = JSON.stringify(body)
      for (const secret of [SHARED, MANAGER_PRIVATE, REPORT_PRIVATE, AGENDA, ACTION]) expect(text).not.toContain(secret)
    }
  })

  it('filters by team (with sub-teams) and dates, and validates the query', async () => {
    const headers = { Authorization: `Bearer ${adminKey}` }
    const byTeam = (await call(apiRoute.loader, ctx, makeRequest(`/api/v1/one-on-ones?team=${org.otherTeam.id}`, { headers }))) as Response
    const teamBody = (await byTeam.json()) as { oneOnOnes: { report: { id: string } }[] }
    expect(teamBody.oneOnOnes.map((o) => o.report.id)).toEqual([org.otherReport.id])
    const past = (await call(apiRoute.loader, ctx, makeRequest('/api/v1/one-on-ones?from=2020-01-01&to=2020-12-31', { headers }))) as Response
    expect(await past.json()).toEqual({ oneOnOnes: [] })
    const bad = (await call(apiRoute.loader, ctx, makeRequest('/api/v1/one-on-ones?from=yesterday', { headers }))) as Response
    expect(bad.status).toBe(400)
    const badBody = (await bad.json()) as { error: { code: string; message: string } }
    expect(badBody.error.code).toBe('invalid_request')
    expect(badBody.error.message).toContain('from')
    const impossible = (await call(apiRoute.loader, ctx, makeRequest('/api/v1/one-on-ones?to=2026-02-30', { headers }))) as Response
    expect(impossible.status).toBe(400)
    expect(((await impossible.json()) as { error: { message: string } }).error.message).toBe('The request query is invalid: to: expected a real calendar date as YYYY-MM-DD')
  })

  it('answers 401 without a key and 403 for roles without the permission', async () => {
    const none = (await call(apiRoute.loader, ctx, makeRequest('/api/v1/one-on-ones'))) as Response
    expect(none.status).toBe(401)
    for (const role of ['employee', 'marketing'] as const) {
      const key = await createTestApiKey(ctx.db, role)
      const res = (await call(apiRoute.loader, ctx, makeRequest('/api/v1/one-on-ones', { headers: { Authorization: `Bearer ${key}` } }))) as Response
      expect([role, res.status]).toEqual([role, 403])
    }
    // No endpoint exposes a meeting's content: the per-meeting path is an unknown endpoint.
    const detail = (await call(apiCatchAll.loader as never, ctx, makeRequest(`/api/v1/one-on-ones/${meetingId}`, { headers: { Authorization: `Bearer ${adminKey}` } }))) as Response
    expect(detail.status).toBe(404)
  })
})
