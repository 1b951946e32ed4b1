import { and, asc, eq, isNull, or, sql } from 'drizzle-orm'
import { type Db, type DbOrTx, queryRows } from '#db/client'
import { type OneOnOneCadence, oneOnOneActionItems, oneOnOneAgendaItems, oneOnOnePairs, oneOnOnePrivateNotes, oneOnOnes, people } from '#db/schema'
import { teamSubtree } from '~/auth/scope.server'
import type { AppContext } from '~/context'
import { isShown } from '~/responses/anonymity'
import { getSettings } from '~/settings/settings.server'
import { NoteKeyMismatchError, decryptNote, encryptNote, noteKeyId } from './notes-crypto.server'

/**
 * One-on-ones between a manager and a direct report. Every query that reads or changes a meeting
 * carries "the viewer is one of its two participants" in its WHERE clause: HR, leaders, admins and
 * other managers get nothing back, exactly as if the meeting did not exist.
 */

export type Outcome = 'ok' | 'not-found' | 'forbidden' | 'locked'

/** A meeting the viewer takes part in, or nothing. */
const participant = (viewerId: string) => or(eq(oneOnOnes.managerId, viewerId), eq(oneOnOnes.reportId, viewerId))

/** The cadence as an interval, for "no held 1:1 within the cadence" (overdue). */
export const cadenceInterval = sql`case coalesce(pr.cadence, 'biweekly') when 'weekly' then interval '7 days' when 'monthly' then interval '1 month' else interval '14 days' end`

export type ReportRow = {
  id: string
  name: string
  email: string
  cadence: OneOnOneCadence
  lastHeldAt: string | null
  lastMeetingId: string | null
  nextAt: string | null
  nextMeetingId: string | null
  overdue: boolean
  openActionItems: number
}

/** Every active direct report of the manager with last/next 1:1, cadence, overdue flag and open action items. */
export async function listMyReports(db: Db, managerId: string): Promise<ReportRow[]> {
  const rows = await queryRows<{
    id: string
    name: string
    email: string
    cadence: OneOnOneCadence | null
    last_held_at: string | null
    last_meeting_id: string | null
    next_at: string | null
    next_meeting_id: string | null
    overdue: boolean
    open_action_items: number
  }>(
    db,
    sql`select p.id, p.name, p.email, pr.cadence,
               last.held_at as last_held_at, last.id as last_meeting_id,
               nxt.scheduled_at as next_at, nxt.id as next_meeting_id,
               (last.held_at is null or last.held_at < now() - ${cadenceInterval}) as overdue,
               (select count(*)::int from one_on_one_action_items a where a.pair_id = pr.id and a.done_at is null) as open_action_items
          from people p
          left join one_on_one_pairs pr on pr.manager_id = ${managerId} and pr.report_id = p.id
          left join lateral (select o.id, o.held_at from one_on_ones o where o.pair_id = pr.id and o.held_at is not null order by o.held_at desc limit 1) last on true
          left join lateral (select o.id, o.scheduled_at from one_on_ones o where o.pair_id = pr.id and o.held_at is null order by o.scheduled_at limit 1) nxt on true
         where p.manager_id = ${managerId} and p.active
         order by overdue desc, p.name`,
  )
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    cadence: r.cadence ?? 'biweekly',
    lastHeldAt: r.last_held_at ? new Date(r.last_held_at).toISOString() : null,
    lastMeetingId: r.last_meeting_id,
    nextAt: r.next_at ? new Date(r.next_at).toISOString() : null,
    nextMeetingId: r.next_meeting_id,
    overdue: Boolean(r.overdue),
    openActionItems: r.open_action_items,
  }))
}

/** The manager's recent and upcoming meetings, for the list under "My reports". */
export async function listManagerMeetings(db: Db, managerId: string, limit = 20) {
  const rows = await queryRows<{ id: string; report_name: string; scheduled_at: string; held_at: string | null; duration_minutes: number }>(
    db,
    sql`select o.id, p.name as report_name, o.scheduled_at, o.held_at, o.duration_minutes
          from one_on_ones o join people p on p.id = o.report_id
         where o.manager_id = ${managerId}
         order by o.scheduled_at desc
         limit ${limit}`,
  )
  return rows.map((r) => ({ id: r.id, reportName: r.report_name, scheduledAt: new Date(r.scheduled_at).toISOString(), held: r.held_at !== null, durationMinutes: r.duration_minutes }))
}

async function isDirectReport(db: Db, managerId: string, reportId: string) {
  const [row] = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.id, reportId), eq(people.managerId, managerId), eq(people.active, true)))
  return Boolean(row)
}

async function ensurePair(db: DbOrTx, managerId: string, reportId: string): Promise<string> {
  await db.insert(oneOnOnePairs).values({ managerId, reportId }).onConflictDoNothing()
  const [pair] = await db
    .select({ id: oneOnOnePairs.id })
    .from(oneOnOnePairs)
    .where(and(eq(oneOnOnePairs.managerId, managerId), eq(oneOnOnePairs.reportId, reportId)))
  return pair.id
}

export async function setCadence(db: Db, input: { managerId: string; reportId: string; cadence: OneOnOneCadence }): Promise<Outcome> {
  if (!(await isDirectReport(db, input.managerId, input.reportId))) return 'not-found'
  await db
    .insert(oneOnOnePairs)
    .values({ managerId: input.managerId, reportId: input.reportId, cadence: input.cadence })
    .onConflictDoUpdate({ target: [oneOnOnePairs.managerId, oneOnOnePairs.reportId], set: { cadence: input.cadence } })
  return 'ok'
}

/**
 * Schedules a meeting with a direct report. Carry-over rule: when a meeting is created, the
 * talking points left unticked on the pair's latest earlier meeting are copied onto it (same
 * order, carried_from_id pointing back), so a point keeps travelling until someone ticks it.
 */
export async function scheduleMeeting(
  db: Db,
  input: { managerId: string; reportId: string; scheduledAt: Date; durationMinutes: number },
): Promise<{ ok: true; meetingId: string } | { ok: false; outcome: Outcome }> {
  if (!(await isDirectReport(db, input.managerId, input.reportId))) return { ok: false, outcome: 'not-found' }
  return db.transaction(async (tx) => {
    const pairId = await ensurePair(tx, input.managerId, input.reportId)
    const [meeting] = await tx
      .insert(oneOnOnes)
      .values({ pairId, managerId: input.managerId, reportId: input.reportId, scheduledAt: input.scheduledAt, durationMinutes: input.durationMinutes, createdById: input.managerId })
      .returning({ id: oneOnOnes.id })
    await tx.execute(sql`
      insert into one_on_one_agenda_items (meeting_id, text, position, done, added_by_id, carried_from_id)
      select ${meeting.id}, a.text, a.position, false, a.added_by_id, a.id
        from one_on_one_agenda_items a
       where a.done = false
         and a.meeting_id = (select o.id from one_on_ones o
                              where o.pair_id = ${pairId} and o.id <> ${meeting.id} and o.scheduled_at <= ${input.scheduledAt.toISOString()}::timestamptz
                              order by o.scheduled_at desc, o.created_at desc limit 1)`)
    return { ok: true as const, meetingId: meeting.id }
  })
}

export type PrivateNoteView = { state: 'empty' } | { state: 'ok'; text: string } | { state: 'wrong-key' }

/** Everything the meeting page shows to one participant; null when the viewer is not one of the two. */
export async function getMeetingPage(ctx: Pick<AppContext, 'db' | 'env'>, input: { meetingId: string; viewerId: string }) {
  const { db } = ctx
  const [meeting] = await db
    .select()
    .from(oneOnOnes)
    .where(and(eq(oneOnOnes.id, input.meetingId), participant(input.viewerId)))
  if (!meeting) return null
  const role = meeting.managerId === input.viewerId ? ('manager' as const) : ('report' as const)
  const participants = await db
    .select({ id: people.id, name: people.name, email: people.email, teamId: people.teamId })
    .from(people)
    .where(or(eq(people.id, meeting.managerId), eq(people.id, meeting.reportId)))
  const manager = participants.find((p) => p.id === meeting.managerId)!
  const report = participants.find((p) => p.id === meeting.reportId)!
  const agenda = await db
    .select({ id: oneOnOneAgendaItems.id, text: oneOnOneAgendaItems.text, done: oneOnOneAgendaItems.done, carried: sql<boolean>`${oneOnOneAgendaItems.carriedFromId} is not null`, addedById: oneOnOneAgendaItems.addedById })
    .from(oneOnOneAgendaItems)
    .where(eq(oneOnOneAgendaItems.meetingId, meeting.id))
    .orderBy(asc(oneOnOneAgendaItems.position), asc(oneOnOneAgendaItems.createdAt))
  const actionItems = await listActionItemsOn(db, meeting)
  // Only the viewer's own note is ever selected: author_id is the viewer, never a parameter from the request.
  const [note] = await db
    .select()
    .from(oneOnOnePrivateNotes)
    .where(and(eq(oneOnOnePrivateNotes.meetingId, meeting.id), eq(oneOnOnePrivateNotes.authorId, input.viewerId)))
  let privateNote: PrivateNoteView = { state: 'empty' }
  if (note) {
    try {
      privateNote = { state: 'ok', text: decryptNote(ctx.env.NOTES_ENCRYPTION_KEY, note, { meetingId: meeting.id, authorId: input.viewerId }) }
    } catch (error) {
      if (!(error instanceof NoteKeyMismatchError)) throw error
      privateNote = { state: 'wrong-key' }
    }
  }
  const neighbours = await queryRows<{ id: string; scheduled_at: string; dir: 'previous' | 'next' }>(
    db,
    sql`(select id, scheduled_at, 'previous' as dir from one_on_ones where pair_id = ${meeting.pairId} and scheduled_at < ${meeting.scheduledAt.toISOString()}::timestamptz order by scheduled_at desc limit 1)
        union all
        (select id, scheduled_at, 'next' as dir from one_on_ones where pair_id = ${meeting.pairId} and scheduled_at > ${meeting.scheduledAt.toISOString()}::timestamptz order by scheduled_at limit 1)`,
  )
  return {
    meeting: {
      id: meeting.id,
      scheduledAt: meeting.scheduledAt.toISOString(),
      durationMinutes: meeting.durationMinutes,
      heldAt: meeting.heldAt?.toISOString() ?? null,
      actualDurationMinutes: meeting.actualDurationMinutes,
      sharedNotes: meeting.sharedNotes,
      checkInScore: meeting.checkInScore,
    },
    role,
    manager: { id: manager.id, name: manager.name, email: manager.email },
    report: { id: report.id, name: report.name, email: report.email, teamId: report.teamId },
    agenda,
    actionItems,
    privateNote,
    previousMeetingId: neighbours.find((n) => n.dir === 'previous')?.id ?? null,
    nextMeetingId: neighbours.find((n) => n.dir === 'next')?.id ?? null,
  }
}

/**
 * The pair's action items as they stood at this meeting: agreed at it or at an earlier meeting,
 * and still open then (open now, or ticked at this meeting or a later one).
 */
async function listActionItemsOn(db: Db, meeting: { id: string; pairId: string; scheduledAt: Date }) {
  const rows = await queryRows<{ id: string; text: string; owner_id: string; owner_name: string; due_on: string | null; done: boolean; agreed_here: boolean }>(
    db,
    sql`select a.id, a.text, a.owner_id, p.name as owner_name, to_char(a.due_on, 'YYYY-MM-DD') as due_on, a.done_at is not null as done, a.meeting_id = ${meeting.id} as agreed_here
          from one_on_one_action_items a
          join one_on_ones agreed on agreed.id = a.meeting_id
          join people p on p.id = a.owner_id
          left join one_on_ones ticked on ticked.id = a.done_meeting_id
         where a.pair_id = ${meeting.pairId}
           and (a.meeting_id = ${meeting.id} or agreed.scheduled_at < ${meeting.scheduledAt.toISOString()}::timestamptz)
           and (a.done_at is null or a.meeting_id = ${meeting.id} or coalesce(ticked.scheduled_at, a.done_at) >= ${meeting.scheduledAt.toISOString()}::timestamptz)
         order by a.done_at is not null, a.due_on nulls last, a.created_at`,
  )
  return rows.map((r) => ({ id: r.id, text: r.text, ownerId: r.owner_id, ownerName: r.owner_name, dueOn: r.due_on, done: Boolean(r.done), agreedHere: Boolean(r.agreed_here) }))
}

/** The meeting if the viewer takes part in it (for the writes below). */
async function meetingOf(db: Db, meetingId: string, viewerId: string) {
  const [meeting] = await db
    .select({ id: oneOnOnes.id, pairId: oneOnOnes.pairId, managerId: oneOnOnes.managerId, reportId: oneOnOnes.reportId, heldAt: oneOnOnes.heldAt })
    .from(oneOnOnes)
    .where(and(eq(oneOnOnes.id, meetingId), participant(viewerId)))
  return meeting ?? null
}

/** Both participants add talking points until the meeting is marked held. */
export async function addAgendaItem(db: Db, input: { meetingId: string; viewerId: string; text: string }): Promise<Outcome> {
  const meeting = await meetingOf(db, input.meetingId, input.viewerId)
  if (!meeting) return 'not-found'
  if (meeting.heldAt) return 'locked'
  await db.execute(sql`
    insert into one_on_one_agenda_items (meeting_id, text, position, added_by_id)
    select ${meeting.id}, ${input.text}, coalesce(max(position), 0) + 1, ${input.viewerId} from one_on_one_agenda_items where meeting_id = ${meeting.id}`)
  return 'ok'
}

export async function setAgendaItemDone(db: Db, input: { meetingId: string; viewerId: string; itemId: string; done: boolean }): Promise<Outcome> {
  const meeting = await meetingOf(db, input.meetingId, input.viewerId)
  if (!meeting) return 'not-found'
  if (meeting.heldAt) return 'locked'
  const changed = await db
    .update(oneOnOneAgendaItems)
    .set({ done: input.done })
    .where(and(eq(oneOnOneAgendaItems.id, input.itemId), eq(oneOnOneAgendaItems.meetingId, meeting.id)))
    .returning({ id: oneOnOneAgendaItems.id })
  return changed.length ? 'ok' : 'not-found'
}

/** Swaps the item with its neighbour above or below (the up/down buttons; plain form posts). */
export async function moveAgendaItem(db: Db, input: { meetingId: string; viewerId: string; itemId: string; direction: 'up' | 'down' }): Promise<Outcome> {
  const meeting = await meetingOf(db, input.meetingId, input.viewerId)
  if (!meeting) return 'not-found'
  if (meeting.heldAt) return 'locked'
  return db.transaction(async (tx) => {
    const items = await tx
      .select({ id: oneOnOneAgendaItems.id })
      .from(oneOnOneAgendaItems)
      .where(eq(oneOnOneAgendaItems.meetingId, meeting.id))
      .orderBy(asc(oneOnOneAgendaItems.position), asc(oneOnOneAgendaItems.createdAt))
      .for('update')
    const index = items.findIndex((i) => i.id === input.itemId)
    if (index === -1) return 'not-found' as const
    const other = input.direction === 'up' ? index - 1 : index + 1
    if (other < 0 || other >= items.length) return 'ok' as const
    const order = items.map((i) => i.id)
    ;[order[index], order[other]] = [order[other], order[index]]
    // Renumber the whole (short) list so positions stay dense even after carried-over duplicates.
    for (const [position, id] of order.entries()) {
      await tx.update(oneOnOneAgendaItems).set({ position: position + 1 }).where(eq(oneOnOneAgendaItems.id, id))
    }
    return 'ok' as const
  })
}

export async function saveSharedNotes(db: Db, input: { meetingId: string; viewerId: string; notes: string }): Promise<Outcome> {
  const changed = await db
    .update(oneOnOnes)
    .set({ sharedNotes: input.notes })
    .where(and(eq(oneOnOnes.id, input.meetingId), participant(input.viewerId)))
    .returning({ id: oneOnOnes.id })
  return changed.length ? 'ok' : 'not-found'
}

/** Encrypts and stores the viewer's own private note (an empty note deletes it). */
export async function savePrivateNote(ctx: Pick<AppContext, 'db' | 'env'>, input: { meetingId: string; viewerId: string; text: string }): Promise<Outcome> {
  const meeting = await meetingOf(ctx.db, input.meetingId, input.viewerId)
  if (!meeting) return 'not-found'
  if (input.text.trim() === '') {
    await ctx.db.delete(oneOnOnePrivateNotes).where(and(eq(oneOnOnePrivateNotes.meetingId, meeting.id), eq(oneOnOnePrivateNotes.authorId, input.viewerId)))
    return 'ok'
  }
  const encrypted = encryptNote(ctx.env.NOTES_ENCRYPTION_KEY, input.text, { meetingId: meeting.id, authorId: input.viewerId })
  await ctx.db
    .insert(oneOnOnePrivateNotes)
    .values({ meetingId: meeting.id, authorId: input.viewerId, ...encrypted })
    .onConflictDoUpdate({ target: [oneOnOnePrivateNotes.meetingId, oneOnOnePrivateNotes.authorId], set: { ...encrypted, updatedAt: new Date() } })
  return 'ok'
}

export async function addActionItem(db: Db, input: { meetingId: string; viewerId: string; text: string; owner: 'manager' | 'report'; dueOn: string | null }): Promise<Outcome> {
  const meeting = await meetingOf(db, input.meetingId, input.viewerId)
  if (!meeting) return 'not-found'
  await db.insert(oneOnOneActionItems).values({
    pairId: meeting.pairId,
    meetingId: meeting.id,
    text: input.text,
    ownerId: input.owner === 'manager' ? meeting.managerId : meeting.reportId,
    dueOn: input.dueOn,
    createdById: input.viewerId,
  })
  return 'ok'
}

/** Ticks (or reopens) a pair's action item from one of the pair's meetings; it stops carrying over once done. */
export async function setActionItemDone(db: Db, input: { meetingId: string; viewerId: string; itemId: string; done: boolean }): Promise<Outcome> {
  const meeting = await meetingOf(db, input.meetingId, input.viewerId)
  if (!meeting) return 'not-found'
  const changed = await db
    .update(oneOnOneActionItems)
    .set(input.done ? { doneAt: new Date(), doneMeetingId: meeting.id } : { doneAt: null, doneMeetingId: null })
    .where(and(eq(oneOnOneActionItems.id, input.itemId), eq(oneOnOneActionItems.pairId, meeting.pairId)))
    .returning({ id: oneOnOneActionItems.id })
  return changed.length ? 'ok' : 'not-found'
}

/** The report's own check-in; the manager sees it, nobody else does. */
export async function setCheckIn(db: Db, input: { meetingId: string; viewerId: string; score: number }): Promise<Outcome> {
  const meeting = await meetingOf(db, input.meetingId, input.viewerId)
  if (!meeting) return 'not-found'
  if (meeting.reportId !== input.viewerId) return 'forbidden'
  await db.update(oneOnOnes).set({ checkInScore: input.score, checkInAt: new Date() }).where(eq(oneOnOnes.id, meeting.id))
  return 'ok'
}

/** The manager marks the meeting held (once); the summary email to both is queued. */
export async function markHeld(ctx: Pick<AppContext, 'db' | 'jobs'>, input: { meetingId: string; viewerId: string; actualDurationMinutes: number }): Promise<Outcome> {
  const meeting = await meetingOf(ctx.db, input.meetingId, input.viewerId)
  if (!meeting) return 'not-found'
  if (meeting.managerId !== input.viewerId) return 'forbidden'
  const [held] = await ctx.db
    .update(oneOnOnes)
    .set({ heldAt: new Date(), actualDurationMinutes: input.actualDurationMinutes })
    .where(and(eq(oneOnOnes.id, meeting.id), isNull(oneOnOnes.heldAt)))
    .returning({ id: oneOnOnes.id })
  if (!held) return 'locked'
  await ctx.jobs.send('one-on-ones.summary', { meetingId: meeting.id }, { singletonKey: `summary:${meeting.id}` })
  return 'ok'
}

/** My page: the viewer's meetings (as report or manager) with agendas and shared notes, and my open action items. */
export async function listMyOneOnOnes(db: Db, viewer: { id: string; timezone: string | null }) {
  const viewerId = viewer.id
  const timezone = viewer.timezone ?? (await getSettings(db)).timezone
  const meetings = await queryRows<{ id: string; scheduled_at: string; held_at: string | null; shared_notes: string; other_name: string; as_role: 'manager' | 'report' }>(
    db,
    sql`(select o.id, o.scheduled_at, o.held_at, o.shared_notes, other.name as other_name,
                case when o.manager_id = ${viewerId} then 'manager' else 'report' end as as_role
           from one_on_ones o
           join people other on other.id = case when o.manager_id = ${viewerId} then o.report_id else o.manager_id end
          where (o.manager_id = ${viewerId} or o.report_id = ${viewerId})
          order by o.scheduled_at desc
          limit 10)`,
  )
  const ids = meetings.map((m) => m.id)
  const agenda = ids.length
    ? await queryRows<{ meeting_id: string; id: string; text: string; done: boolean }>(
        db,
        sql`select meeting_id, id, text, done from one_on_one_agenda_items where meeting_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}) order by position, created_at`,
      )
    : []
  const actionItems = await queryRows<{ id: string; text: string; due_on: string | null; meeting_id: string; other_name: string }>(
    db,
    sql`select a.id, a.text, to_char(a.due_on, 'YYYY-MM-DD') as due_on, latest.id as meeting_id, other.name as other_name
          from one_on_one_action_items a
          join one_on_one_pairs pr on pr.id = a.pair_id
          join people other on other.id = case when pr.manager_id = ${viewerId} then pr.report_id else pr.manager_id end
          join lateral (select o.id from one_on_ones o where o.pair_id = a.pair_id order by o.scheduled_at desc limit 1) latest on true
         where a.owner_id = ${viewerId} and a.done_at is null and (pr.manager_id = ${viewerId} or pr.report_id = ${viewerId})
         order by a.due_on nulls last, a.created_at`,
  )
  return {
    timezone,
    meetings: meetings.map((m) => ({
      id: m.id,
      scheduledAt: new Date(m.scheduled_at).toISOString(),
      held: m.held_at !== null,
      sharedNotes: m.shared_notes,
      otherName: m.other_name,
      asRole: m.as_role,
      agenda: agenda.filter((a) => a.meeting_id === m.id).map((a) => ({ id: a.id, text: a.text, done: Boolean(a.done) })),
    })),
    actionItems: actionItems.map((a) => ({ id: a.id, text: a.text, dueOn: a.due_on, meetingId: a.meeting_id, otherName: a.other_name })),
  }
}

/**
 * Cadence health per team, for hr and leaders: counts only, never content.
 *
 * The check-in average is published per fixed calendar quarter in the organisation's time zone:
 * the last whole quarter, from each report's latest check-in recorded in it. It is given only when
 * at least the scores threshold of reports checked in that quarter (isShown), else null ("not
 * enough check-ins", no figure). A figure that moved with every meeting (a rolling window) would
 * let anyone comparing it day by day recover the one report whose check-in changed it; a closed
 * quarter no longer changes. A report counts once whatever the number of their check-ins, so one
 * person checking in often never makes a figure of their own.
 */
export async function cadenceHealth(db: Db, now: Date = new Date()) {
  const settings = await getSettings(db)
  const at = sql`${now.toISOString()}::timestamptz`
  const tz = sql`${settings.timezone}::text`
  // The last whole quarter: [lo_l, hi_l) in local time, where hi_l starts the current quarter.
  const lastQuarter = sql`(select hi_l - interval '3 months' as lo_l, hi_l from (select date_trunc('quarter', ${at} at time zone ${tz}) as hi_l) h)`
  const [quarter] = await queryRows<{ from: string; to: string }>(
    db,
    sql`select to_char(lo_l, 'YYYY-MM-DD') as "from", to_char(hi_l - interval '1 day', 'YYYY-MM-DD') as "to" from ${lastQuarter} q`,
  )
  const rows = await queryRows<{ team_id: string; team_name: string; reports: number; held_last_30: number; overdue: number; check_in_n: number; check_in_avg: string | null }>(
    db,
    sql`with quarter as (
          select lo_l at time zone ${tz} as lo, hi_l at time zone ${tz} as hi from ${lastQuarter} q
        ), reports as (
          select p.id, p.team_id, p.manager_id from people p where p.active and p.manager_id is not null and p.team_id is not null
        ), status as (
          select r.id, r.team_id,
                 exists (select 1 from one_on_ones o where o.report_id = r.id and o.held_at >= ${at} - interval '30 days' and o.held_at <= ${at}) as held_30,
                 coalesce((select max(o.held_at) from one_on_ones o where o.report_id = r.id and o.manager_id = r.manager_id and o.held_at <= ${at}), '-infinity'::timestamptz)
                   < ${at} - ${cadenceInterval} as overdue,
                 (select o.check_in_score from one_on_ones o
                   where o.report_id = r.id and o.check_in_score is not null
                     and o.check_in_at >= (select lo from quarter) and o.check_in_at < (select hi from quarter)
                   order by o.check_in_at desc limit 1) as check_in
            from reports r
            left join one_on_one_pairs pr on pr.manager_id = r.manager_id and pr.report_id = r.id
        )
        select t.id as team_id, t.name as team_name,
               count(s.id)::int as reports,
               count(s.id) filter (where s.held_30)::int as held_last_30,
               count(s.id) filter (where s.overdue)::int as overdue,
               count(s.check_in)::int as check_in_n,
               round(avg(s.check_in), 1)::text as check_in_avg
          from teams t join status s on s.team_id = t.id
         group by t.id, t.name
         order by t.name`,
  )
  return {
    threshold: settings.thresholdScores,
    /** The quarter the check-in averages cover (inclusive local dates). */
    checkInQuarter: { from: quarter.from, to: quarter.to },
    teams: rows.map((r) => ({
      teamId: r.team_id,
      teamName: r.team_name,
      reports: r.reports,
      heldLast30: r.held_last_30,
      share: r.reports ? r.held_last_30 / r.reports : 0,
      overdue: r.overdue,
      checkInAverage: isShown(r.check_in_n, settings.thresholdScores) && r.check_in_avg !== null ? Number(r.check_in_avg) : null,
    })),
  }
}

/** Meeting metadata for BI tools (GET /api/v1/one-on-ones): never notes, agendas or check-ins. */
export async function listOneOnOneMetadata(db: Db, filter: { from?: string; to?: string; teamId?: string }) {
  const settings = await getSettings(db)
  const tz = settings.timezone
  const rows = await queryRows<{
    manager_id: string
    manager_email: string
    manager_name: string
    report_id: string
    report_email: string
    report_name: string
    scheduled_at: string
    held: boolean
    duration_minutes: number
    open_action_items: number
    done_action_items: number
  }>(
    db,
    sql`select m.id as manager_id, m.email as manager_email, m.name as manager_name,
               r.id as report_id, r.email as report_email, r.name as report_name,
               o.scheduled_at, o.held_at is not null as held,
               coalesce(o.actual_duration_minutes, o.duration_minutes)::int as duration_minutes,
               (select count(*)::int from one_on_one_action_items a where a.meeting_id = o.id and a.done_at is null) as open_action_items,
               (select count(*)::int from one_on_one_action_items a where a.meeting_id = o.id and a.done_at is not null) as done_action_items
          from one_on_ones o
          join people m on m.id = o.manager_id
          join people r on r.id = o.report_id
         where (${filter.from ?? null}::date is null or o.scheduled_at >= (${filter.from ?? null}::date)::timestamp at time zone ${tz})
           and (${filter.to ?? null}::date is null or o.scheduled_at < ((${filter.to ?? null}::date) + 1)::timestamp at time zone ${tz})
           and ${filter.teamId ? sql`r.team_id in ${teamSubtree(filter.teamId)}` : sql`true`}
         order by o.scheduled_at, m.name, r.name`,
  )
  return rows.map((r) => ({
    manager: { id: r.manager_id, email: r.manager_email, name: r.manager_name },
    report: { id: r.report_id, email: r.report_email, name: r.report_name },
    scheduledAt: new Date(r.scheduled_at).toISOString(),
    held: Boolean(r.held),
    durationMinutes: r.duration_minutes,
    openActionItems: r.open_action_items,
    doneActionItems: r.done_action_items,
  }))
}

/**
 * Key rotation: re-encrypts every private note written with `oldKey` under `newKey`, in one
 * transaction (all or nothing). Notes already under `newKey` are left alone, so it can be re-run.
 * Returns how many notes were re-encrypted. Call it from a one-off script with the two keys,
 * then restart the app with NOTES_ENCRYPTION_KEY=newKey.
 */
export async function reencryptPrivateNotes(db: Db, oldKey: string, newKey: string): Promise<number> {
  const oldId = noteKeyId(oldKey)
  if (oldId === noteKeyId(newKey)) return 0
  return db.transaction(async (tx) => {
    const notes = await tx.select().from(oneOnOnePrivateNotes).where(eq(oneOnOnePrivateNotes.keyId, oldId)).for('update')
    for (const note of notes) {
      const context = { meetingId: note.meetingId, authorId: note.authorId }
      const encrypted = encryptNote(newKey, decryptNote(oldKey, note, context), context)
      await tx.update(oneOnOnePrivateNotes).set(encrypted).where(eq(oneOnOnePrivateNotes.id, note.id))
    }
    return notes.length
  })
}
