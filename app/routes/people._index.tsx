import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { roleCan } from '~/auth/permissions'
import { requirePeopleAccess } from '~/people/guards.server'
import { listPeople, teamOptions } from '~/people/people.server'
import { peopleSearchSchema } from '~/people/schemas'
import { useT } from '~/i18n/use-t'
import { Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'People · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const { viewer } = await requirePeopleAccess(ctx, request, 'people:read')
  const search = peopleSearchSchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  const [result, teams] = await Promise.all([listPeople(ctx.db, search), teamOptions(ctx.db)])
  return { ...result, teams, search, canWrite: roleCan(viewer.role, 'people:write') }
}

const linkClass = 'inline-flex min-h-10 items-center rounded-md px-4 py-2 text-sm font-semibold'

export default function PeopleList() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params)
    next.set('page', String(page))
    return `?${next}`
  }
  return (
    <>
      <PageHeader
        title={t.people.list.title}
        description={t.people.list.description}
        actions={
          data.canWrite ? (
            <>
              <Link to="/people/new" className={`${linkClass} bg-brand-700 text-white hover:bg-brand-800`}>
                {t.people.list.newPerson}
              </Link>
              <Link to="/people/import" className={`${linkClass} border border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}>
                {t.people.list.importCsv}
              </Link>
            </>
          ) : null
        }
      />
      {!data.canWrite ? <Notice>{t.people.list.readOnly}</Notice> : null}
      <Card>
        <Form method="get" role="search" className="mb-4 grid gap-3 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end">
          <div>
            <label htmlFor="people-q" className="block text-sm font-medium text-slate-800">
              {t.people.list.searchLabel}
            </label>
            <input id="people-q" name="q" type="search" defaultValue={data.search.q ?? ''} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2" />
          </div>
          <div>
            <label htmlFor="people-team" className="block text-sm font-medium text-slate-800">
              {t.people.list.teamFilter}
            </label>
            <select id="people-team" name="team" defaultValue={data.search.team ?? ''} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2">
              <option value="">{t.people.list.allTeams}</option>
              <option value="none">{t.people.list.noTeam}</option>
              {data.teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="people-status" className="block text-sm font-medium text-slate-800">
              {t.people.list.statusFilter}
            </label>
            <select id="people-status" name="status" defaultValue={data.search.status ?? 'active'} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2">
              <option value="active">{t.people.list.statusActive}</option>
              <option value="inactive">{t.people.list.statusInactive}</option>
              <option value="all">{t.people.list.statusAll}</option>
            </select>
          </div>
          <button type="submit" className={`${linkClass} border border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}>
            {t.people.list.apply}
          </button>
        </Form>
        <p className="mb-2 text-sm text-slate-700" aria-live="polite">
          {t.people.list.count({ shown: data.people.length, total: data.total })}
        </p>
        {data.people.length === 0 ? (
          <p className="py-6 text-center text-slate-700">{t.people.list.empty}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">{t.people.list.title}</caption>
              <thead>
                <tr className="border-b border-slate-200">
                  <th scope="col" className="py-2 pr-4">{t.people.fields.name}</th>
                  <th scope="col" className="hidden py-2 pr-4 md:table-cell">{t.people.fields.email}</th>
                  <th scope="col" className="py-2 pr-4">{t.people.fields.role}</th>
                  <th scope="col" className="py-2 pr-4">{t.people.fields.team}</th>
                  <th scope="col" className="hidden py-2 pr-4 lg:table-cell">{t.people.fields.manager}</th>
                  <th scope="col" className="py-2">{t.people.fields.status}</th>
                </tr>
              </thead>
              <tbody>
                {data.people.map((p) => (
                  <tr key={p.id} className="border-b border-slate-100">
                    <td className="py-2 pr-4">
                      <Link to={`/people/${p.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                        {p.name}
                      </Link>
                    </td>
                    <td className="hidden py-2 pr-4 md:table-cell">{p.email}</td>
                    <td className="py-2 pr-4">{t.people.roles[p.role]}</td>
                    <td className="py-2 pr-4">{p.teamName ?? '—'}</td>
                    <td className="hidden py-2 pr-4 lg:table-cell">{p.managerName ?? '—'}</td>
                    <td className="py-2">{p.active ? t.people.list.active : t.people.list.inactive}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.pages > 1 ? (
          <nav aria-label={t.people.list.pagination} className="mt-4 flex items-center justify-between text-sm">
            {data.page > 1 ? <Link to={pageLink(data.page - 1)} className="underline">{t.people.list.previous}</Link> : <span />}
            <span>{t.people.list.page({ page: data.page, pages: data.pages })}</span>
            {data.page < data.pages ? <Link to={pageLink(data.page + 1)} className="underline">{t.people.list.next}</Link> : <span />}
          </nav>
        ) : null}
      </Card>
    </>
  )
}
