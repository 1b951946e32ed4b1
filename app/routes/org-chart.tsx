import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { roleCan } from '~/auth/permissions'
import { useT } from '~/i18n/use-t'
import { requirePeopleAccess } from '~/people/guards.server'
import { orgChart, type OrgPerson, type OrgTeam } from '~/people/org-chart.server'
import { Card, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Org chart · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const { viewer } = await requirePeopleAccess(ctx, request, 'teams:read')
  return { ...(await orgChart(ctx.db)), canOpenPeople: roleCan(viewer.role, 'people:read') }
}

/** Children by parent, from the depth-first rows the query returns (order is kept). */
function childrenOf<T extends { id: string }>(rows: T[], parentOf: (row: T) => string | null) {
  const map = new Map<string | null, T[]>()
  for (const row of rows) map.set(parentOf(row), [...(map.get(parentOf(row)) ?? []), row])
  return map
}

export default function OrgChart() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const teamChildren = childrenOf(data.teams, (team) => team.parentId)
  const reportChildren = childrenOf(data.people, (p) => p.managerId)
  const personLabel = (p: { id: string; name: string }) =>
    data.canOpenPeople ? (
      <Link to={`/people/${p.id}`} className="text-brand-700 underline-offset-2 hover:underline">
        {p.name}
      </Link>
    ) : (
      p.name
    )

  // Plain render functions (not nested components) so React keeps the tree between renders.
  const teamNodes = (parent: string | null): React.ReactNode => {
    const teams = teamChildren.get(parent) ?? []
    if (!teams.length) return null
    return (
      <ul className={parent ? 'mt-2 ml-3 border-l-2 border-slate-200 pl-4 sm:ml-4' : 'space-y-4'}>
        {teams.map((team: OrgTeam) => (
          <li key={team.id} className="mt-2">
            <Link to={`/teams/${team.id}`} className="font-semibold text-brand-700 underline-offset-2 hover:underline">
              {team.name}
            </Link>
            <p className="text-sm text-slate-700">
              {t.people.orgChart.managedBy}: {team.managerId && team.managerName ? personLabel({ id: team.managerId, name: team.managerName }) : '—'} ·{' '}
              {t.people.teams.memberCount({ count: team.members.length })}
            </p>
            {team.members.length ? (
              <ul aria-label={`${t.people.teams.members}: ${team.name}`} className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm">
                {team.members.map((m) => (
                  <li key={m.id} className="rounded bg-slate-100 px-2 py-0.5">
                    {personLabel(m)}
                  </li>
                ))}
              </ul>
            ) : null}
            {teamNodes(team.id)}
          </li>
        ))}
      </ul>
    )
  }

  const reportNodes = (parent: string | null): React.ReactNode => {
    const people = reportChildren.get(parent) ?? []
    if (!people.length) return null
    return (
      <ul className={parent ? 'ml-3 border-l-2 border-slate-200 pl-4 sm:ml-4' : 'space-y-2'}>
        {people.map((p: OrgPerson) => (
          <li key={p.id} className="mt-1">
            <span className="font-medium">{personLabel(p)}</span>{' '}
            <span className="text-sm text-slate-600">
              {t.people.roles[p.role]}
              {p.teamName ? ` · ${p.teamName}` : ''}
              {p.reports ? ` · ${t.people.orgChart.reports({ count: p.reports })}` : ''}
            </span>
            {reportNodes(p.id)}
          </li>
        ))}
      </ul>
    )
  }

  return (
    <>
      <PageHeader title={t.people.orgChart.title} description={t.people.orgChart.description} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t.people.orgChart.teamsTree}>
          <nav aria-label={t.people.orgChart.teamsTree}>{data.teams.length ? teamNodes(null) : <p className="text-slate-700">{t.people.teams.empty}</p>}</nav>
        </Card>
        <Card title={t.people.orgChart.reportsTree}>
          <nav aria-label={t.people.orgChart.reportsTree}>
            {reportNodes(null)}
          </nav>
        </Card>
      </div>
    </>
  )
}
