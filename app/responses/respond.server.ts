/**
 * The respondent flow behind /s/<token>: find the invitation from the token's hash, show the
 * round's frozen questions, and record one response per invitation under the round's privacy mode
 * (docs/privacy.md). Anonymous responses keep only the team at the time and the day.
 */
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { queryRows } from '#db/client'
import type { Settings } from '#db/schema'
import type { FrozenQuestion, PrivacyMode } from '#db/schema/surveys'
import { hashToken } from '~/auth/tokens.server'
import { newReplyLink } from '~/replies/replies.server'
import type { AppContext } from '~/context'
import { type Messages, messagesFor } from '~/i18n'
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

/**
 * What /s/<token> shows. Unknown and closed say nothing about the survey or the person. `settings`
 * lets a caller that already reads them (the page's request reads them once, see requestSettings)
 * pass them in; the look-up and that read then run at the same time.
 */
export async function loadSurveyPage(ctx: AppContext, token: string, settings: Settings | Promise<Settings> = getSettings(ctx.db)): Promise<SurveyPage> {
  const [found, { defaultLocale, orgName }] = await Promise.all([findByToken(ctx, token), settings])
  if (!found || !found.active) return { state: 'invalid', locale: null }
  const locale = found.locale ?? defaultLocale
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
    orgName,
  }
}

/** The range of an eNPS answer for the scale frozen into the round. */
export function enpsMin(q: FrozenQuestion) {
  return q.scale === '0-10' ? 0 : 1
}

/** The form field of a question: q1 … q10 by position. */
export const fieldName = (q: FrozenQuestion) => `q${q.position}`

/**
 * Schemas already made, by language and questions: a round's questions are frozen, and making a
 * schema (zod compiles each object schema on first use) costs more than the validation itself.
 */
const schemas = new Map<string, ReturnType<typeof makeAnswersSchema>>()
const SCHEMAS_KEPT = 200

/** The answers' schema for one round's questions: required questions, ranges, choices, lengths. */
export function answersSchema(questions: FrozenQuestion[], locale: Locale) {
  const key = `${locale}\n${JSON.stringify(questions)}`
  let schema = schemas.get(key)
  if (!schema) {
    if (schemas.size >= SCHEMAS_KEPT) schemas.clear()
    schema = makeAnswersSchema(questions, messagesFor(locale))
    schemas.set(key, schema)
  }
  return schema
}

function makeAnswersSchema(questions: FrozenQuestion[], t: Messages) {
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
 * Records the answers of one invitation, once, in a single statement: the invitation is marked
 * answered with `responded_at is null` as the condition, and the response and its answers are
 * inserted from that update's row only. A concurrent submit of the same invitation waits for the
 * first one's row lock, then finds it answered and stores nothing, so a double click or a reused
 * link stores nothing more. One statement is one transaction: all of it is stored or none.
 *
 * `known` skips the look-up when the caller has just loaded the open page (and the settings) for
 * the same token; the update re-checks the round and the invitation in any case.
 */
export async function submitResponse(
  ctx: AppContext,
  token: string,
  answers: Record<string, string | number | undefined>,
  known?: { page: Extract<SurveyPage, { state: 'open' }>; settings: Settings },
): Promise<SubmitResult> {
  let invitationId: string
  let questions: FrozenQuestion[]
  let settings: Settings
  if (known) {
    ;({ invitationId, questions } = known.page)
    settings = known.settings
  } else {
    const [found, current] = await Promise.all([findByToken(ctx, token), getSettings(ctx.db)])
    if (!found || !found.active) return { status: 'invalid' }
    if (found.respondedAt) return { status: 'answered' }
    if (!found.open) return { status: 'closed' }
    ;({ invitationId, questions } = found)
    settings = current
  }
  const rows = questions
    .map((q) => {
      const value = answers[fieldName(q)]
      if (value === undefined || value === '') return null
      const isText = q.type === 'text'
      const optionLabel = q.type === 'choice' ? (q.options?.[Number(value)]?.en ?? null) : null
      return { key: q.id, type: q.type, driver: q.driver, number: isText ? null : Number(value), text: isText ? String(value) : optionLabel }
    })
    .filter((x) => x !== null)
  // A comment can be replied to; its author reads replies through this response's private link.
  const reply = rows.some((r) => r.type === 'text') ? newReplyLink() : null
  // Anonymous: no person, no invitation, no time of day — only the team now and the day (docs/privacy.md).
  const [response] = await queryRows<{ id: string }>(
    ctx.db,
    sql`with won as (
          update invitations i set responded_at = now()
          from survey_rounds r, people p
          where i.id = ${invitationId} and i.responded_at is null
            and r.id = i.round_id and r.status = 'open' and r.closes_at > now() and p.id = i.person_id
          returning i.id as invitation_id, i.person_id, p.team_id, r.survey_id, r.id as round_id, r.privacy
        ),
        response as (
          insert into responses (survey_id, round_id, person_id, invitation_id, team_id, submitted_on, reply_token_hash)
          select survey_id, round_id,
            case when privacy = 'anonymous' then null else person_id end,
            case when privacy = 'anonymous' then null else invitation_id end,
            team_id, (now() at time zone ${settings.timezone})::date, ${reply?.hash ?? null}
          from won
          returning id
        ),
        stored as (
          insert into answers (response_id, question_key, type, driver, value_number, value_text)
          select response.id, a->>'key', a->>'type', a->>'driver', (a->>'number')::smallint, a->>'text'
          from response, jsonb_array_elements(${JSON.stringify(rows)}::jsonb) a
        )
        select id from response`,
  )
  if (!response) {
    const again = await findByToken(ctx, token)
    return { status: again?.respondedAt ? 'answered' : 'closed' }
  }
  return { status: 'recorded', responseId: response.id, replyToken: reply?.token ?? null }
}
