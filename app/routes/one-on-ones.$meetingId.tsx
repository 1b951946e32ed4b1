import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { notFound, requireUuid, requireViewer } from '~/auth/guards.server'
import { intentSchema, postedIntent, runIntent } from '~/forms/intents'
import { messagesFor } from '~/i18n'
import { loadMeetingPage, meetingIntents } from '~/one-on-ones/meeting.server'
import { MeetingView, meetingSection } from '~/one-on-ones/meeting-view'
import type { Outcome } from '~/one-on-ones/one-on-ones.server'

export const meta: MetaFunction = () => [{ title: '1:1 · Pulseboard' }]

/** A write the viewer may not make (403), or one the meeting no longer takes once it was marked held (409). */
const refusalStatus: Record<Exclude<Outcome, 'ok' | 'not-found'>, number> = { forbidden: 403, locked: 409 }

// Anyone but the two participants gets the same 404 as for a meeting that does not exist.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requireViewer(ctx, request)
  const meetingId = requireUuid(params.meetingId)
  const page = await loadMeetingPage(ctx, viewer, meetingId)
  if (!page) notFound()
  return page
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requireViewer(ctx, request)
  const meetingId = requireUuid(params.meetingId)
  const t = messagesFor(viewer.locale ?? 'en')
  const submission = parseWithZod(await request.formData(), { schema: intentSchema(meetingIntents, t) })
  if (submission.status !== 'success') return data({ intent: postedIntent(meetingIntents, submission.payload), result: submission.reply() }, { status: 400 })
  const { intent } = submission.value
  const outcome = await runIntent(meetingIntents, { ctx, meetingId, viewerId: viewer.id }, submission.value)
  if (outcome === 'not-found') notFound()
  if (outcome !== 'ok') return data({ intent, result: submission.reply({ formErrors: [t.oneOnOnes.errors[outcome]] }) }, { status: refusalStatus[outcome] })
  // Post/redirect/get: a plain form post (JavaScript off) lands back on the page, at the section it changed.
  throw redirect(`/one-on-ones/${meetingId}?saved=${intent}#${meetingSection(intent)}`)
}

export default function MeetingPage() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return <MeetingView data={page} actionData={actionData} />
}
