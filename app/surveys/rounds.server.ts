/**
 * Rounds and invitations. Every write here is idempotent under concurrency: a round is unique per
 * (survey, due time) and an invitation per (round, person), so any number of workers running the
 * scheduler at once produce one round and one invitation per person.
 */
import { sql } from 'drizzle-orm'
import { queryRows } from '#db/client'
import type { FrozenQuestion, PrivacyMode, QuietPeriod } from '#db/schema/surveys'
import { type Actor, recordAudit } from '~/audit/audit.server'
import type { AppContext } from '~/context'
import { SEND_RETRY } from '~/jobs/catalog'
import { freezeClosedRounds } from '~/responses/freeze.server'
import { getSettings } from '~/settings/settings.server'
import { type Cadence, closesAt, nextDueAt, remindersDue } from './cadence'

type DueSurvey = {
  id: string
  cadence: Cadence
  sendDay: number
  sendTime: string
  startsOn: string | null
  quietPeriods: QuietPeriod[]
  responseWindowDays: number
  nextDueAt: Date | string
  /** The exact stored value (microseconds), for the compare-and-set; a JS Date keeps only milliseconds. */
  dueText: string
}

/**
 * Creates the round of `surveyId` due at `dueAt` (or finds the one another worker created), resolves
 * the audience (active people now, teams with their sub-teams) into invitations, and queues their
 * sending. Returns the round id.
 */
export async function createRound(ctx: AppContext, surveyId: string, dueAt: Date, now = new Date()): Promise<string | null> {
  const settings = await getSettings(ctx.db)
  const roundId = await ctx.db.transaction(async (tx) => {
    const [survey] = await queryRows<{ id: string; privacy: PrivacyMode; windowDays: number; status: string }>(
      tx,
      sql`select id, privacy, response_window_days as "windowDays", status from surveys where id = ${surveyId} and not imported`,
    )
    if (!survey || survey.status === 'ended') return null
    const questions = await queryRows<FrozenQuestion>(
      tx,
      sql`select id, position, type, driver, required, text, options, bank_key as "bankKey",
            case when type = 'enps' then ${settings.enpsScale} end as scale
          from survey_questions where survey_id = ${surveyId} order by position`,
    )
    if (!questions.length) return null
    const frozen = questions.map((q) => (q.scale ? q : (({ scale: _scale, ...rest }) => rest)(q)))
    const opens = dueAt.getTime() > now.getTime() ? dueAt : now
    const closes = closesAt(opens, survey.windowDays, settings.timezone)
    // The unique (survey_id, due_at) key makes the second worker's insert a no-op.
    const inserted = await queryRows<{ id: string }>(
      tx,
      sql`insert into survey_rounds (survey_id, due_at, opens_at, closes_at, questions, privacy, threshold_scores, threshold_comments)
          values (${surveyId}, ${dueAt.toISOString()}, ${opens.toISOString()}, ${closes.toISOString()}, ${JSON.stringify(frozen)}::jsonb,
                  ${survey.privacy}, ${settings.thresholdScores}, ${settings.thresholdComments})
          on conflict (survey_id, due_at) do nothing
          returning id`,
    )
    const id = inserted[0]?.id ?? (await queryRows<{ id: string }>(tx, sql`select id from survey_rounds where survey_id = ${surveyId} and due_at = ${dueAt.toISOString()}`))[0]?.id
    if (!id) return null
    await tx.execute(sql`
      with recursive s as (select audience from surveys where id = ${surveyId}),
      chosen_teams as (
        select t.id from teams t, s where s.audience->>'type' = 'teams'
          and t.id in (select x::uuid from jsonb_array_elements_text(s.audience->'teamIds') x)
        union
        select c.id from teams c join chosen_teams p on c.parent_id = p.id
      ),
      audience as (
        select p.id from people p, s where p.active and (
          s.audience->>'type' = 'everyone'
          or (s.audience->>'type' = 'teams' and p.team_id in (select id from chosen_teams))
          or (s.audience->>'type' = 'people' and p.id in (select x::uuid from jsonb_array_elements_text(s.audience->'personIds') x))
        )
      )
      insert into invitations (round_id, person_id)
      select ${id}, audience.id from audience
      on conflict (round_id, person_id) do nothing`)
    await tx.execute(sql`update survey_rounds set audience_size = (select count(*) from invitations where round_id = ${id}) where id = ${id}`)
    return id
  })
  if (roundId) await queueRoundSends(ctx, roundId)
  return roundId
}

/** One send job per invitation still to deliver, inserted in batches; the send job's claim makes duplicates harmless. */
export async function queueRoundSends(ctx: AppContext, roundId: string) {
  const pending = await queryRows<{ id: string }>(ctx.db, sql`select id from invitations where round_id = ${roundId} and delivery_status = 'pending' and token_hash is null`)
  for (let i = 0; i < pending.length; i += 500) {
    await ctx.jobs.boss.insert(
      pending.slice(i, i + 500).map((p) => ({ name: 'surveys.send-invitation', data: { invitationId: p.id }, singletonKey: p.id, ...SEND_RETRY })),
    )
  }
  const [round] = await queryRows<{ closesAt: string | Date }>(ctx.db, sql`select closes_at as "closesAt" from survey_rounds where id = ${roundId}`)
  if (round) await ctx.jobs.send('surveys.close-round', { roundId }, { startAfter: new Date(round.closesAt), singletonKey: roundId })
}


/**
 * The scheduler tick: every active survey whose next round is due gets it, then its next due time
 * moves on. Safe to run in several workers at the same moment.
 */
export async function runScheduler(ctx: AppContext, now = new Date()): Promise<{ rounds: string[] }> {
  const settings = await getSettings(ctx.db)
  const due = await queryRows<DueSurvey>(
    ctx.db,
    sql`select id, cadence, send_day as "sendDay", send_time as "sendTime", starts_on as "startsOn", quiet_periods as "quietPeriods",
          response_window_days as "responseWindowDays", next_due_at as "nextDueAt", next_due_at::text as "dueText"
        from surveys where status = 'active' and not imported and next_due_at <= ${now.toISOString()}
        order by next_due_at limit 100`,
  )
  const rounds: string[] = []
  for (const s of due) {
    const dueAt = new Date(s.nextDueAt)
    const roundId = await createRound(ctx, s.id, dueAt, now)
    if (roundId) rounds.push(roundId)
    // After a long outage, skip to the next due time after now rather than sending a burst of stale rounds.
    const schedule = { cadence: s.cadence, sendDay: s.sendDay, sendTime: s.sendTime, startsOn: s.startsOn, quietPeriods: s.quietPeriods, timezone: settings.timezone }
    const next = nextDueAt(schedule, dueAt.getTime() > now.getTime() ? dueAt : now)
    // Compare-and-set on the old value: concurrent workers compute the same next time; one writes it.
    await ctx.db.execute(sql`update surveys set next_due_at = ${next ? next.toISOString() : null}, updated_at = now()
      where id = ${s.id} and next_due_at = ${s.dueText}::timestamptz`)
  }
  return { rounds: [...new Set(rounds)] }
}

/** "Send a round now": a round due this very second, outside the regular schedule. */
export async function openRoundNow(ctx: AppContext, surveyId: string, now = new Date()): Promise<{ ok: true; roundId: string } | { ok: false; reason: 'not-found' | 'ended' | 'no-questions' }> {
  const [survey] = await queryRows<{ status: string; questions: number }>(
    ctx.db,
    sql`select status, (select count(*)::int from survey_questions q where q.survey_id = s.id) as questions from surveys s where id = ${surveyId} and not imported`,
  )
  if (!survey) return { ok: false, reason: 'not-found' }
  if (survey.status === 'ended') return { ok: false, reason: 'ended' }
  if (!survey.questions) return { ok: false, reason: 'no-questions' }
  const dueAt = new Date(Math.floor(now.getTime() / 1000) * 1000)
  const roundId = await createRound(ctx, surveyId, dueAt, now)
  if (!roundId) return { ok: false, reason: 'no-questions' }
  return { ok: true, roundId }
}

/**
 * "Close the open round now": ends a survey's open round before its window does (hr, when enough
 * have answered or the survey was sent by mistake) and freezes it at once, so its results show on
 * the next view. Audited. Nothing more can be answered on its links.
 */
export async function closeOpenRoundsNow(ctx: AppContext, surveyId: string, actor: Actor): Promise<{ ok: true; closed: number } | { ok: false; reason: 'not-found' | 'none-open' }> {
  const [survey] = await queryRows<{ id: string }>(ctx.db, sql`select id::text as id from surveys where id = ${surveyId}::uuid and not imported`)
  if (!survey) return { ok: false, reason: 'not-found' }
  const closed = await ctx.db.transaction(async (tx) => {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`update survey_rounds set status = 'closed', closes_at = least(closes_at, now()) where survey_id = ${surveyId}::uuid and status = 'open' returning id::text as id`,
    )
    if (rows.length) await recordAudit(tx, { ...actor, action: 'survey.round_closed', target: surveyId, details: { rounds: rows.length } })
    return rows.length
  })
  if (closed === 0) return { ok: false, reason: 'none-open' }
  await freezeClosedRounds(ctx.db)
  return { ok: true, closed }
}

/**
 * Closes the rounds whose window has ended (the respondent page also checks closes_at itself) and
 * freezes them into the published layer at once, so the first view after the close shows the
 * round's figures (app/responses/freeze.server.ts; a round that fails to freeze is retried by the
 * next tick and by any reader, through the sweep of closed rounds not frozen yet).
 */
export async function closeDueRounds(ctx: AppContext, now = new Date()): Promise<number> {
  const rows = await queryRows<{ id: string }>(ctx.db, sql`update survey_rounds set status = 'closed' where status = 'open' and closes_at <= ${now.toISOString()} returning id`)
  await freezeClosedRounds(ctx.db, 1000, { throwOnFailure: true })
  return rows.length
}

/**
 * Queues the reminders that are due: only invitations delivered and not answered, at the
 * configured days after opening, at most three per invitation.
 */
export async function runReminders(ctx: AppContext, now = new Date()): Promise<number> {
  const settings = await getSettings(ctx.db)
  const rounds = await queryRows<{ id: string; opensAt: string | Date; closesAt: string | Date; reminderDays: number[] }>(
    ctx.db,
    sql`select r.id, r.opens_at as "opensAt", r.closes_at as "closesAt", s.reminder_days as "reminderDays"
        from survey_rounds r join surveys s on s.id = r.survey_id
        where r.status = 'open' and r.closes_at > ${now.toISOString()} and s.status <> 'ended' and cardinality(s.reminder_days) > 0`,
  )
  let queued = 0
  for (const r of rounds) {
    const wanted = remindersDue(new Date(r.opensAt), new Date(r.closesAt), r.reminderDays, now, settings.timezone)
    if (!wanted) continue
    const targets = await queryRows<{ id: string; number: number }>(
      ctx.db,
      sql`select id, reminders_sent + 1 as number from invitations
          where round_id = ${r.id} and responded_at is null and delivery_status = 'sent' and reminders_sent < ${wanted}`,
    )
    if (!targets.length) continue
    await ctx.jobs.boss.insert(
      targets.map((t) => ({ name: 'surveys.send-reminder', data: { invitationId: t.id, number: t.number }, singletonKey: `${t.id}:${t.number}`, ...SEND_RETRY })),
    )
    queued += targets.length
  }
  return queued
}
