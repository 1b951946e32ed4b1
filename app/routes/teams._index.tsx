import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { roleCan } from '~/auth/permissions'
import { useT } from '~/i18n/use-t'
import { requirePeopleAccess } from '~/people/guards.server'
import { listTeams } from '~/people/teams.server'
import { Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Teams · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const { viewer } = await requirePeopleAccess(ctx, request, 'teams:read')
  return { teams: await listTeams(ctx.db), canWrite: roleCan(viewer.role, 'teams:write') }
}

export default function Teams() {
  const t = useT()
  const { teams, canWrite } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  return (
    <>
      <PageHeader
        title={t.people.teams.title}
        description={t.people.teams.description}
        actions={
          canWrite ? (
            <Link to="/teams/new" className="inline-flex min-h-10 items-center rounded-md bg-brand-700 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-800">
              {t.people.teams.newTeam}
            </Link>
          ) : null
        }
      />
      {params.get('deleted') ? <Notice tone="success">{t.people.teams.deleted}</Notice> : null}
      {!canWrite ? <Notice>{t.people.teams.readOnly}</Notice> : null}
      <Card>
        {teams.length === 0 ? (
          <p className="py-6 text-center text-slate-700">{t.people.teams.empty}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">{t.people.teams.title}</caption>
              <thead>
                <tr className="border-b border-slate-200">
                  <th scope="col" className="py-2 pr-4">{t.people.teams.name}</th>
                  <th scope="col" className="py-2 pr-4">{t.people.teams.parent}</th>
                  <th scope="col" className="py-2 pr-4">{t.people.teams.manager}</th>
                  <th scope="col" className="py-2 pr-4 text-right">{t.people.teams.members}</th>
                  <th scope="col" className="py-2 text-right">{t.people.teams.subTeams}</th>
                </tr>
              </thead>
              <tbody>
                {teams.map((team) => (
                  <tr key={team.id} className="border-b border-slate-100">
                    <td className="py-2 pr-4">
                      <Link to={`/teams/${team.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                        {team.name}
                      </Link>
                    </td>
                    <td className="py-2 pr-4">{team.parentName ?? '—'}</td>
                    <td className="py-2 pr-4">{team.managerName ?? '—'}</td>
                    <td className="py-2 pr-4 text-right tabular-nums">{team.members}</td>
                    <td className="py-2 text-right tabular-nums">{team.subTeams}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  )
}
