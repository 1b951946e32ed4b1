import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { notFound, requirePermission, requireUuid } from '~/auth/guards.server'
import { intentSchema, postedIntent, runIntent } from '~/forms/intents'
import { messagesFor } from '~/i18n'
import { designerIntents, loadDesignerPage } from '~/surveys/designer.server'
import { SurveyDesignerView } from '~/surveys/designer-view'

export const meta: MetaFunction = () => [{ title: 'Survey designer · Pulseboard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context.app
  await requirePermission(ctx, request, 'surveys:design')
  const page = await loadDesignerPage(ctx, requireUuid(params.surveyId))
  if (!page) notFound()
  return page
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requirePermission(ctx, request, 'surveys:design')
  const surveyId = requireUuid(params.surveyId)
  const t = messagesFor(viewer.locale ?? 'en')
  const submission = parseWithZod(await request.formData(), { schema: intentSchema(designerIntents, t) })
  if (submission.status !== 'success') {
    // A status button has no field to show an error on: its refusal is the page's notice.
    if (postedIntent(designerIntents, submission.payload) === 'status') return data({ notice: 'error' as const, message: t.surveys.errors.noQuestions }, { status: 400 })
    // An intent of Conform's (adding, moving or removing a question) is answered with the form as it is now.
    return data({ result: submission.reply() }, { status: submission.status === 'error' ? 400 : 200 })
  }
  const outcome = await runIntent(designerIntents, { ctx, surveyId, viewerId: viewer.id, t }, submission.value)
  switch (outcome.status) {
    case 'not-found':
      return notFound()
    case 'refused':
      return data({ notice: 'error' as const, message: outcome.message }, { status: 409 })
    case 'invalid':
      return data({ result: submission.reply({ fieldErrors: outcome.fieldErrors }) }, { status: 400 })
    case 'ended':
      return data({ result: submission.reply({ formErrors: [t.surveys.errors.ended] }) }, { status: 409 })
    case 'done':
      return outcome.notice === 'saved' ? { result: submission.reply(), notice: outcome.notice } : { notice: outcome.notice }
  }
}

export default function SurveyDesigner() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return <SurveyDesignerView data={page} actionData={actionData} />
}
