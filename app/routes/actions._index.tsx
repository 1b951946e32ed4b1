import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { roleCan } from '~/auth/permissions'
import { formatDate } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { actionListFilterSchema, actionStatuses } from '~/insights/action-schema'
import { listActions, readableTeams, requireActionsAccess, writableTeams } from '~/insights/actions.server'
import { DRIVER_LABELS, isDriverKey } from '~/responses/drivers'
import { Button, Card, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Actions · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const { viewer, today } = await requireActionsAccess(ctx, request, 'read')
  const filters = actionListFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  const [actions, teams, writable] = await Promise.all([listActions(ctx.db, viewer, filters, today), readableTeams(ctx.db, viewer), writableTeams(ctx.db, viewer)])
  const canOrg = roleCan(viewer.role, 'actions:read-org')
  return { actions, teams, filters, canOrg, canCreate: roleCan(viewer.role, 'actions:write-org') || writable.length > 0 }
}

export default function ActionsIndex() {
  const t = useT()
  const locale = useLocale()
  const { actions, teams, filters, canOrg, canCreate } = useLoaderData<typeof loader>()
  const measure = (d: string | null) => (d === 'enps' ? t.actions.enps : d && isDriverKey(d) ? DRIVER_LABELS[d][locale] : '—')
  return (
    <>
      <PageHeader
        title={t.actions.title}
        description={t.actions.description}
        actions={
          canCreate ? (
            <Link to="/actions/new" className="inline-flex min-h-10 items-center rounded-md bg-brand-700 px-4 py-2 text-sm font-semibold text-white">
              {t.actions.create}
            </Link>
          ) : null
        }
      />
      <Form method="get" className="mb-6 flex flex-wrap items-end gap-3" aria-label={t.actions.filters}>
        <label className="grid text-sm">
          <span className="font-medium">{t.actions.fields.status}</span>
          <select name="status" defaultValue={filters.status ?? ''} className="min-h-10 rounded-md border border-slate-300 px-2">
            <option value="">{t.actions.any}</option>
            {actionStatuses.map((s) => (
              <option key={s} value={s}>
                {t.actions.statuses[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="grid text-sm">
          <span className="font-medium">{t.actions.fields.team}</span>
          <select name="team" defaultValue={filters.team ?? ''} className="min-h-10 rounded-md border border-slate-300 px-2">
            <option value="">{t.actions.any}</option>
            {canOrg ? <option value="org">{t.actions.allOrganisation}</option> : null}
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-h-10 items-center gap-2 text-sm">
          <input type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue === true} />
          {t.actions.overdueOnly}
        </label>
        <Button variant="secondary">{t.actions.apply}</Button>
      </Form>
      <Card>
        {actions.length === 0 ? (
          <p className="text-sm text-slate-600">{t.actions.none}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">{t.actions.title}</caption>
              <thead>
                <tr className="text-left">
                  <th scope="col" className="p-2">{t.actions.fields.title}</th>
                  <th scope="col" className="p-2">{t.actions.fields.team}</th>
                  <th scope="col" className="p-2">{t.actions.fields.owner}</th>
                  <th scope="col" className="p-2">{t.actions.fields.driver}</th>
                  <th scope="col" className="p-2">{t.actions.fields.dueOn}</th>
                  <th scope="col" className="p-2">{t.actions.fields.status}</th>
                </tr>
              </thead>
              <tbody>
                {actions.map((a) => (
                  <tr key={a.id} className="border-t border-slate-100">
                    <th scope="row" className="p-2 text-left font-normal">
                      <Link to={`/actions/${a.id}`} className="text-brand-700 underline">
                        {a.title}
                      </Link>
                    </th>
                    <td className="p-2">{a.team ? a.team.name : t.actions.allOrganisation}</td>
                    <td className="p-2">{a.owner?.name ?? '—'}</td>
                    <td className="p-2">{measure(a.driver)}</td>
                    <td className="p-2">
                      {a.dueOn ? formatDate(locale, a.dueOn) : '—'}
                      {a.overdue ? <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800">{t.actions.overdue}</span> : null}
                    </td>
                    <td className="p-2">{t.actions.statuses[a.status]}</td>
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
