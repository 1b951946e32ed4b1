import { type SQL, sql } from 'drizzle-orm'
import { queryRows } from '#db/client'
import { recordAudit } from '~/audit/audit.server'
import type { AppContext } from '~/context'
import { NoteKeyMismatchError, decryptNote } from '~/one-on-ones/notes-crypto.server'

/** An instant as ISO 8601 UTC text, the same on PGlite and PostgreSQL. */
const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

type Row = Record<string, unknown>

/**
 * Everything Pulseboard holds about one person, for that person (the right of access and to data
 * portability). Every query is scoped by the person's own id: their profile, the responses linked
 * to them (confidential and identified; anonymous responses carry no person and cannot be found),
 * their invitations, the 1:1s they took part in with the shared notes, agenda and check-ins both
 * participants see, the action items of their pairs, and their own private notes decrypted —
 * never the other participant's private notes.
 */
export async function exportOwnData(ctx: Pick<AppContext, 'db' | 'env'>, personId: string) {
  const { db } = ctx
  const [profile] = await queryRows<Row>(
    db,
    sql`select p.id, p.name, p.email, p.role, p.locale, p.timezone, t.name as "team", m.name as "manager",
               p.crm_owner_keys as "crmOwnerKeys", p.active, p.weekly_digest as "weeklyDigest",
               to_char(p.started_on, 'YYYY-MM-DD') as "startedOn", to_char(p.left_on, 'YYYY-MM-DD') as "leftOn",
               ${iso(sql`p.created_at`)} as "createdAt", (p.password_hash is not null) as "hasPassword"
          from people p left join teams t on t.id = p.team_id left join people m on m.id = p.manager_id
         where p.id = ${personId}::uuid`,
  )
  if (!profile) return null
  const responses = await queryRows<Row & { id: string }>(
    db,
    sql`select r.id, s.title as survey, sr.privacy, to_char(r.submitted_on, 'YYYY-MM-DD') as "submittedOn", r.imported,
               coalesce((select jsonb_agg(jsonb_build_object(
                          'question', coalesce((select q->'text'->>'en' from jsonb_array_elements(sr.questions) q where q->>'id' = a.question_key), a.question_key),
                          'type', a.type, 'driver', a.driver, 'value', a.value_number, 'text', a.value_text,
                          'replies', coalesce((select jsonb_agg(jsonb_build_object('body', cr.body, 'at', ${iso(sql`cr.created_at`)}) order by cr.created_at)
                                               from comment_replies cr where cr.answer_id = a.id), '[]'::jsonb))
                        order by a.id) from answers a where a.response_id = r.id), '[]'::jsonb) as answers
          from responses r join surveys s on s.id = r.survey_id join survey_rounds sr on sr.id = r.round_id
         where r.person_id = ${personId}::uuid
         order by r.submitted_on, r.id`,
  )
  const invitations = await queryRows<Row>(
    db,
    sql`select s.title as survey, ${iso(sql`sr.opens_at`)} as "opensAt", ${iso(sql`sr.closes_at`)} as "closesAt",
               i.delivery_status as "deliveryStatus", ${iso(sql`i.sent_at`)} as "sentAt", i.reminders_sent as "remindersSent",
               ${iso(sql`i.responded_at`)} as "respondedAt"
          from invitations i join survey_rounds sr on sr.id = i.round_id join surveys s on s.id = sr.survey_id
         where i.person_id = ${personId}::uuid
         order by sr.opens_at, s.title`,
  )
  const meetings = await queryRows<Row & { id: string }>(
    db,
    sql`select o.id, case when o.manager_id = ${personId}::uuid then 'manager' else 'report' end as "myRole",
               other.name as "with", ${iso(sql`o.scheduled_at`)} as "scheduledAt", o.duration_minutes as "durationMinutes",
               ${iso(sql`o.held_at`)} as "heldAt", o.actual_duration_minutes as "actualDurationMinutes",
               o.shared_notes as "sharedNotes", o.check_in_score as "checkInScore", ${iso(sql`o.check_in_at`)} as "checkInAt",
               coalesce((select jsonb_agg(jsonb_build_object('text', g.text, 'done', g.done) order by g.position, g.created_at)
                           from one_on_one_agenda_items g where g.meeting_id = o.id), '[]'::jsonb) as agenda
          from one_on_ones o join people other on other.id = case when o.manager_id = ${personId}::uuid then o.report_id else o.manager_id end
         where o.manager_id = ${personId}::uuid or o.report_id = ${personId}::uuid
         order by o.scheduled_at, o.id`,
  )
  // author_id is the person exporting: the other participant's notes are never selected.
  const notes = await queryRows<{ meeting_id: string; ciphertext: string; iv: string; auth_tag: string; key_id: string; updated_at: string }>(
    db,
    sql`select meeting_id, ciphertext, iv, auth_tag, key_id, ${iso(sql`updated_at`)} as updated_at
          from one_on_one_private_notes where author_id = ${personId}::uuid`,
  )
  const actionItems = await queryRows<Row>(
    db,
    sql`select a.text, owner.name as owner, to_char(a.due_on, 'YYYY-MM-DD') as "dueOn", ${iso(sql`a.done_at`)} as "doneAt",
               ${iso(sql`a.created_at`)} as "createdAt"
          from one_on_one_action_items a join one_on_one_pairs pr on pr.id = a.pair_id join people owner on owner.id = a.owner_id
         where pr.manager_id = ${personId}::uuid or pr.report_id = ${personId}::uuid
         order by a.created_at, a.id`,
  )
  const privateNote = (meetingId: string) => {
    const note = notes.find((n) => n.meeting_id === meetingId)
    if (!note) return null
    try {
      return { text: decryptNote(ctx.env.NOTES_ENCRYPTION_KEY, { ciphertext: note.ciphertext, iv: note.iv, authTag: note.auth_tag, keyId: note.key_id }, { meetingId, authorId: personId }), updatedAt: note.updated_at }
    } catch (error) {
      if (!(error instanceof NoteKeyMismatchError)) throw error
      return { text: null, updatedAt: note.updated_at, unreadable: 'encrypted with a different key; ask your administrator' }
    }
  }
  return {
    exportedAt: new Date().toISOString(),
    profile,
    responses: responses.map(({ id: _id, ...r }) => r),
    invitations,
    oneOnOnes: meetings.map(({ id, ...m }) => ({ ...m, myPrivateNote: privateNote(id) })),
    checkIns: meetings.filter((m) => m.myRole === 'report' && m.checkInScore !== null).map((m) => ({ scheduledAt: m.scheduledAt, score: m.checkInScore, at: m.checkInAt })),
    actionItems,
  }
}

export type OwnDataExport = NonNullable<Awaited<ReturnType<typeof exportOwnData>>>

/** The export as the person downloads it, audited (who, when; not what). */
export async function exportOwnDataAudited(ctx: Pick<AppContext, 'db' | 'env'>, personId: string): Promise<OwnDataExport | null> {
  const data = await exportOwnData(ctx, personId)
  if (data) await recordAudit(ctx.db, { actorId: personId, action: 'person.data_exported', target: personId })
  return data
}
