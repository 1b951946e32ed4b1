import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { AppContext } from '~/context'
import { claimPrepReminders } from '~/one-on-ones/emails.server'
import * as meetingRoute from '~/routes/one-on-ones.$meetingId'
import { setupTestContext } from '#test/support/context'
import { createMeeting, createOneOnOneOrg } from '#test/support/one-on-one-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { startSmtpSink } from '#test/support/smtp-sink'

let ctx: AppContext
let sink: Awaited<ReturnType<typeof startSmtpSink>>
const HOUR = 3600_000

beforeAll(async () => {
  sink = await startSmtpSink()
  ctx = await setupTestContext({ smtpUrl: sink.url })
  return () => sink.close()
})

const act = async (meetingId: string, cookie: string, form: Record<string, string>) =>
  (await call(meetingRoute.action, ctx, makeRequest(`/one-on-ones/${meetingId}`, { form, cookie }), { meetingId })) as Response

describe('prep reminder', () => {
  it('reminds both participants once, in their own language, for meetings starting in 24–48 hours', async () => {
    const org = await createOneOnOneOrg(ctx.db, { managerLocale: 'en', reportLocale: 'it' })
    const due = await createMeeting(ctx.db, { managerId: org.manager.id, reportId: org.report.id, scheduledAt: new Date(Date.now() + 30 * HOUR) })
    const tooSoon = await createMeeting(ctx.db, { managerId: org.manager.id, reportId: org.report.id, scheduledAt: new Date(Date.now() + 10 * HOUR) })
    const tooFar = await createMeeting(ctx.db, { managerId: org.manager.id, reportId: org.report.id, scheduledAt: new Date(Date.now() + 60 * HOUR) })
    await act(due, await signedInCookie(ctx, org.report.id), { intent: 'add-agenda', text: 'Discuss the Rossi account' })
    sink.messages.length = 0

    await ctx.jobs.send('one-on-ones.prep-reminders', {})
    await ctx.jobs.drain(ctx)
    const toManager = await sink.waitFor(org.manager.email)
    const toReport = await sink.waitFor(org.report.email)
    expect(toManager.subject).toBe(`Your 1:1 with ${org.report.name} is coming up`)
    expect(toReport.subject).toBe(`Il tuo 1:1 con ${org.manager.name} si avvicina`)
    for (const mail of [toManager, toReport]) {
      expect(mail.text).toContain(`http://pulseboard.test/one-on-ones/${due}`)
      expect(mail.text).toContain('Discuss the Rossi account')
      expect(mail.html).toContain('Discuss the Rossi account')
    }
    expect(toReport.text).toContain('Apri l’agenda')
    expect(sink.messages).toHaveLength(2)

    // The next tick (and two racing workers) find nothing left to claim: no second reminder.
    await ctx.jobs.send('one-on-ones.prep-reminders', {})
    await ctx.jobs.drain(ctx)
    const racing = await Promise.all([claimPrepReminders(ctx), claimPrepReminders(ctx)])
    expect(racing).toEqual([[], []])
    await ctx.jobs.drain(ctx)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(sink.messages).toHaveLength(2)
    const reminded = await queryRows<{ id: string; reminded: boolean }>(ctx.db, sql`select id, reminded_at is not null as reminded from one_on_ones where id in (${due}, ${tooSoon}, ${tooFar})`)
    expect(Object.fromEntries(reminded.map((r) => [r.id, r.reminded]))).toEqual({ [due]: true, [tooSoon]: false, [tooFar]: false })
  })

  it('lets exactly one of two concurrent claims take a meeting', async () => {
    const org = await createOneOnOneOrg(ctx.db)
    const meetingId = await createMeeting(ctx.db, { managerId: org.manager.id, reportId: org.report.id, scheduledAt: new Date(Date.now() + 36 * HOUR) })
    const claims = await Promise.all([claimPrepReminders(ctx), claimPrepReminders(ctx)])
    expect(claims.flat().filter((id) => id === meetingId)).toHaveLength(1)
    await ctx.jobs.drain(ctx)
  })
})

describe('summary after the meeting is marked held', () => {
  it('sends both the shared notes and action items in their language, and never a private note', async () => {
    const org = await createOneOnOneOrg(ctx.db, { managerLocale: 'it', reportLocale: 'en' })
    const manager = await signedInCookie(ctx, org.manager.id)
    const report = await signedInCookie(ctx, org.report.id)
    const meetingId = await createMeeting(ctx.db, { managerId: org.manager.id, reportId: org.report.id, scheduledAt: new Date(Date.now() - 2 * HOUR) })
    await act(meetingId, manager, { intent: 'shared-notes', notes: 'Agreed to **focus** on renewals <script>alert(1)</script>' })
    await act(meetingId, manager, { intent: 'private-note', note: 'PRIVATE-MANAGER-seems tired' })
    await act(meetingId, report, { intent: 'private-note', note: 'PRIVATE-REPORT-ask for a raise' })
    await act(meetingId, report, { intent: 'add-action', text: 'Call back Bianchi Srl', owner: 'report', dueOn: '2031-02-03' })
    await act(meetingId, manager, { intent: 'add-action', text: 'Approve the discount', owner: 'manager' })
    sink.messages.length = 0
    expect((await act(meetingId, manager, { intent: 'mark-held', actualDurationMinutes: '50' })).status).toBe(302)
    await ctx.jobs.drain(ctx)
    const toManager = await sink.waitFor(org.manager.email)
    const toReport = await sink.waitFor(org.report.email)
    expect(toManager.subject).toBe(`Riepilogo del tuo 1:1 con ${org.report.name}`)
    expect(toReport.subject).toBe(`Summary of your 1:1 with ${org.manager.name}`)
    for (const mail of [toManager, toReport]) {
      expect(mail.text).toContain('Agreed to **focus** on renewals')
      expect(mail.text).toContain('Call back Bianchi Srl')
      expect(mail.text).toContain('Approve the discount')
      expect(mail.text).toContain('50')
      // Shared notes are text in the email: the <script> arrives escaped, never as markup.
      expect(mail.html).not.toContain('<script>')
      expect(mail.html).toContain('&lt;script&gt;')
      for (const part of [mail.text, mail.html]) {
        expect(part).not.toContain('PRIVATE-MANAGER')
        expect(part).not.toContain('PRIVATE-REPORT')
      }
    }
    expect(toReport.text).toContain(`Call back Bianchi Srl — ${org.report.name}`)
    // Marking held again sends nothing more.
    await act(meetingId, manager, { intent: 'mark-held', actualDurationMinutes: '50' })
    await ctx.jobs.send('one-on-ones.summary', { meetingId })
    await ctx.jobs.drain(ctx)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(sink.messages).toHaveLength(2)
  })
})
