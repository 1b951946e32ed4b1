import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { requirePermission } from '~/auth/guards.server'
import { intentSchema, runIntent } from '~/forms/intents'
import { loadOwnersPage, ownerIntents } from '~/funnel/owners.server'
import { OwnersView } from '~/funnel/owners-view'
import { messagesFor } from '~/i18n'

export const meta: MetaFunction = () => [{ title: 'CRM owners · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context.app, request, 'crm:import')
  return loadOwnersPage(context.app.db)
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requirePermission(ctx, request, 'crm:import')
  const t = messagesFor(viewer.locale ?? 'en')
  const submission = parseWithZod(await request.formData(), { schema: intentSchema(ownerIntents, t) })
  if (submission.status !== 'success') return data({ ok: false as const, result: submission.reply() }, { status: 400 })
  const outcome = await runIntent(ownerIntents, { db: ctx.db, actorId: viewer.id }, submission.value)
  switch (outcome.status) {
    case 'unknown-person':
      return data({ ok: false as const, result: submission.reply({ formErrors: [t.funnel.owners.errors.unknownPerson] }) }, { status: 400 })
    case 'unmapped':
      return { ok: true as const, message: t.funnel.owners.unmappedDone({ key: outcome.ownerKey }) }
    case 'mapped':
      return { ok: true as const, message: t.funnel.owners.mapped({ key: outcome.ownerKey, name: outcome.personName, opportunities: outcome.opportunities, leads: outcome.leads }) }
  }
}

export default function Owners() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return <OwnersView data={page} actionData={actionData} />
}
