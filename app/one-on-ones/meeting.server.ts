/**
 * The meeting page (/one-on-ones/<id>): what it shows to one participant, and its intent table —
 * each form's schema (./forms.ts, validated in the browser too) and the write it does.
 */
import type { Viewer } from '~/auth/guards.server'
import type { AppContext } from '~/context'
import type { IntentTable } from '~/forms/intents'
import { getSettings } from '~/settings/settings.server'
import { meetingForms } from './forms'
import {
  type Outcome,
  addActionItem,
  addAgendaItem,
  getMeetingPage,
  markHeld,
  moveAgendaItem,
  saveSharedNotes,
  savePrivateNote,
  setActionItemDone,
  setAgendaItemDone,
  setCheckIn,
} from './one-on-ones.server'
import { prepPanel } from './prep.server'

/**
 * The page for a participant, with the manager's prep panel and the time zone the times are shown
 * in; null for anyone else (who then gets the same 404 as for a meeting that does not exist).
 */
export async function loadMeetingPage(ctx: AppContext, viewer: Viewer, meetingId: string) {
  const page = await getMeetingPage(ctx, { meetingId, viewerId: viewer.id })
  if (!page) return null
  const settings = await getSettings(ctx.db)
  // The prep panel is the report's current manager's alone (prepPanel checks): the report's own KPIs are not shown back as "talking points".
  const prep = page.role === 'manager' ? await prepPanel(ctx.db, { viewer, personId: page.report.id, teamId: page.report.teamId }) : null
  return { ...page, prep, timezone: viewer.timezone ?? settings.timezone }
}

export type MeetingPageData = NonNullable<Awaited<ReturnType<typeof loadMeetingPage>>>

/** Who acts on which meeting: each write checks again that the viewer takes part in it. */
export type MeetingInput = { ctx: AppContext; meetingId: string; viewerId: string }

export const meetingIntents: IntentTable<typeof meetingForms, MeetingInput, Outcome> = {
  'add-agenda': { schema: meetingForms['add-agenda'], handle: ({ ctx, ...m }, v) => addAgendaItem(ctx.db, { ...m, text: v.text }) },
  'move-agenda': { schema: meetingForms['move-agenda'], handle: ({ ctx, ...m }, v) => moveAgendaItem(ctx.db, { ...m, itemId: v.itemId, direction: v.direction }) },
  'tick-agenda': { schema: meetingForms['tick-agenda'], handle: ({ ctx, ...m }, v) => setAgendaItemDone(ctx.db, { ...m, itemId: v.itemId, done: v.done }) },
  'shared-notes': { schema: meetingForms['shared-notes'], handle: ({ ctx, ...m }, v) => saveSharedNotes(ctx.db, { ...m, notes: v.notes }) },
  'private-note': { schema: meetingForms['private-note'], handle: ({ ctx, ...m }, v) => savePrivateNote(ctx, { ...m, text: v.note }) },
  'add-action': { schema: meetingForms['add-action'], handle: ({ ctx, ...m }, v) => addActionItem(ctx.db, { ...m, text: v.text, owner: v.owner, dueOn: v.dueOn }) },
  'tick-action': { schema: meetingForms['tick-action'], handle: ({ ctx, ...m }, v) => setActionItemDone(ctx.db, { ...m, itemId: v.itemId, done: v.done }) },
  'check-in': { schema: meetingForms['check-in'], handle: ({ ctx, ...m }, v) => setCheckIn(ctx.db, { ...m, score: v.score }) },
  'mark-held': { schema: meetingForms['mark-held'], handle: ({ ctx, ...m }, v) => markHeld(ctx, { ...m, actualDurationMinutes: v.actualDurationMinutes }) },
}
