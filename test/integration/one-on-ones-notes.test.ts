import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { AppContext } from '~/context'
import { noteKeyId } from '~/one-on-ones/notes-crypto.server'
import { reencryptPrivateNotes } from '~/one-on-ones/one-on-ones.server'
import * as meetingRoute from '~/routes/one-on-ones.$meetingId'
import * as indexRoute from '~/routes/one-on-ones._index'
import { setupTestContext } from '#test/support/context'
import { createMeeting, createOneOnOneOrg } from '#test/support/one-on-one-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

let ctx: AppContext
let org: Awaited<ReturnType<typeof createOneOnOneOrg>>
let managerCookie: string
let reportCookie: string

type Page = Awaited<ReturnType<typeof meetingRoute.loader>>
const DAY = 86400_000

const act = async (meetingId: string, cookie: string, form: Record<string, string>, context: AppContext = ctx) => {
  const res = (await call(meetingRoute.action, context, makeRequest(`/one-on-ones/${meetingId}`, { form, cookie }), { meetingId })) as Response
  return res
}
const page = async (meetingId: string, cookie: string, context: AppContext = ctx) =>
  (await call(meetingRoute.loader, context, makeRequest(`/one-on-ones/${meetingId}`, { cookie }), { meetingId })) as Page

beforeAll(async () => {
  ctx = await setupTestContext()
  org = await createOneOnOneOrg(ctx.db)
  managerCookie = await signedInCookie(ctx, org.manager.id)
  reportCookie = await signedInCookie(ctx, org.report.id)
})

describe('private notes at rest', () => {
  it('stores AES-256-GCM ciphertext with a fresh IV per write, the auth tag and the key id — never the plaintext', async () => {
    const meetingId = await createMeeting(ctx.db, { managerId: org.manager.id, reportId: org.report.id, scheduledAt: new Date(Date.now() + DAY) })
    const secret = 'Worried about Giulia burning out before the Q4 push'
    expect((await act(meetingId, managerCookie, { intent: 'private-note', note: secret })).status).toBe(302)
    const [first] = await queryRows<Record<string, string>>(ctx.db, sql`select * from one_on_one_private_notes where meeting_id = ${meetingId}`)
    const raw = JSON.stringify(first)
    for (const fragment of [secret, 'Giulia', 'burning', 'Q4 push']) expect(raw).not.toContain(fragment)
    expect(Buffer.from(first.ciphertext, 'base64').toString('utf8')).not.toContain('Giulia')
    expect(Buffer.from(first.iv, 'base64')).toHaveLength(12)
    expect(Buffer.from(first.auth_tag, 'base64')).toHaveLength(16)
    expect(first.key_id).toBe(noteKeyId(ctx.env.NOTES_ENCRYPTION_KEY))
    expect(first.key_id).not.toContain(ctx.env.NOTES_ENCRYPTION_KEY.slice(0, 8))
    // The same text written again gets a new IV and so a different ciphertext.
    await act(meetingId, managerCookie, { intent: 'private-note', note: secret })
    const [second] = await queryRows<Record<string, string>>(ctx.db, sql`select * from one_on_one_private_notes where meeting_id = ${meetingId}`)
    expect(second.iv).not.toBe(first.iv)
    expect(second.ciphertext).not.toBe(first.ciphertext)
    expect((await page(meetingId, managerCookie)).privateNote).toEqual({ state: 'ok', text: secret })
    // The other participant's page carries no trace of it.
    const theirs = await page(meetingId, reportCookie)
    expect(theirs.privateNote).toEqual({ state: 'empty' })
    expect(JSON.stringify(theirs)).not.toContain(secret)
    // Saving an empty note deletes it.
    await act(meetingId, managerCookie, { intent: 'private-note', note: '' })
    expect(await queryRows(ctx.db, sql`select id from one_on_one_private_notes where meeting_id = ${meetingId}`)).toHaveLength(0)
  })

  it('refuses clearly with the wrong key (a wrong-key state, no garbage), and works again after rotation', async () => {
    const meetingId = await createMeeting(ctx.db, { managerId: org.manager.id, reportId: org.report.id, scheduledAt: new Date(Date.now() + 2 * DAY) })
    await act(meetingId, managerCookie, { intent: 'private-note', note: 'Rotate me safely' })
    await act(meetingId, reportCookie, { intent: 'private-note', note: 'Mine, not yours' })
    const newKey = 'a1'.repeat(32)
    const rotated: AppContext = { ...ctx, env: { ...ctx.env, NOTES_ENCRYPTION_KEY: newKey } }
    const wrong = await page(meetingId, managerCookie, rotated)
    expect(wrong.privateNote).toEqual({ state: 'wrong-key' })
    expect(JSON.stringify(wrong)).not.toContain('Rotate me')
    // Rotation re-encrypts every note written with the old key, once.
    expect(await reencryptPrivateNotes(ctx.db, ctx.env.NOTES_ENCRYPTION_KEY, newKey)).toBeGreaterThanOrEqual(2)
    expect(await reencryptPrivateNotes(ctx.db, ctx.env.NOTES_ENCRYPTION_KEY, newKey)).toBe(0)
    expect((await page(meetingId, managerCookie, rotated)).privateNote).toEqual({ state: 'ok', text: 'Rotate me safely' })
    expect((await page(meetingId, reportCookie, rotated)).privateNote).toEqual({ state: 'ok', text: 'Mine, not yours' })
    expect((await page(meetingId, managerCookie)).privateNote).toEqual({ state: 'wrong-key' })
    const keyIds = await queryRows<{ key_id: string }>(ctx.db, sql`select distinct key_id from one_on_one_private_notes`)
    expect(keyIds).toEqual([{ key_id: noteKeyId(newKey) }])
    await reencryptPrivateNotes(ctx.db, newKey, ctx.env.NOTES_ENCRYPTION_KEY)
  })

  it('does not decrypt a note whose row was copied onto another author (bound by authenticated data)', async () => {
    const meetingId = await createMeeting(ctx.db, { managerId: org.manager.id, reportId: org.report.id, scheduledAt: new Date(Date.now() + 4 * DAY) })
    await act(meetingId, managerCookie, { intent: 'private-note', note: 'Manager eyes only' })
    await ctx.db.execute(sql`insert into one_on_one_private_notes (meeting_id, author_id, ciphertext, iv, auth_tag, key_id)
      select meeting_id, ${org.report.id}, ciphertext, iv, auth_tag, key_id from one_on_one_private_notes where meeting_id = ${meetingId}`)
    const stolen = await page(meetingId, reportCookie)
    expect(stolen.privateNote).toEqual({ state: 'wrong-key' })
    expect(JSON.stringify(stolen)).not.toContain('Manager eyes only')
  })
})

describe('carry-over across three consecutive meetings', () => {
  it('carries unticked talking points to each next meeting and shows open action items on every following one until done', async () => {
    const team = await createOneOnOneOrg(ctx.db)
    const manager = await signedInCookie(ctx, team.manager.id)
    const report = await signedInCookie(ctx, team.report.id)
    const base = Date.now() + 10 * DAY
    const m1 = await createMeeting(ctx.db, { managerId: team.manager.id, reportId: team.report.id, scheduledAt: new Date(base) })
    for (const text of ['A pricing', 'B hiring', 'C travel']) await act(m1, manager, { intent: 'add-agenda', text })
    await act(m1, report, { intent: 'add-action', text: 'X update CRM', owner: 'report' })
    await act(m1, manager, { intent: 'add-action', text: 'Y book training', owner: 'manager', dueOn: '2031-05-01' })
    let p1 = await page(m1, manager)
    await act(m1, manager, { intent: 'tick-agenda', itemId: p1.agenda.find((a) => a.text === 'A pricing')!.id, done: 'true' })
    await act(m1, manager, { intent: 'mark-held', actualDurationMinutes: '55' })

    const m2 = await createMeeting(ctx.db, { managerId: team.manager.id, reportId: team.report.id, scheduledAt: new Date(base + 14 * DAY) })
    let p2 = await page(m2, report)
    expect(p2.agenda.map((a) => [a.text, a.done, a.carried])).toEqual([
      ['B hiring', false, true],
      ['C travel', false, true],
    ])
    expect(p2.actionItems.map((a) => [a.text, a.done, a.agreedHere])).toEqual([
      ['Y book training', false, false],
      ['X update CRM', false, false],
    ])
    await act(m2, report, { intent: 'add-agenda', text: 'D promotion path' })
    await act(m2, report, { intent: 'tick-agenda', itemId: p2.agenda.find((a) => a.text === 'C travel')!.id, done: 'true' })
    await act(m2, report, { intent: 'tick-action', itemId: p2.actionItems.find((a) => a.text === 'X update CRM')!.id, done: 'true' })
    await act(m2, manager, { intent: 'add-action', text: 'Z shadow a demo', owner: 'report' })
    p2 = await page(m2, report)
    expect(p2.actionItems.map((a) => [a.text, a.done])).toEqual([
      ['Y book training', false],
      ['Z shadow a demo', false],
      ['X update CRM', true],
    ])
    await act(m2, manager, { intent: 'mark-held', actualDurationMinutes: '60' })

    const m3 = await createMeeting(ctx.db, { managerId: team.manager.id, reportId: team.report.id, scheduledAt: new Date(base + 28 * DAY) })
    const p3 = await page(m3, manager)
    expect(p3.agenda.map((a) => [a.text, a.done])).toEqual([
      ['B hiring', false],
      ['D promotion path', false],
    ])
    expect(p3.actionItems.map((a) => [a.text, a.done, a.agreedHere])).toEqual([
      ['Y book training', false, false],
      ['Z shadow a demo', false, false],
    ])
    // History stays as it was: meeting 1 still shows what was agreed and ticked there.
    p1 = await page(m1, manager)
    expect(p1.agenda.map((a) => [a.text, a.done])).toEqual([
      ['A pricing', true],
      ['B hiring', false],
      ['C travel', false],
    ])
    expect(p1.actionItems.map((a) => a.text).sort()).toEqual(['X update CRM', 'Y book training'])
    // The manager's list counts the pair's open action items.
    const list = (await call(indexRoute.loader, ctx, makeRequest('/one-on-ones', { cookie: manager }))) as Awaited<ReturnType<typeof indexRoute.loader>>
    expect(list.reports[0]).toMatchObject({ id: team.report.id, openActionItems: 2, overdue: false, lastMeetingId: m2, nextMeetingId: m3 })
  })
})

describe('forms with JavaScript off (plain urlencoded posts, redirect back)', () => {
  it('schedules in the manager’s time zone, reorders with up/down, ticks, and saves notes', async () => {
    const team = await createOneOnOneOrg(ctx.db)
    const manager = await signedInCookie(ctx, team.manager.id)
    const res = (await call(indexRoute.action, ctx, makeRequest('/one-on-ones', { form: { intent: 'schedule', reportId: team.report.id, date: '2031-07-01', time: '09:30', durationMinutes: '45' }, cookie: manager }))) as Response
    expect(res.status).toBe(302)
    const meetingId = /\/one-on-ones\/([0-9a-f-]{36})/.exec(res.headers.get('Location')!)![1]
    const [stored] = await queryRows<{ at: string; duration_minutes: number }>(ctx.db, sql`select to_char(scheduled_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as at, duration_minutes from one_on_ones where id = ${meetingId}`)
    // 09:30 in Europe/Rome in July (CEST, UTC+2) is 07:30 UTC.
    expect(stored).toEqual({ at: '2031-07-01T07:30', duration_minutes: 45 })

    for (const text of ['first', 'second', 'third']) expect((await act(meetingId, manager, { intent: 'add-agenda', text })).status).toBe(302)
    let p = await page(meetingId, manager)
    const third = p.agenda[2].id
    const moved = await act(meetingId, manager, { intent: 'move-agenda', itemId: third, direction: 'up' })
    expect(moved.status).toBe(302)
    expect(moved.headers.get('Location')).toBe(`/one-on-ones/${meetingId}?saved=move-agenda#agenda`)
    await act(meetingId, manager, { intent: 'move-agenda', itemId: third, direction: 'up' })
    await act(meetingId, manager, { intent: 'move-agenda', itemId: third, direction: 'up' })
    p = await page(meetingId, manager)
    expect(p.agenda.map((a) => a.text)).toEqual(['third', 'first', 'second'])
    await act(meetingId, manager, { intent: 'move-agenda', itemId: p.agenda[1].id, direction: 'down' })
    p = await page(meetingId, manager)
    expect(p.agenda.map((a) => a.text)).toEqual(['third', 'second', 'first'])

    // Invalid input: a clear message naming the problem, nothing written.
    const empty = await act(meetingId, manager, { intent: 'add-agenda', text: '   ' })
    expect(empty.status).toBe(400)
    const emptyBody = (await empty.json()) as { result: { error: Record<string, string[]> } }
    expect(emptyBody.result.error.text).toEqual(['Write between 1 and 500 characters.'])
    const badScore = await act(meetingId, await signedInCookie(ctx, team.report.id), { intent: 'check-in', score: '11' })
    expect(badScore.status).toBe(400)
    expect(((await badScore.json()) as { result: { error: Record<string, string[]> } }).result.error.score).toEqual(['Choose a number from 1 to 10.'])
    const badDue = await act(meetingId, manager, { intent: 'add-action', text: 'Follow up', owner: 'report', dueOn: '2031-02-30' })
    expect(badDue.status).toBe(400)
    expect(((await badDue.json()) as { result: { error: Record<string, string[]> } }).result.error.dueOn).toEqual(['Enter a due date as YYYY-MM-DD, or leave it empty.'])
    expect((await page(meetingId, manager)).agenda).toHaveLength(3)
    expect((await page(meetingId, manager)).actionItems).toHaveLength(0)

    const checkIn = await act(meetingId, await signedInCookie(ctx, team.report.id), { intent: 'check-in', score: '7' })
    expect(checkIn.status).toBe(302)
    expect((await page(meetingId, manager)).meeting.checkInScore).toBe(7)

    // After "mark held" the agenda is frozen (409, clear message), notes stay editable.
    expect((await act(meetingId, manager, { intent: 'mark-held', actualDurationMinutes: '40' })).status).toBe(302)
    const locked = await act(meetingId, manager, { intent: 'add-agenda', text: 'too late' })
    expect(locked.status).toBe(409)
    const again = await act(meetingId, manager, { intent: 'mark-held', actualDurationMinutes: '40' })
    expect(again.status).toBe(409)
    expect((await act(meetingId, manager, { intent: 'shared-notes', notes: '## Outcome\n- agreed' })).status).toBe(302)
    const held = await page(meetingId, manager)
    expect(held.meeting).toMatchObject({ actualDurationMinutes: 40, sharedNotes: '## Outcome\n- agreed' })
    expect(held.meeting.heldAt).not.toBeNull()
  })
})
