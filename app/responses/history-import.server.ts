/**
 * History import (issue 3, item 8): responses exported from another tool become one imported
 * survey with one round per calendar month. Every item is validated before anything is written;
 * the whole import is one transaction. Each response keeps its own submitted day, counts under
 * the person's current team, and follows the survey's privacy mode (anonymous → no person stored).
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { type Db, queryRows } from '#db/client'
import { answers, responses, surveyQuestions, surveyRounds, surveys } from '#db/schema'
import { type FrozenQuestion, type PrivacyMode, privacyModes } from '#db/schema/surveys'
import type { BatchItemError } from '~/api/errors.server'
import { type Actor, recordAudit } from '~/audit/audit.server'
import { getSettings } from '~/settings/settings.server'
import { type BankQuestion, ENPS_QUESTION, bankQuestion, withOrgName } from '~/surveys/question-bank'

export const MAX_IMPORT_RESPONSES = 20000
export const MAX_QUESTIONS = 10
const MAX_TEXT = 2000

export const historyImportSchema = z.object({
  survey: z.object({
    title: z.string({ error: 'survey.title is required: a text of 1 to 200 characters' }).trim().min(1, { error: 'survey.title must not be empty' }).max(200, { error: 'survey.title must be at most 200 characters' }),
    privacy: z.enum(privacyModes, { error: `survey.privacy must be one of ${privacyModes.join(', ')}` }),
  }),
  responses: z
    .array(z.unknown(), { error: 'responses must be a list of responses' })
    .min(1, { error: 'responses must hold at least one response' })
    .max(MAX_IMPORT_RESPONSES, { error: `at most ${MAX_IMPORT_RESPONSES} responses per import; split the history into several imports` }),
})

const itemSchema = z.object({
  email: z.string({ error: 'email is required' }).trim().min(1, { error: 'email is required' }),
  submittedAt: z.string({ error: 'submittedAt is required: an ISO 8601 date or date-time, e.g. 2026-01-15 or 2026-01-15T09:30:00Z' }),
  answers: z
    .array(
      z.object({
        question: z.string({ error: 'question is required: "enps" or a question-bank key' }),
        value: z.union([z.number(), z.string()], { error: 'value must be a number or a text' }),
      }),
      { error: 'answers must be a list of { question, value }' },
    )
    .min(1, { error: 'answers must hold at least one answer' }),
})

export type HistoryItem = z.output<typeof itemSchema>
export type HistoryImportInput = { survey: { title: string; privacy: PrivacyMode }; responses: unknown[] }

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/

/** The organisation-local day of an ISO 8601 date or date-time, or null when it is not one. */
export function localDay(value: string, timeZone: string): string | null {
  if (DATE_ONLY.test(value)) {
    const d = new Date(`${value}T12:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value) ? value : null
  }
  if (!DATE_TIME.test(value)) return null
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return null
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
}

function questionFor(key: string): BankQuestion | undefined {
  return key === 'enps' ? ENPS_QUESTION : bankQuestion(key)
}

/** Checks one answer's value against its question type; returns the message, or null when fine. */
export function answerProblem(question: BankQuestion, value: number | string): string | null {
  if (question.type === 'text') {
    if (typeof value !== 'string') return `question "${question.key}" is a free-text question: send the answer as text`
    if (value.trim() === '') return 'the answer is empty; leave the answer out instead'
    if (value.length > MAX_TEXT) return `the answer is longer than ${MAX_TEXT} characters`
    return null
  }
  const range: [number, number] =
    question.type === 'enps' ? [0, 10] : question.type === 'agreement' ? [1, 5] : question.type === 'rating' ? [1, 10] : [1, question.options?.length ?? 1]
  const what =
    question.type === 'enps'
      ? 'an eNPS score, a whole number from 0 to 10'
      : question.type === 'agreement'
        ? 'an agreement answer, a whole number from 1 (strongly disagree) to 5 (strongly agree)'
        : question.type === 'rating'
          ? 'a rating, a whole number from 1 to 10'
          : `the number of one of the ${range[1]} options, from 1 to ${range[1]}`
  if (typeof value !== 'number') return `question "${question.key}" takes ${what}, not text`
  if (!Number.isInteger(value) || value < range[0] || value > range[1]) return `${value} is out of range: question "${question.key}" takes ${what}`
  return null
}

type Person = { id: string; email: string; teamId: string | null }
type Valid = { personId: string; teamId: string | null; day: string; answers: { question: BankQuestion; value: number | string }[] }

export type HistoryImportResult =
  | { status: 'ok'; surveyId: string; rounds: number; responses: number; answers: number }
  | { status: 'invalid'; errors: BatchItemError[] }

/** Validates every item (people, dates, question keys, values) without writing anything. */
export async function validateHistory(db: Db, input: HistoryImportInput): Promise<{ ok: true; items: Valid[]; keys: string[] } | { ok: false; errors: BatchItemError[] }> {
  const settings = await getSettings(db)
  const errors: BatchItemError[] = []
  const parsed: (HistoryItem | null)[] = input.responses.map((raw, index) => {
    const result = itemSchema.safeParse(raw)
    if (result.success) return result.data
    for (const issue of result.error.issues) errors.push({ index, field: issue.path.map(String).join('.') || '(item)', message: issue.message })
    return null
  })
  const emails = [...new Set(parsed.flatMap((p) => (p ? [p.email.toLowerCase()] : [])))]
  const found = emails.length
    ? await queryRows<Person>(
        db,
        sql`select id::text as id, lower(email) as email, team_id::text as "teamId" from people
            where lower(email) in (${sql.join(emails.map((e) => sql`${e}`), sql`, `)})`,
      )
    : []
  const byEmail = new Map(found.map((p) => [p.email, p]))
  const today = localDay(new Date().toISOString(), settings.timezone)!
  // History is what came before Pulseboard: it lands in rounds of its own and may not reach into the
  // time of live rounds, where it could pad a small group's figures (docs/privacy.md).
  const [firstLive] = await queryRows<{ day: string | null }>(
    db,
    sql`select to_char(min(opens_at) at time zone ${settings.timezone}, 'YYYY-MM-DD') as day from survey_rounds where not imported`,
  )
  const liveFrom = firstLive?.day ?? null
  const keys: string[] = []
  const items: Valid[] = []
  parsed.forEach((item, index) => {
    if (!item) return
    const person = byEmail.get(item.email.toLowerCase())
    if (!person) errors.push({ index, field: 'email', message: `no person with the email ${item.email}; add them under People first` })
    const day = localDay(item.submittedAt.trim(), settings.timezone)
    if (!day) errors.push({ index, field: 'submittedAt', message: `"${item.submittedAt}" is not an ISO 8601 date or date-time (e.g. 2026-01-15 or 2026-01-15T09:30:00Z)` })
    else if (day > today) errors.push({ index, field: 'submittedAt', message: `${item.submittedAt} is in the future; history can only be in the past` })
    else if (liveFrom && day >= liveFrom.slice(0, 7) + '-01')
      errors.push({ index, field: 'submittedAt', message: `${item.submittedAt} falls in or after ${liveFrom.slice(0, 7)}, when Pulseboard's own rounds began (first round ${liveFrom}); history can only cover the months before it` })
    const seen = new Set<string>()
    const valid: Valid['answers'] = []
    item.answers.forEach((answer, j) => {
      const question = questionFor(answer.question)
      if (!question) {
        errors.push({ index, field: `answers.${j}.question`, message: `unknown question "${answer.question}": use "enps" or a key of the question bank (e.g. workload_manageable)` })
        return
      }
      if (seen.has(question.key)) {
        errors.push({ index, field: `answers.${j}.question`, message: `question "${question.key}" is answered twice in this response` })
        return
      }
      seen.add(question.key)
      const problem = answerProblem(question, answer.value)
      if (problem) {
        errors.push({ index, field: `answers.${j}.value`, message: problem })
        return
      }
      if (!keys.includes(question.key)) {
        if (keys.length >= MAX_QUESTIONS) {
          errors.push({ index, field: `answers.${j}.question`, message: `a survey holds at most ${MAX_QUESTIONS} questions and this import uses more (${[...keys, question.key].join(', ')}); import them as separate surveys` })
          return
        }
        keys.push(question.key)
      }
      valid.push({ question, value: typeof answer.value === 'string' ? answer.value.trim() : answer.value })
    })
    if (person && day) items.push({ personId: person.id, teamId: person.teamId, day, answers: valid })
  })
  return errors.length ? { ok: false, errors: errors.sort((a, b) => a.index - b.index) } : { ok: true, items, keys }
}

const CHUNK = 1000

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK))
  return out
}

/** Validates, then writes the survey, its monthly rounds, responses and answers in one transaction. */
export async function importHistory(db: Db, input: HistoryImportInput, actor: Actor): Promise<HistoryImportResult> {
  const checked = await validateHistory(db, input)
  if (!checked.ok) return { status: 'invalid', errors: checked.errors }
  const settings = await getSettings(db)
  const privacy = input.survey.privacy
  const questions = checked.keys.map((key) => questionFor(key)!)
  const frozen: FrozenQuestion[] = questions.map((q, i) => ({
    id: q.key,
    position: i + 1,
    type: q.type,
    driver: q.driver,
    required: false,
    text: withOrgName(q.text, settings.orgName),
    ...(q.options ? { options: q.options } : {}),
    bankKey: q.key,
    ...(q.type === 'enps' ? { scale: settings.enpsScale } : {}),
  }))
  const months = [...new Set(checked.items.map((i) => i.day.slice(0, 7)))].sort()
  const kind = questions.some((q) => q.type === 'enps') && questions.every((q) => q.type === 'enps' || q.type === 'text') ? 'enps' : 'pulse'

  return db.transaction(async (tx) => {
    const [survey] = await tx
      .insert(surveys)
      .values({ title: input.survey.title, kind, privacy, status: 'ended', cadence: 'monthly', imported: true, createdById: actor.actorId ?? null })
      .returning({ id: surveys.id })
    await tx.insert(surveyQuestions).values(
      questions.map((q, i) => ({ surveyId: survey.id, position: i + 1, type: q.type, driver: q.driver, required: false, text: withOrgName(q.text, settings.orgName), options: q.options ?? null, bankKey: q.key })),
    )
    // A round spans its calendar month in the organisation's time zone.
    const roundIds = new Map<string, string>()
    for (const month of months) {
      const id = randomUUID()
      roundIds.set(month, id)
      const start = `${month}-01`
      await tx.insert(surveyRounds).values({
        id,
        surveyId: survey.id,
        dueAt: sql`(${start}::date)::timestamp at time zone ${settings.timezone}`,
        opensAt: sql`(${start}::date)::timestamp at time zone ${settings.timezone}`,
        closesAt: sql`((${start}::date + interval '1 month')::date)::timestamp at time zone ${settings.timezone}`,
        status: 'closed',
        questions: frozen,
        privacy,
        thresholdScores: settings.thresholdScores,
        thresholdComments: settings.thresholdComments,
        imported: true,
      })
    }
    const responseRows = checked.items.map((item) => ({
      id: randomUUID(),
      surveyId: survey.id,
      roundId: roundIds.get(item.day.slice(0, 7))!,
      personId: privacy === 'anonymous' ? null : item.personId,
      teamId: item.teamId,
      submittedOn: item.day,
      imported: true,
    }))
    for (const chunk of chunks(responseRows)) await tx.insert(responses).values(chunk)
    const answerRows = checked.items.flatMap((item, i) =>
      item.answers.map(({ question, value }) => ({
        responseId: responseRows[i].id,
        questionKey: question.key,
        type: question.type,
        driver: question.driver,
        // A choice is given as its 1-based option number (as people count) but stored as the
        // 0-based index with its English label, exactly as the respondent page stores it.
        valueNumber: typeof value === 'number' ? (question.type === 'choice' ? value - 1 : value) : null,
        valueText: typeof value === 'string' ? value : question.type === 'choice' && typeof value === 'number' ? (question.options?.[value - 1]?.en ?? null) : null,
      })),
    )
    for (const chunk of chunks(answerRows)) await tx.insert(answers).values(chunk)
    await recordAudit(tx, { ...actor, action: 'responses.imported', target: survey.id, details: { title: input.survey.title, privacy, rounds: months.length, responses: responseRows.length } })
    return { status: 'ok' as const, surveyId: survey.id, rounds: months.length, responses: responseRows.length, answers: answerRows.length }
  })
}
