/**
 * The respondent flow behind /s/<token>: find the invitation from the token's hash, show the
 * round's frozen questions, and record one response per invitation under the round's privacy mode
 * (DESIGN.md §5). Anonymous responses keep only the team at the time and the day.
 */
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { queryRows } from '#db/client'
import type { FrozenQuestion, PrivacyMode } from '#db/schema/surveys'
import { hashToken } from '~/auth/tokens.server'
import { issueReplyLink } from '~/replies/replies.server'
import type { AppContext } from '~/context.server'
import type { Messages } from '~/i18n'
import type { Locale } from '~/i18n/locale'
import { getSettings } from '~/settings/settings.server'

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{40,60}$/

export type SurveyPage =
  | { state: 'open'; invitationId: string; title: string; privacy: PrivacyMode; thresholdScores: number; questions: FrozenQuestion[]; locale: Locale; closesAt: string; orgName: string }
  | { state: 'answered'; locale: Locale }
  | { state: 'closed'; locale: Locale }
  | { state: 'invalid'; locale: Locale | null }

type Found = { invitationId: string; respondedAt: string | Date | null; open: boolean; title: string; privacy: PrivacyMode; thresholdScores: number; questions: FrozenQuestion[]; locale: Locale | null; closesAt: string | Date; active: boolean }

/** The invitation a token belongs to: the invitation email's token, or a reminder's or /me's. */
async function findByToken(ctx: AppContext, token: string): Promise<Found | null> {
  if (!TOKEN_PATTERN.test(token)) return null
  const hash = hashToken(token)
  const [row] = await queryRows<Found>(
    ctx.db,
    sql`with match as (
          select id from invitations where token_hash = ${hash}
          union all
          select invitation_id from invitation_links where token_hash = ${hash}
          limit 1
        )
        select i.id as "invitationId", i.responded_at as "respondedAt", (r.status = 'open' and r.closes_at > now()) as open,
          s.title, r.privacy, r.threshold_scores as "thresholdScores", r.questions, p.locale, r.closes_at as "closesAt", p.active
        from match m join invitations i on i.id = m.id join survey_rounds r on r.id = i.round_id
          join surveys s on s.id = r.survey_id join people p on p.id = i.person_id`,
  )
  return row ?? null
}

/** What /s/<token> shows. Unknown and closed say nothing about the survey or the person. */
export async function loadSurveyPage(ctx: AppContext, token: string): Promise<SurveyPage> {
  const found = await findByToken(ctx, token)
  const settings = await getSettings(ctx.db)
  if (!found || !found.active) return { state: 'invalid', locale: null }
  const locale = found.locale ?? settings.defaultLocale
  if (found.respondedAt) return { state: 'answered', locale }
  if (!found.open) return { state: 'closed', locale }
  return {
    state: 'open',
    invitationId: found.invitationId,
    title: found.title,
    privacy: found.privacy,
    thresholdScores: found.thresholdScores,
    questions: [...found.questions].sort((a, b) => a.position - b.position),
    locale,
    closesAt: new Date(found.closesAt).toISOString(),
    orgName: settings.orgName,
  }
}

/** The range of an eNPS answer for the scale frozen into the round. */
export function enpsMin(q: FrozenQuestion) {
  return q.scale === '0-10' ? 0 : 1
}

/** The form field of a question: q1 … q10 by position. */
export const fieldName = (q: FrozenQuestion) => `q${q.position}`

/** The answers' schema for one round's questions: required questions, ranges, choices, lengths. */
export function answersSchema(questions: FrozenQuestion[], t: Messages) {
  const r = t.surveys.respond
  const shape: Record<string, z.ZodType<string | number | undefined>> = {}
  for (const q of questions) {
    const [min, max] = q.type === 'enps' ? [enpsMin(q), 10] : q.type === 'agreement' ? [1, 5] : q.type === 'rating' ? [1, 10] : [0, (q.options?.length ?? 1) - 1]
    // Written out by hand: "missing" and "not one of the options" need different words.
    shape[fieldName(q)] = z.unknown().transform((raw, ctx): string | number | undefined => {
      const value = typeof raw === 'string' ? raw.trim() : raw
      if (value === undefined || value === null || value === '') {
        if (q.required) ctx.addIssue({ code: 'custom', message: r.answerRequired })
        return undefined
      }
      if (q.type === 'text') {
        if (typeof value !== 'string' || value.length > 2000) ctx.addIssue({ code: 'custom', message: r.tooLong })
        return String(value)
      }
      const n = Number(value)
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: r.invalidAnswer })
        return undefined
      }
      return n
    })
  }
  // Every question's key is present (blank when unanswered), so optional answers may come back empty.
  const blank = Object.fromEntries(questions.map((q) => [fieldName(q), '']))
  return z.preprocess((input) => ({ ...blank, ...(input as object) }), z.object(shape))
}

/** replyToken: the private link's token when the response holds a comment (shown once, stored only hashed). */
export type SubmitResult = { status: 'recorded'; responseId: string; replyToken: string | null } | { status: 'answered' | 'closed' | 'invalid' }

/**
 * Records the answers of one invitation, once. In a single transaction the invitation is marked
 * answered with `responded_at is null` as the condition; only the request that wins that update
 * stores a response, so a double click or a reused link stores nothing more.
 */
export async function submitResponse(ctx: AppContext, token: string, answers: Record<string, string | number | undefined>): Promise<SubmitResult> {
  const found = await findByToken(ctx, token)
  if (!found || !found.active) return { status: 'invalid' }
  if (found.respondedAt) return { status: 'answered' }
  if (!found.open) return { status: 'closed' }
  const settings = await getSettings(ctx.db)
  const result = await ctx.db.transaction(async (tx) => {
    const [won] = await queryRows<{ personId: string; teamId: string | null; surveyId: string; roundId: string; privacy: PrivacyMode; questions: FrozenQuestion[] }>(
      tx,
      sql`update invitations i set responded_at = now()
          from survey_rounds r, people p
          where i.id = ${found.invitationId} and i.responded_at is null
            and r.id = i.round_id and r.status = 'open' and r.closes_at > now() and p.id = i.person_id
          returning i.person_id as "personId", p.team_id as "teamId", r.survey_id as "surveyId", r.id as "roundId", r.privacy, r.questions`,
    )
    if (!won) return null
    const anonymous = won.privacy === 'anonymous'
    // Anonymous: no person, no invitation, no time of day — only the team now and the day (DESIGN.md §5).
    const [response] = await queryRows<{ id: string }>(
      tx,
      sql`insert into responses (survey_id, round_id, person_id, invitation_id, team_id, submitted_on)
          values (${won.surveyId}, ${won.roundId}, ${anonymous ? null : won.personId}, ${anonymous ? null : found.invitationId}, ${won.teamId},
                  (now() at time zone ${settings.timezone})::date)
          returning id`,
    )
    const rows = won.questions
      .map((q) => {
        const value = answers[fieldName(q)]
        if (value === undefined || value === '') return null
        const isText = q.type === 'text'
        const optionLabel = q.type === 'choice' ? (q.options?.[Number(value)]?.en ?? null) : null
        return { key: q.id, type: q.type, driver: q.driver, number: isText ? null : Number(value), text: isText ? String(value) : optionLabel }
      })
      .filter((x) => x !== null)
    if (rows.length) {
      await tx.execute(sql`insert into answers (response_id, question_key, type, driver, value_number, value_text)
        select ${response.id}, a->>'key', a->>'type', a->>'driver', (a->>'number')::smallint, a->>'text'
        from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) a`)
    }
    // A comment can be replied to; its author reads replies through this response's private link.
    const replyToken = rows.some((r) => r.type === 'text') ? await issueReplyLink(tx, response.id) : null
    return { responseId: response.id, replyToken }
  })
  if (!result) {
    const again = await findByToken(ctx, token)
    return { status: again?.respondedAt ? 'answered' : 'closed' }
  }
  return { status: 'recorded', ...result }
}
