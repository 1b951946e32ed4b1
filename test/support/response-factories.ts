import { randomUUID } from 'node:crypto'
import type { Db } from '#db/client'
import { answers, apiKeys, responses, surveyRounds, surveys } from '#db/schema'
import type { Role } from '#db/schema/people'
import type { FrozenQuestion, PrivacyMode, QuestionType } from '#db/schema/surveys'
import { eq } from 'drizzle-orm'
import { hashToken } from '~/auth/tokens.server'
import { freezeClosedRounds } from '~/responses/freeze.server'
import { periodCells, roundCells, roundGroups } from '~/responses/published.server'

/**
 * Surveys, rounds and responses written directly (no invitations, no sending), for results tests
 * and the demo seed. Answers name their question by the frozen question id.
 */
export async function createSurvey(db: Db, values: { title?: string; kind?: 'pulse' | 'enps'; privacy?: PrivacyMode; imported?: boolean } = {}) {
  const [survey] = await db
    .insert(surveys)
    .values({ title: values.title ?? 'Monthly eNPS', kind: values.kind ?? 'enps', privacy: values.privacy ?? 'confidential', status: 'active', cadence: 'monthly', imported: values.imported ?? false })
    .returning()
  return survey
}

export const enpsQuestion: FrozenQuestion = { id: 'enps', position: 1, type: 'enps', driver: null, required: true, text: { en: 'How likely is it that you would recommend us?', it: 'Quanto ci consiglieresti?' }, bankKey: 'enps', scale: '0-10' }
export const reasonQuestion: FrozenQuestion = { id: 'enps_reason', position: 2, type: 'text', driver: null, required: false, text: { en: 'Why?', it: 'Perché?' }, bankKey: 'enps_reason' }
export const workloadQuestion: FrozenQuestion = { id: 'workload_manageable', position: 3, type: 'agreement', driver: 'workload', required: true, text: { en: 'My workload is manageable.', it: 'Il mio carico di lavoro è gestibile.' }, bankKey: 'workload_manageable' }

export async function createRound(
  db: Db,
  values: { surveyId: string; opensAt: Date | string; privacy?: PrivacyMode; questions?: FrozenQuestion[]; thresholdScores?: number; thresholdComments?: number; status?: 'open' | 'closed'; imported?: boolean },
) {
  const opensAt = new Date(values.opensAt)
  const [round] = await db
    .insert(surveyRounds)
    .values({
      surveyId: values.surveyId,
      dueAt: opensAt,
      opensAt,
      closesAt: new Date(opensAt.getTime() + 5 * 86400000),
      status: values.status ?? 'closed',
      questions: values.questions ?? [enpsQuestion, reasonQuestion, workloadQuestion],
      privacy: values.privacy ?? 'confidential',
      thresholdScores: values.thresholdScores ?? 5,
      thresholdComments: values.thresholdComments ?? 5,
      imported: values.imported ?? false,
    })
    .returning()
  return round
}

export type AnswerInput = { key: string; type: QuestionType; driver?: string | null; value?: number; text?: string }

/** One response with its answers; anonymous rounds should pass personId: null. */
export async function createResponse(
  db: Db,
  values: { surveyId: string; roundId: string; personId: string | null; teamId: string | null; submittedOn: string; answers: AnswerInput[]; imported?: boolean },
) {
  const id = randomUUID()
  await db.insert(responses).values({ id, surveyId: values.surveyId, roundId: values.roundId, personId: values.personId, teamId: values.teamId, submittedOn: values.submittedOn, imported: values.imported ?? false })
  if (values.answers.length) {
    await db.insert(answers).values(
      values.answers.map((a) => ({ responseId: id, questionKey: a.key, type: a.type, driver: a.driver ?? null, valueNumber: a.value ?? null, valueText: a.text ?? null })),
    )
  }
  return id
}

/** Shorthand: eNPS score (and optional comment and workload answer) for each of several people. */
export async function answerEnps(
  db: Db,
  round: { id: string; surveyId: string },
  entries: { personId: string | null; teamId: string | null; score: number; comment?: string; workload?: number }[],
  submittedOn: string,
) {
  for (const e of entries) {
    const list: AnswerInput[] = [{ key: 'enps', type: 'enps', value: e.score }]
    if (e.comment !== undefined) list.push({ key: 'enps_reason', type: 'text', text: e.comment })
    if (e.workload !== undefined) list.push({ key: 'workload_manageable', type: 'agreement', driver: 'workload', value: e.workload })
    await createResponse(db, { surveyId: round.surveyId, roundId: round.id, personId: e.personId, teamId: e.teamId, submittedOn, answers: list })
  }
}

/** An API key with a role; returns the secret to send as a Bearer token. */
export async function createApiKey(db: Db, role: Role): Promise<string> {
  const key = `pb_test_${randomUUID().replace(/-/g, '')}`
  await db.insert(apiKeys).values({ name: `test ${role}`, prefix: key.slice(0, 10), keyHash: hashToken(key), role })
  return key
}

/**
 * Everything the published layer holds for a survey (app/responses/published.server.ts): each
 * round's frozen groups and cells, and its month buckets, as every screen reads them. Tests compare
 * it before and after an operation that must leave results unchanged.
 */
export async function publishedFigures(db: Db, surveyId: string) {
  const rounds = await db.select({ id: surveyRounds.id }).from(surveyRounds).where(eq(surveyRounds.surveyId, surveyId)).orderBy(surveyRounds.opensAt, surveyRounds.id)
  const ids = rounds.map((r) => r.id)
  const [groups, cells, months] = await Promise.all([
    roundGroups(db, ids),
    roundCells(db, ids),
    periodCells(db, { unit: 'month', from: '2000-01-01', to: '2099-12-31', measures: ['enps', 'driver:'], surveyId }),
  ])
  return { groups, cells, months: months.cells }
}

/** Closes rounds as the close job does (status closed, then frozen into the published layer). */
export async function closeRounds(db: Db, roundIds: string[]) {
  for (const id of roundIds) await db.update(surveyRounds).set({ status: 'closed' }).where(eq(surveyRounds.id, id))
  await freezeClosedRounds(db)
}
