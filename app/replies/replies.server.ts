/**
 * Replies to comments (issue 7): hr, or a manager for their own teams, replies to a comment shown
 * on the results page; the respondent reads the replies through the private link of their response
 * (and, for confidential surveys, on /me). The replier never learns who wrote the comment: the
 * page addresses a comment by an encrypted reference (reference.server.ts), a reply stores only
 * the answer it answers and its author, and nothing here returns a respondent's person, response,
 * answer or invitation id to the replier.
 *
 * Identified surveys: replying is allowed there too (respondents were told their names are
 * shown, so a reply reveals nothing new); their replies are read through the private link only,
 * as /me lists confidential surveys' replies. No email announces a reply: an anonymous respondent
 * has no address, and for the others /me and the private link are enough for now.
 */
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import type { Role } from '#db/schema/people'
import type { FrozenQuestion, PrivacyMode } from '#db/schema/surveys'
import { consume } from '~/auth/rate-limit.server'
import { clientIp } from '~/auth/session.server'
import { hashToken, randomToken } from '~/auth/tokens.server'
import type { AppContext } from '~/context'
import { shuffleComments } from '~/responses/anonymity'
import { commentTexts, roundGroups } from '~/responses/published.server'
import { type Scope, scopeCovers, viewerScope } from '~/auth/scope.server'
import { decodeCommentRef, encodeCommentRef } from './reference.server'
import type { CommentThread, CommentThreads, MyReply, PrivateReplies, ReplyView } from './types'

export type { CommentThread, CommentThreads, MyReply, PrivateComment, PrivateReplies, ReplyView } from './types'


/**
 * Whose comments a viewer may reply to: hr (comments:reply-org) any comment shown to them; anyone
 * else only comments of the teams they manage, whatever org-wide reading right their role gives.
 */
export async function replyScope(db: Db, viewer: { id: string; role: Role }): Promise<Scope> {
  return viewerScope(db, viewer, 'comments:reply-org')
}

export function mayReplyAtAll(scope: Scope): boolean {
  return scope.kind === 'org' || (scope.kind === 'teams' && scope.teamIds.length > 0)
}

/**
 * The comments of one round and group exactly as the results page shows them (the comment decision
 * frozen when the round closed), or null when the scope does not cover the group or its comments
 * are hidden.
 */
async function shownComments(db: Db, scope: Scope, roundId: string, groupId: string) {
  if (!scopeCovers(scope, groupId)) return null
  const [group] = (await roundGroups(db, [roundId])).filter((g) => g.groupKey === groupId && (g.kind === 'org' || g.kind === 'team'))
  if (!group || !group.comments.shown) return null
  return commentTexts(db, roundId, groupId)
}

/** The replies to some answers, oldest first, with their author's name and role (repliers are not anonymous). */
async function repliesTo(db: Db, answerIds: string[]): Promise<Map<string, ReplyView[]>> {
  const byAnswer = new Map<string, ReplyView[]>()
  if (answerIds.length === 0) return byAnswer
  const rows = await queryRows<ReplyView & { answerId: string }>(
    db,
    sql`select cr.answer_id::text as "answerId", cr.id::text as id, p.name as author, p.role, cr.body,
               to_char(cr.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "createdAt"
        from comment_replies cr left join people p on p.id = cr.author_id
        where cr.answer_id in (${sql.join(answerIds.map((id) => sql`${id}::bigint`), sql`, `)})
        order by cr.created_at, cr.id`,
  )
  for (const { answerId, ...reply } of rows) byAnswer.set(answerId, [...(byAnswer.get(answerId) ?? []), reply])
  return byAnswer
}

/**
 * Puts threads in the results page's comment order (shuffleComments: by text and seed only).
 * Identical texts are told apart by their reference, which follows no order of submission.
 */
function inCommentOrder(threads: CommentThread[], seed: string): CommentThread[] {
  const byText = new Map<string, CommentThread[]>()
  for (const thread of [...threads].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))) byText.set(thread.text, [...(byText.get(thread.text) ?? []), thread])
  return shuffleComments(threads, seed).map((text) => byText.get(text)!.shift()!)
}

/**
 * The comments of the results page with their replies and a reference each to reply through, for
 * a viewer who sees them under `pageScope`; null when the comments are hidden.
 */
export async function commentThreads(
  ctx: AppContext,
  viewer: { id: string; role: Role },
  pageScope: Scope,
  at: { roundId: string; groupId: 'org' | string },
): Promise<CommentThreads | null> {
  const rows = await shownComments(ctx.db, pageScope, at.roundId, at.groupId)
  if (!rows) return null
  const [scope, replies] = await Promise.all([replyScope(ctx.db, viewer), repliesTo(ctx.db, rows.map((r) => r.answerId))])
  const threads = rows.map((r) => ({
    ref: encodeCommentRef(ctx.env.SESSION_SECRET, { answerId: r.answerId, groupId: at.groupId }),
    text: r.text,
    replies: replies.get(r.answerId) ?? [],
  }))
  return { canReply: scopeCovers(scope, at.groupId), items: inCommentOrder(threads, `${at.roundId}:${at.groupId}`) }
}

export type ReplyOutcome = { status: 'saved' } | { status: 'invalid_reference' } | { status: 'not_allowed' }

/**
 * Stores a reply after checking again, on the server, that this viewer is shown this comment on
 * this survey's results under the thresholds in force now (the same decision as the page). The
 * reply row holds the answer, the author and the text: nothing about the respondent.
 */
export async function replyToComment(
  ctx: AppContext,
  viewer: { id: string; role: Role },
  input: { surveyId: string; ref: string; body: string },
): Promise<ReplyOutcome> {
  const ref = decodeCommentRef(ctx.env.SESSION_SECRET, input.ref)
  if (!ref) return { status: 'invalid_reference' }
  const scope = await replyScope(ctx.db, viewer)
  const [answer] = await queryRows<{ roundId: string; surveyId: string }>(
    ctx.db,
    sql`select r.round_id::text as "roundId", r.survey_id::text as "surveyId"
        from answers a join responses r on r.id = a.response_id
        where a.id = ${ref.answerId}::bigint and a.type = 'text'`,
  )
  if (!answer || answer.surveyId !== input.surveyId) return { status: 'not_allowed' }
  const shown = await shownComments(ctx.db, scope, answer.roundId, ref.groupId)
  if (!shown?.some((c) => c.answerId === ref.answerId)) return { status: 'not_allowed' }
  await ctx.db.execute(sql`insert into comment_replies (answer_id, author_id, body) values (${ref.answerId}::bigint, ${viewer.id}::uuid, ${input.body})`)
  return { status: 'saved' }
}

// ---------------------------------------------------------------------------------------------
// The respondent's side.

export const REPLY_TOKEN_PATTERN = /^[A-Za-z0-9_-]{40,60}$/

/**
 * A just-submitted response's private link: 256 random bits, of which only the SHA-256 is stored
 * (with the response, by the statement that inserts it). The token is shown once on the thank-you
 * page (never logged, never stored).
 */
export function newReplyLink(): { token: string; hash: string } {
  const token = randomToken()
  return { token, hash: hashToken(token) }
}


type CommentRow = { title: string; questions: FrozenQuestion[]; answerId: string; questionKey: string; text: string }

async function withReplies(db: Db, rows: CommentRow[]) {
  const replies = await repliesTo(db, rows.map((r) => r.answerId))
  return rows.map((r) => {
    const question = r.questions.find((q) => q.id === r.questionKey)
    return { surveyTitle: r.title, position: question?.position ?? 0, question: question?.text ?? null, text: r.text, replies: replies.get(r.answerId) ?? [] }
  })
}

/** The comments of the response a private link belongs to, with their replies; null for an unknown link. */
export async function repliesByToken(db: Db, token: string): Promise<PrivateReplies | null> {
  if (!REPLY_TOKEN_PATTERN.test(token)) return null
  const [response] = await queryRows<{ id: string; title: string; privacy: PrivacyMode; questions: FrozenQuestion[] }>(
    db,
    sql`select r.id::text as id, s.title, sr.privacy, sr.questions
        from responses r join survey_rounds sr on sr.id = r.round_id join surveys s on s.id = r.survey_id
        where r.reply_token_hash = ${hashToken(token)}`,
  )
  if (!response) return null
  const rows = await queryRows<Omit<CommentRow, 'title' | 'questions'>>(
    db,
    sql`select a.id::text as "answerId", a.question_key as "questionKey", a.value_text as text
        from answers a where a.response_id = ${response.id}::uuid and a.type = 'text' and coalesce(btrim(a.value_text), '') <> ''`,
  )
  const comments = (await withReplies(db, rows.map((r) => ({ ...r, title: response.title, questions: response.questions })))).sort((a, b) => a.position - b.position)
  return { surveyTitle: response.title, privacy: response.privacy, comments: comments.map(({ question, text, replies }) => ({ question, text, replies })) }
}

/**
 * For /me: the replies to the comments of this person's responses to confidential surveys (only
 * those are linked to a person; an anonymous response is reachable through its private link
 * alone). Most recently answered first.
 */
export async function myCommentReplies(db: Db, personId: string): Promise<MyReply[]> {
  const rows = await queryRows<CommentRow>(
    db,
    sql`select s.title, sr.questions, a.id::text as "answerId", a.question_key as "questionKey", a.value_text as text
        from responses r
        join survey_rounds sr on sr.id = r.round_id and sr.privacy = 'confidential'
        join surveys s on s.id = r.survey_id
        join answers a on a.response_id = r.id and a.type = 'text'
        join lateral (select max(cr.created_at) as latest from comment_replies cr where cr.answer_id = a.id) l on l.latest is not null
        where r.person_id = ${personId}::uuid
        order by l.latest desc, a.id
        limit 50`,
  )
  return (await withReplies(db, rows)).map(({ surveyTitle, question, text, replies }) => ({ surveyTitle, question, text, replies }))
}

/**
 * Private links are guessed like survey links: one limit per address, spent only by failed
 * look-ups, and a blocked address is refused before any look-up (as /s/<token>).
 */
export async function privateLinkBlocked(ctx: AppContext, request: Request): Promise<{ minutes: number } | null> {
  const state = await ctx.limits.tokenPerIp.get(clientIp(request).toLowerCase())
  if (state && state.remainingPoints <= 0) return { minutes: Math.ceil(state.msBeforeNext / 60000) }
  return null
}

export async function spendPrivateLinkAttempt(ctx: AppContext, request: Request) {
  await consume([ctx.limits.tokenPerIp, clientIp(request)])
}
