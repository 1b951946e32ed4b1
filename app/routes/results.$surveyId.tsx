import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { forbidden, requireManagerOr } from '~/auth/guards.server'
import { messagesFor } from '~/i18n'
import { resultsFilterSchema, surveyResults } from '~/responses/results.server'
import { SurveyResultsView } from '~/responses/results-view'
import { viewerScope } from '~/auth/scope.server'
import type { ReplyActionData } from '~/replies/comment-threads'
import { commentThreads, mayReplyAtAll, replyScope, replyToComment } from '~/replies/replies.server'
import { replySchema } from '~/replies/reply-schema'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.results.survey.title ?? 'Results'} · Pulseboard` }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requireManagerOr(ctx, request, 'results:org')
  const scope = await viewerScope(ctx.db, viewer)
  if (scope.kind === 'none') forbidden()
  const filter = resultsFilterSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!filter.success) throw new Response('Bad filter', { status: 400 })
  const outcome = await surveyResults(ctx.db, viewer, scope, { surveyId: params.surveyId ?? '', ...filter.data })
  if (outcome.status === 'forbidden') forbidden()
  if (outcome.status === 'not_found') throw new Response('Not found', { status: 404 })
  const r = outcome.results
  // The shown comments again, each with its replies and an opaque reference to reply through.
  const comments = r.round && !r.selected.comments.suppressed ? await commentThreads(ctx, viewer, scope, { roundId: r.round.id, groupId: r.group.id ?? 'org' }) : null
  return { results: r, comments }
}

/**
 * A reply to a comment: hr to any comment shown to them, a manager to those of their own teams.
 * replyToComment checks again that the comment is shown to this viewer before writing anything.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requireManagerOr(ctx, request, 'results:org')
  if (!mayReplyAtAll(await replyScope(ctx.db, viewer))) forbidden()
  const t = messagesFor(viewer.locale ?? 'en')
  const formData = await request.formData()
  const ref = String(formData.get('ref') ?? '')
  const submission = parseWithZod(formData, { schema: replySchema(t) })
  if (submission.status !== 'success') return data<ReplyActionData>({ ref, result: submission.reply() }, { status: 400 })
  const outcome = await replyToComment(ctx, viewer, { surveyId: params.surveyId ?? '', ref, body: submission.value.body })
  if (outcome.status === 'invalid_reference') return data<ReplyActionData>({ ref, result: submission.reply({ formErrors: [t.replies.invalidReference] }) }, { status: 400 })
  if (outcome.status === 'not_allowed') return data<ReplyActionData>({ ref, result: submission.reply({ formErrors: [t.replies.notAllowed] }) }, { status: 403 })
  const url = new URL(request.url)
  throw redirect(`${url.pathname}${url.search}`)
}

export default function SurveyResultsPage() {
  const { results, comments } = useLoaderData<typeof loader>()
  const replyResult = useActionData<typeof action>()
  return <SurveyResultsView results={results} comments={comments} replyResult={replyResult} />
}
