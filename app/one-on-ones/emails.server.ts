import { eq, sql } from 'drizzle-orm'
import { createElement } from 'react'
import { queryRows } from '#db/client'
import { oneOnOneAgendaItems, oneOnOnes, people } from '#db/schema'
import { OneOnOnePrepReminderEmail, prepReminderSubject } from '#emails/one-on-one-prep-reminder'
import { OneOnOneSummaryEmail, summarySubject } from '#emails/one-on-one-summary'
import type { AppContext } from '~/context'
import { renderEmail } from '~/email/render.server'
import { formatDate, formatDateTime } from '~/i18n/format'
import { getSettings } from '~/settings/settings.server'

/**
 * Claims the meetings that start in 24–48 hours and have not been reminded, in one statement:
 * UPDATE … WHERE reminded_at IS NULL RETURNING, so two workers (or two cron ticks) never claim the
 * same meeting twice. Each claimed meeting gets one email job per participant.
 */
export async function claimPrepReminders(ctx: Pick<AppContext, 'db' | 'jobs'>, now: Date = new Date()): Promise<string[]> {
  const claimed = await queryRows<{ id: string; manager_id: string; report_id: string }>(
    ctx.db,
    sql`update one_on_ones set reminded_at = now()
         where reminded_at is null and held_at is null
           and scheduled_at >= ${now.toISOString()}::timestamptz + interval '24 hours'
           and scheduled_at < ${now.toISOString()}::timestamptz + interval '48 hours'
     returning id, manager_id, report_id`,
  )
  for (const m of claimed) {
    for (const personId of [m.manager_id, m.report_id]) {
      await ctx.jobs.send('one-on-ones.prep-reminder-email', { meetingId: m.id, personId }, { singletonKey: `prep:${m.id}:${personId}` })
    }
  }
  return claimed.map((m) => m.id)
}

async function recipientAndMeeting(ctx: Pick<AppContext, 'db'>, meetingId: string, personId: string) {
  const [meeting] = await ctx.db.select().from(oneOnOnes).where(eq(oneOnOnes.id, meetingId))
  // Only the two participants ever receive anything about a meeting.
  if (!meeting || (meeting.managerId !== personId && meeting.reportId !== personId)) return null
  const otherId = meeting.managerId === personId ? meeting.reportId : meeting.managerId
  const rows = await ctx.db.select({ id: people.id, name: people.name, email: people.email, locale: people.locale, timezone: people.timezone, active: people.active }).from(people).where(sql`${people.id} in (${personId}, ${otherId})`)
  const person = rows.find((r) => r.id === personId)
  const other = rows.find((r) => r.id === otherId)
  if (!person || !other || !person.active) return null
  const settings = await getSettings(ctx.db)
  return { meeting, person, other, locale: person.locale ?? settings.defaultLocale, timezone: person.timezone ?? settings.timezone }
}

export async function sendPrepReminder(ctx: Pick<AppContext, 'db' | 'env' | 'mailer'>, input: { meetingId: string; personId: string }) {
  const found = await recipientAndMeeting(ctx, input.meetingId, input.personId)
  if (!found || found.meeting.heldAt) return
  const { meeting, person, other, locale, timezone } = found
  const agenda = await ctx.db
    .select({ text: oneOnOneAgendaItems.text, done: oneOnOneAgendaItems.done })
    .from(oneOnOneAgendaItems)
    .where(eq(oneOnOneAgendaItems.meetingId, meeting.id))
    .orderBy(oneOnOneAgendaItems.position, oneOnOneAgendaItems.createdAt)
  const when = formatDateTime(locale, meeting.scheduledAt, timezone)
  const url = `${ctx.env.APP_URL}/one-on-ones/${meeting.id}`
  const { html, text } = await renderEmail(
    createElement(OneOnOnePrepReminderEmail, { locale, name: person.name, otherName: other.name, when, durationMinutes: meeting.durationMinutes, agenda, url }),
  )
  await ctx.mailer.send({ to: person.email, subject: prepReminderSubject(locale, other.name), html, text, kind: 'one-on-one-prep' })
}

/** Claims the summary of a held meeting once (summary_sent_at), then one email job per participant. */
export async function claimSummary(ctx: Pick<AppContext, 'db' | 'jobs'>, meetingId: string) {
  const [claimed] = await queryRows<{ id: string; manager_id: string; report_id: string }>(
    ctx.db,
    sql`update one_on_ones set summary_sent_at = now() where id = ${meetingId} and held_at is not null and summary_sent_at is null returning id, manager_id, report_id`,
  )
  if (!claimed) return
  for (const personId of [claimed.manager_id, claimed.report_id]) {
    await ctx.jobs.send('one-on-ones.summary-email', { meetingId, personId }, { singletonKey: `summary:${meetingId}:${personId}` })
  }
}

/** Shared notes and the pair's action items as they stand at this meeting; private notes are never read here. */
export async function sendSummary(ctx: Pick<AppContext, 'db' | 'env' | 'mailer'>, input: { meetingId: string; personId: string }) {
  const found = await recipientAndMeeting(ctx, input.meetingId, input.personId)
  if (!found || !found.meeting.heldAt) return
  const { meeting, person, other, locale, timezone } = found
  const items = await queryRows<{ text: string; owner_name: string; due_on: string | null; done: boolean }>(
    ctx.db,
    sql`select a.text, p.name as owner_name, to_char(a.due_on, 'YYYY-MM-DD') as due_on, a.done_at is not null as done
          from one_on_one_action_items a
          join one_on_ones agreed on agreed.id = a.meeting_id
          join people p on p.id = a.owner_id
         where a.pair_id = ${meeting.pairId}
           and (a.meeting_id = ${meeting.id} or agreed.scheduled_at < ${meeting.scheduledAt.toISOString()}::timestamptz)
           and (a.done_at is null or a.done_meeting_id = ${meeting.id} or a.meeting_id = ${meeting.id})
         order by a.done_at is not null, a.due_on nulls last, a.created_at`,
  )
  const when = formatDateTime(locale, meeting.scheduledAt, timezone)
  const url = `${ctx.env.APP_URL}/one-on-ones/${meeting.id}`
  const { html, text } = await renderEmail(
    createElement(OneOnOneSummaryEmail, {
      locale,
      name: person.name,
      otherName: other.name,
      when,
      durationMinutes: meeting.actualDurationMinutes ?? meeting.durationMinutes,
      sharedNotes: meeting.sharedNotes,
      actionItems: items.map((i) => ({ text: i.text, ownerName: i.owner_name, dueOn: i.due_on ? formatDate(locale, i.due_on) : null, done: Boolean(i.done) })),
      url,
    }),
  )
  await ctx.mailer.send({ to: person.email, subject: summarySubject(locale, other.name), html, text, kind: 'one-on-one-summary' })
}
