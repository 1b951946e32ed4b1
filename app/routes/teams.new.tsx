import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { teamErrorMessage } from '~/people/errors'
import { requirePeopleAccess } from '~/people/guards.server'
import { personOptions, teamOptions } from '~/people/people.server'
import { teamFormSchema } from '~/people/schemas'
import { TeamForm } from '~/people/team-form'
import { createTeam } from '~/people/teams.server'
import { Card, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'New team · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  await requirePeopleAccess(ctx, request, 'teams:write')
  const [teams, people] = await Promise.all([teamOptions(ctx.db), personOptions(ctx.db)])
  return { teams, people }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const { viewer, t } = await requirePeopleAccess(ctx, request, 'teams:write')
  const submission = parseWithZod(await request.formData(), { schema: teamFormSchema(t) })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await createTeam(ctx.db, { actorId: viewer.id }, submission.value)
  if (!outcome.ok) return data({ result: submission.reply({ fieldErrors: { [outcome.error.field]: [teamErrorMessage(t, outcome.error)] } }) }, { status: 400 })
  throw redirect(`/teams/${outcome.id}?saved=created`)
}

export default function NewTeam() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <PageHeader title={t.people.teams.newTitle} actions={<Link to="/teams" className="text-sm font-semibold text-brand-700 underline">{t.common.actions.back}</Link>} />
      <Card className="max-w-xl">
        <TeamForm id="new-team" lastResult={actionData?.result} teams={data.teams} people={data.people} submitLabel={t.common.actions.create} />
      </Card>
    </>
  )
}
