import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { notFound, requirePermission, requireUuid } from '~/auth/guards.server'
import { importRunIntents, loadImportRunPage } from '~/funnel/import-run.server'
import { ImportRunView } from '~/funnel/import-run-view'
import { intentSchema, postedIntent, runIntent } from '~/forms/intents'
import { messagesFor } from '~/i18n'

export const meta: MetaFunction = () => [{ title: 'CRM import · Pulseboard' }]

/** The page of rejected rows; anything but a whole number from 1 is the first. */
const pageSchema = z.coerce.number().int().min(1).catch(1)

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requirePermission(context.app, request, 'crm:import')
  const runId = requireUuid(params.runId)
  const page = pageSchema.parse(new URL(request.url).searchParams.get('page') ?? undefined)
  const run = await loadImportRunPage(context.app, { runId, page, t: messagesFor(viewer.locale ?? 'en') })
  if (!run) notFound()
  return run
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requirePermission(ctx, request, 'crm:import')
  const runId = requireUuid(params.runId)
  const t = messagesFor(viewer.locale ?? 'en')
  const submission = parseWithZod(await request.formData(), { schema: intentSchema(importRunIntents, t) })
  if (submission.status !== 'success') {
    return data({ intent: postedIntent(importRunIntents, submission.payload), result: submission.reply({ formErrors: [t.common.errors.fixBelow] }) }, { status: 400 })
  }
  const outcome = await runIntent(importRunIntents, { ctx, runId }, submission.value)
  if (outcome === 'not-waiting') return data({ intent: submission.value.intent, result: submission.reply({ formErrors: [t.funnel.imports.errors.notWaiting] }) }, { status: 409 })
  throw redirect(`/imports/${runId}`)
}

export default function ImportRunPage() {
  const run = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return <ImportRunView run={run} actionData={actionData} />
}
