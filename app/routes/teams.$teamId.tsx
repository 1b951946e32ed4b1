import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { notFound, requireUuid } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { useT } from '~/i18n/use-t'
import { teamErrorMessage } from '~/people/errors'
import { requirePeopleAccess } from '~/people/guards.server'
import { personOptions, teamOptions } from '~/people/people.server'
import { teamFormSchema } from '~/people/schemas'
import { TeamForm } from '~/people/team-form'
import { deleteTeam, getTeam, updateTeam } from '~/people/teams.server'
import { Button, Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Team · Pulseboard' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = context.app
  const { viewer } = await requirePeopleAccess(ctx, request, 'teams:read')
  const team = await getTeam(ctx.db, requireUuid(params.teamId))
  if (!team) notFound()
  const canWrite = roleCan(viewer.role, 'teams:write')
  const [teams, people] = canWrite ? await Promise.all([teamOptions(ctx.db), personOptions(ctx.db, team.managerId)]) : [[], []]
  return { team, teams: teams.filter((x) => x.id !== team.id), people, canWrite }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = context.app
  const { viewer, t } = await requirePeopleAccess(ctx, request, 'teams:write')
  const teamId = requireUuid(params.teamId)
  const formData = await request.formData()
  const actor = { actorId: viewer.id }
  if (formData.get('intent') === 'delete') {
    const outcome = await deleteTeam(ctx.db, actor, teamId)
    if (!outcome) notFound()
    if (!outcome.ok) return data({ deleteError: t.people.teams.notEmpty(outcome) }, { status: 400 })
    throw redirect('/teams?deleted=1')
  }
  const submission = parseWithZod(formData, { schema: teamFormSchema(t) })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await updateTeam(ctx.db, actor, teamId, submission.value)
  if (!outcome) notFound()
  if (!outcome.ok) return data({ result: submission.reply({ fieldErrors: { [outcome.error.field]: [teamErrorMessage(t, outcome.error)] } }) }, { status: 400 })
  throw redirect(`/teams/${teamId}?saved=saved`)
}

export default function TeamPage() {
  const t = useT()
  const { team, teams, people, canWrite } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const saved = params.get('saved')
  return (
    <>
      <PageHeader
        title={t.people.teams.editTitle({ name: team.name })}
        description={[team.parentName ? `${t.people.teams.parent}: ${team.parentName}` : null, `${t.people.teams.manager}: ${team.managerName ?? '—'}`].filter(Boolean).join(' · ')}
        actions={<Link to="/teams" className="text-sm font-semibold text-brand-700 underline">{t.common.actions.back}</Link>}
      />
      {saved && !actionData ? <Notice tone="success">{saved === 'created' ? t.people.teams.created : t.people.teams.saved}</Notice> : null}
      <div className="grid gap-6 lg:grid-cols-2">
        {canWrite ? (
          <div className="flex flex-col gap-6">
            <Card>
              <TeamForm
                key={`${team.id}-${saved ?? ''}`}
                id="edit-team"
                lastResult={actionData && 'result' in actionData ? actionData.result : undefined}
                teams={teams}
                people={people}
                defaults={{ name: team.name, parentId: team.parentId ?? '', managerId: team.managerId ?? '' }}
                submitLabel={t.common.actions.save}
              />
            </Card>
            <Card title={t.people.teams.delete}>
              {actionData && 'deleteError' in actionData ? <Notice tone="error">{actionData.deleteError}</Notice> : null}
              <p className="mb-3 text-sm text-slate-700">{t.people.teams.deleteHelp}</p>
              <Form method="post">
                <input type="hidden" name="intent" value="delete" />
                <Button variant="danger">{t.people.teams.delete}</Button>
              </Form>
            </Card>
          </div>
        ) : null}
        <div className="flex flex-col gap-6">
          <Card title={`${t.people.teams.members} (${t.people.teams.memberCount({ count: team.members })})`}>
            {team.memberList.length ? (
              <ul className="divide-y divide-slate-100">
                {team.memberList.map((m) => (
                  <li key={m.id} className="flex flex-wrap justify-between gap-2 py-2">
                    <span>
                      {m.name}
                      {m.id === team.managerId ? ` · ${t.people.teams.manager}` : ''}
                      {m.active ? '' : ` (${t.people.list.inactive})`}
                    </span>
                    <span className="text-sm text-slate-600">{t.people.roles[m.role]}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-700">{t.people.teams.noMembers}</p>
            )}
          </Card>
          {team.subTeamList.length ? (
            <Card title={t.people.teams.subTeams}>
              <ul className="list-disc pl-5">
                {team.subTeamList.map((s) => (
                  <li key={s.id}>
                    <Link to={`/teams/${s.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                      {s.name}
                    </Link>
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
        </div>
      </div>
    </>
  )
}
