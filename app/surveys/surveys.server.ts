/**
 * Survey design: create, edit, list, and the schedule's status. Rounds keep frozen copies of the
 * questions, so editing here changes future rounds only.
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { people, teams } from '#db/schema/people'
import { type Audience, type Bilingual, surveyQuestions, surveys } from '#db/schema/surveys'
import { recordAudit } from '~/audit/audit.server'
import { roundParticipation } from '~/responses/published.server'
import { getSettings } from '~/settings/settings.server'
import { type Cadence, nextDueAt } from './cadence'
import { TEMPLATES, type TemplateKey, bankQuestion, withOrgName } from './question-bank'
import type { QuestionInput, SurveyInput } from './survey-schema'

export type SurveyStatus = 'draft' | 'active' | 'paused' | 'ended'

export type SurveyListItem = {
  id: string
  title: string
  kind: 'pulse' | 'enps'
  privacy: 'anonymous' | 'confidential' | 'identified'
  status: SurveyStatus
  cadence: Cadence
  nextDueAt: string | null
  questionCount: number
  lastRound: null | RoundCounts
}

/**
 * Delivery counts of a round, with how many answered as the published layer allows it
 * (app/responses/published.server.ts roundParticipation): null with `respondedFewerThan` for a
 * closed round below the threshold, null for an open round of too few invitees.
 */
export type RoundCounts = { id: string; dueAt: string; closesAt: string; status: 'open' | 'closed'; invited: number; sent: number; failed: number; rejected: number; responded: number | null; respondedFewerThan: number | null }

type ListRow = Omit<SurveyListItem, 'lastRound' | 'nextDueAt'> & {
  nextDueAt: Date | string | null
  roundId: string | null
  roundDueAt: Date | string | null
  roundClosesAt: Date | string | null
  roundStatus: 'open' | 'closed' | null
  invited: number | null
  sent: number | null
  failed: number | null
  rejected: number | null
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString())

/** Every designed survey (imported history excluded) with its last round's delivery counts, counted in SQL. */
export async function listSurveys(db: Db): Promise<SurveyListItem[]> {
  const rows = await queryRows<ListRow>(
    db,
    sql`
      select s.id, s.title, s.kind, s.privacy, s.status, s.cadence, s.next_due_at as "nextDueAt",
        (select count(*)::int from survey_questions q where q.survey_id = s.id) as "questionCount",
        r.id as "roundId", r.due_at as "roundDueAt", r.closes_at as "roundClosesAt", r.status as "roundStatus",
        c.invited, c.sent, c.failed, c.rejected
      from surveys s
      left join lateral (
        select id, due_at, closes_at, status from survey_rounds where survey_id = s.id order by due_at desc limit 1
      ) r on true
      left join lateral (
        select count(*)::int as invited,
          count(*) filter (where delivery_status = 'sent')::int as sent,
          count(*) filter (where delivery_status = 'failed')::int as failed,
          count(*) filter (where delivery_status = 'rejected')::int as rejected
        from invitations where round_id = r.id
      ) c on true
      where not s.imported
      order by s.created_at desc`,
  )
  const answered = await roundParticipation(db, rows.flatMap((r) => (r.roundId ? [r.roundId] : [])))
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    privacy: r.privacy,
    status: r.status,
    cadence: r.cadence,
    nextDueAt: iso(r.nextDueAt),
    questionCount: r.questionCount,
    lastRound: r.roundId
      ? {
          id: r.roundId,
          dueAt: iso(r.roundDueAt)!,
          closesAt: iso(r.roundClosesAt)!,
          status: r.roundStatus!,
          invited: r.invited ?? 0,
          sent: r.sent ?? 0,
          failed: r.failed ?? 0,
          rejected: r.rejected ?? 0,
          responded: answered.get(r.roundId)?.responded ?? null,
          respondedFewerThan: answered.get(r.roundId)?.fewerThan ?? null,
        }
      : null,
  }))
}

export type SurveyDetail = Awaited<ReturnType<typeof getSurvey>>

export async function getSurvey(db: Db, surveyId: string) {
  const [survey] = await db.select().from(surveys).where(and(eq(surveys.id, surveyId), eq(surveys.imported, false)))
  if (!survey) return null
  const questions = await db.select().from(surveyQuestions).where(eq(surveyQuestions.surveyId, surveyId)).orderBy(asc(surveyQuestions.position))
  return { ...survey, questions }
}

/** Each round of a survey with its delivery and response counts (aggregated in SQL). */
export async function listRounds(db: Db, surveyId: string): Promise<RoundCounts[]> {
  const rows = await queryRows<{ id: string; dueAt: string | Date; closesAt: string | Date; status: 'open' | 'closed'; invited: number; sent: number; failed: number; rejected: number }>(
    db,
    sql`
      select r.id, r.due_at as "dueAt", r.closes_at as "closesAt", r.status,
        count(i.id)::int as invited,
        count(i.id) filter (where i.delivery_status = 'sent')::int as sent,
        count(i.id) filter (where i.delivery_status = 'failed')::int as failed,
        count(i.id) filter (where i.delivery_status = 'rejected')::int as rejected
      from survey_rounds r left join invitations i on i.round_id = r.id
      where r.survey_id = ${surveyId}
      group by r.id
      order by r.due_at desc
      limit 50`,
  )
  const answered = await roundParticipation(db, rows.map((r) => r.id))
  return rows.map((r) => ({ ...r, dueAt: iso(r.dueAt)!, closesAt: iso(r.closesAt)!, responded: answered.get(r.id)?.responded ?? null, respondedFewerThan: answered.get(r.id)?.fewerThan ?? null }))
}

function toAudience(input: SurveyInput['audience']): Audience {
  if (input.type === 'teams') return { type: 'teams', teamIds: [...new Set(input.teamIds)] }
  if (input.type === 'people') return { type: 'people', personIds: [...new Set(input.personIds)] }
  return { type: 'everyone' }
}

function questionRows(surveyId: string, questions: QuestionInput[]) {
  return questions.map((q, i) => ({
    surveyId,
    position: i + 1,
    type: q.type,
    driver: q.driver,
    required: q.required,
    text: q.text as Bilingual,
    options: (q.options ?? null) as Bilingual[] | null,
    bankKey: q.bankKey ?? null,
  }))
}

export type DesignProblem = { field: string; message: string }

/** Chosen teams and people must exist (and people be active): checked in SQL before anything is written. */
export async function checkAudience(db: Db, audience: SurveyInput['audience'], messages: { unknownTeams: string; unknownPeople: string }): Promise<DesignProblem[]> {
  if (audience.type === 'teams') {
    const [row] = await queryRows<{ missing: number }>(
      db,
      sql`select count(*)::int as missing from jsonb_array_elements_text(${JSON.stringify(audience.teamIds)}::jsonb) x(id)
          where not exists (select 1 from teams t where t.id = x.id::uuid)`,
    )
    if (row.missing) return [{ field: 'audience.teamIds', message: messages.unknownTeams }]
  }
  if (audience.type === 'people') {
    const [row] = await queryRows<{ missing: number }>(
      db,
      sql`select count(*)::int as missing from jsonb_array_elements_text(${JSON.stringify(audience.personIds)}::jsonb) x(id)
          where not exists (select 1 from people p where p.id = x.id::uuid and p.active)`,
    )
    if (row.missing) return [{ field: 'audience.personIds', message: messages.unknownPeople }]
  }
  return []
}

function scheduleOf(s: { cadence: Cadence; sendDay: number; sendTime: string; startsOn: string | null; quietPeriods: SurveyInput['quietPeriods'] }, timezone: string) {
  return { cadence: s.cadence, sendDay: s.sendDay, sendTime: s.sendTime, startsOn: s.startsOn, quietPeriods: s.quietPeriods, timezone }
}

/** The first due time of a schedule that starts (or restarts) now. */
export async function firstDueAt(db: Db, s: Parameters<typeof scheduleOf>[0], now = new Date()): Promise<Date | null> {
  // A one-off survey without a start day goes out as soon as it is started.
  if (s.cadence === 'once' && !s.startsOn) return new Date(Math.floor(now.getTime() / 1000) * 1000)
  const settings = await getSettings(db)
  return nextDueAt(scheduleOf(s, settings.timezone), now)
}

/** Creates a survey with its questions in one transaction; validated input only. */
export async function createSurvey(db: Db, createdById: string | null, input: SurveyInput, now = new Date()): Promise<{ id: string }> {
  const status: SurveyStatus = input.activate ? 'active' : 'draft'
  const values = designValues(input)
  const next = status === 'active' ? await firstDueAt(db, values, now) : null
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(surveys)
      .values({ ...values, status, nextDueAt: next, createdById })
      .returning({ id: surveys.id })
    if (input.questions.length) await tx.insert(surveyQuestions).values(questionRows(row.id, input.questions))
    return row
  })
}

function designValues(input: SurveyInput) {
  return {
    title: input.title,
    kind: input.kind,
    privacy: input.privacy,
    cadence: input.cadence,
    sendDay: input.sendDay,
    sendTime: input.sendTime,
    startsOn: input.startsOn ?? null,
    responseWindowDays: input.responseWindowDays,
    reminderDays: input.reminderDays,
    quietPeriods: input.quietPeriods,
    audience: toAudience(input.audience),
  }
}

/**
 * Replaces a survey's design. Rounds already created keep their frozen questions; an active
 * schedule is recomputed from now, since its day or time may have changed.
 */
export async function updateSurvey(db: Db, surveyId: string, input: SurveyInput, now = new Date(), actorId: string | null = null): Promise<'ok' | 'not-found' | 'ended'> {
  const current = await getSurvey(db, surveyId)
  if (!current) return 'not-found'
  if (current.status === 'ended') return 'ended'
  const values = designValues(input)
  const activate = input.activate && current.status === 'draft'
  const status = activate ? 'active' : current.status
  const next = status === 'active' ? await firstDueAt(db, values, now) : current.nextDueAt
  await db.transaction(async (tx) => {
    await tx
      .update(surveys)
      .set({ ...values, status, nextDueAt: next, updatedAt: now })
      .where(eq(surveys.id, surveyId))
    await tx.delete(surveyQuestions).where(eq(surveyQuestions.surveyId, surveyId))
    if (input.questions.length) await tx.insert(surveyQuestions).values(questionRows(surveyId, input.questions))
    if (current.privacy !== input.privacy) await recordAudit(tx, { actorId, action: 'survey.privacy_changed', target: surveyId, details: { title: input.title, from: current.privacy, to: input.privacy } })
  })
  return 'ok'
}

/** Start (draft → active), pause, resume (from now on: no catching up on rounds missed while paused) or end. */
export async function changeSurveyStatus(db: Db, surveyId: string, change: 'activate' | 'pause' | 'resume' | 'end', now = new Date()): Promise<'ok' | 'not-found' | 'not-allowed'> {
  const survey = await getSurvey(db, surveyId)
  if (!survey) return 'not-found'
  const allowed: Record<typeof change, SurveyStatus[]> = { activate: ['draft'], pause: ['active'], resume: ['paused'], end: ['draft', 'active', 'paused'] }
  if (!allowed[change].includes(survey.status)) return 'not-allowed'
  // A schedule without questions would create nothing: it cannot start.
  if ((change === 'activate' || change === 'resume') && survey.questions.length === 0) return 'not-allowed'
  if (change === 'pause') {
    await db.update(surveys).set({ status: 'paused', updatedAt: now }).where(eq(surveys.id, surveyId))
  } else if (change === 'end') {
    await db.update(surveys).set({ status: 'ended', nextDueAt: null, updatedAt: now }).where(eq(surveys.id, surveyId))
  } else {
    const next = await firstDueAt(db, survey, now)
    await db.update(surveys).set({ status: 'active', nextDueAt: next, updatedAt: now }).where(eq(surveys.id, surveyId))
  }
  return 'ok'
}

/** The designer's starting point for a template (or a blank survey), questions from the bank with the organisation's name. */
export async function draftFromTemplate(db: Db, template: TemplateKey | 'blank', locale: 'en' | 'it'): Promise<SurveyInput> {
  const settings = await getSettings(db)
  if (template === 'blank') {
    return {
      title: locale === 'it' ? 'Nuovo sondaggio' : 'New survey',
      kind: 'pulse',
      privacy: 'confidential',
      cadence: 'weekly',
      sendDay: 1,
      sendTime: '09:00',
      responseWindowDays: 5,
      reminderDays: [2, 4],
      quietPeriods: [],
      audience: { type: 'everyone', teamIds: [], personIds: [] },
      questions: [],
    }
  }
  const tpl = TEMPLATES[template]
  return {
    title: tpl.title[locale],
    kind: tpl.kind,
    privacy: 'confidential',
    cadence: tpl.cadence,
    sendDay: tpl.cadence === 'weekly' ? 1 : 1,
    sendTime: '09:00',
    responseWindowDays: 5,
    reminderDays: [2, 4],
    quietPeriods: [],
    audience: { type: 'everyone', teamIds: [], personIds: [] },
    questions: tpl.questionKeys.map((key) => {
      const q = bankQuestion(key)!
      return { type: q.type, driver: q.driver, required: q.required, text: withOrgName(q.text, settings.orgName), options: q.options, bankKey: q.key }
    }),
  }
}

/** A draft from a template (or a blank one), in the designer's language; nothing is sent until it is started. */
export async function createSurveyFromTemplate(db: Db, input: { template: TemplateKey | 'blank'; createdById: string; locale: 'en' | 'it' }): Promise<{ id: string }> {
  const draft = await draftFromTemplate(db, input.template, input.locale)
  return createSurvey(db, input.createdById, { ...draft, activate: false })
}

/** Choices for the audience pickers. */
export async function audienceChoices(db: Db) {
  const [teamChoices, personChoices] = await Promise.all([
    db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(sql`lower(${teams.name})`),
    db.select({ id: people.id, name: people.name, email: people.email }).from(people).where(eq(people.active, true)).orderBy(sql`lower(${people.name})`).limit(2000),
  ])
  return { teams: teamChoices, people: personChoices }
}

export type SaveResult = { ok: true; id: string } | { ok: false; problems: DesignProblem[] } | { ok: false; reason: 'not-found' | 'ended' }

/**
 * The designer's and the API's save: the audience is checked against the database first, then the
 * survey is created or replaced. Nothing is written when anything is wrong.
 */
export async function saveSurveyDesign(db: Db, input: SurveyInput, options: { surveyId?: string; createdById: string | null; messages: { unknownTeams: string; unknownPeople: string } }): Promise<SaveResult> {
  const problems = await checkAudience(db, input.audience, options.messages)
  if (problems.length) return { ok: false, problems }
  if (!options.surveyId) return { ok: true, id: (await createSurvey(db, options.createdById, input)).id }
  const outcome = await updateSurvey(db, options.surveyId, input, new Date(), options.createdById)
  return outcome === 'ok' ? { ok: true, id: options.surveyId } : { ok: false, reason: outcome }
}
