import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { personErrorMessage } from '~/people/errors'
import { requirePeopleAccess } from '~/people/guards.server'
import { PersonForm } from '~/people/person-form'
import { createPerson, personOptions, teamOptions } from '~/people/people.server'
import { personFormSchema } from '~/people/schemas'
import { useT } from '~/i18n/use-t'
import { Card, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Add a person · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  await requirePeopleAccess(ctx, request, 'people:write')
  const [teams, people] = await Promise.all([teamOptions(ctx.db), personOptions(ctx.db)])
  return { teams, people }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const { viewer, t } = await requirePeopleAccess(ctx, request, 'people:write')
  const submission = parseWithZod(await request.formData(), { schema: personFormSchema(t) })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await createPerson(ctx.db, { actorId: viewer.id }, submission.value)
  if (!outcome.ok) return data({ result: submission.reply({ fieldErrors: { [outcome.error.field]: [personErrorMessage(t, outcome.error)] } }) }, { status: 400 })
  throw redirect(`/people/${outcome.id}?saved=created`)
}

export default function NewPerson() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <PageHeader title={t.people.form.newTitle} actions={<Link to="/people" className="text-sm font-semibold text-brand-700 underline">{t.common.actions.back}</Link>} />
      <Card>
        <PersonForm id="new-person" lastResult={actionData?.result} teams={data.teams} people={data.people} defaults={{ role: 'employee' }} submitLabel={t.common.actions.create} />
      </Card>
    </>
  )
}
