import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { type AuditFilter, auditActions, auditFilterSchema, listAuditLog } from '~/audit/audit-log.server'
import { requirePermission } from '~/auth/guards.server'
import { formatDateTime } from '~/i18n/format'
import type { Messages } from '~/i18n'
import { useLocale, useT } from '~/i18n/use-t'
import { Button, Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Audit log · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  await requirePermission(ctx, request, 'audit:read')
  const params = Object.fromEntries(new URL(request.url).searchParams)
  const parsed = auditFilterSchema.safeParse(params)
  const filter: AuditFilter = parsed.success ? parsed.data : { page: 1, action: undefined }
  const [log, actions] = await Promise.all([listAuditLog(ctx.db, filter), auditActions(ctx.db)])
  return { ...log, actions, filter, invalid: !parsed.success }
}

function actionLabel(t: Messages, action: string): string {
  return (t.dataProtection.audit.actions as Record<string, string>)[action] ?? action
}

export default function AuditLog() {
  const t = useT()
  const locale = useLocale()
  const a = t.dataProtection.audit
  const data = useLoaderData<typeof loader>()
  const { filter } = data
  const query = (page?: number) => {
    const search = new URLSearchParams()
    if (filter.action) search.set('action', filter.action)
    if (filter.from) search.set('from', filter.from)
    if (filter.to) search.set('to', filter.to)
    if (page && page > 1) search.set('page', String(page))
    const text = search.toString()
    return text ? `?${text}` : ''
  }
  const known = Object.keys(a.actions)
  const choices = [...new Set([...known, ...data.actions])].sort((x, y) => actionLabel(t, x).localeCompare(actionLabel(t, y), locale))
  return (
    <>
      <PageHeader
        title={a.title}
        description={a.description}
        actions={
          <a href={`/audit/export.csv${query()}`} className="inline-flex min-h-10 items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50">
            {a.downloadCsv}
          </a>
        }
      />
      {data.invalid ? <Notice tone="error">{a.invalidDate}</Notice> : null}
      <Card className="mb-6">
        <Form method="get">
          <fieldset className="grid gap-4 sm:grid-cols-4 sm:items-end">
            <legend className="mb-2 text-sm font-semibold">{a.filters}</legend>
            <div>
              <label htmlFor="audit-action" className="block text-sm font-medium text-slate-800">{a.action}</label>
              <select id="audit-action" name="action" defaultValue={filter.action ?? ''} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base sm:text-sm">
                <option value="">{a.anyAction}</option>
                {choices.map((c) => (
                  <option key={c} value={c}>
                    {actionLabel(t, c)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="audit-from" className="block text-sm font-medium text-slate-800">{a.from}</label>
              <input id="audit-from" name="from" type="date" defaultValue={filter.from ?? ''} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base sm:text-sm" />
            </div>
            <div>
              <label htmlFor="audit-to" className="block text-sm font-medium text-slate-800">{a.to}</label>
              <input id="audit-to" name="to" type="date" defaultValue={filter.to ?? ''} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base sm:text-sm" />
            </div>
            <div>
              <Button>{a.apply}</Button>
            </div>
          </fieldset>
        </Form>
      </Card>
      <Card className="overflow-x-auto">
        <p className="mb-3 text-sm text-slate-700">{a.total({ n: data.total })}</p>
        {data.rows.length === 0 ? (
          <p className="text-slate-600">{a.empty}</p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{a.title}</caption>
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className="py-2 pr-3">{a.at}</th>
                <th scope="col" className="py-2 pr-3">{a.action}</th>
                <th scope="col" className="py-2 pr-3">{a.actor}</th>
                <th scope="col" className="py-2 pr-3">{a.target}</th>
                <th scope="col" className="py-2">{a.details}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id} className="border-b border-slate-100 align-top">
                  <td className="whitespace-nowrap py-2 pr-3">{formatDateTime(locale, r.at)}</td>
                  <td className="py-2 pr-3">{actionLabel(t, r.action)}</td>
                  <td className="py-2 pr-3">{r.actorName ?? (r.apiKeyName ? a.apiKey({ name: r.apiKeyName }) : a.system)}</td>
                  <td className="break-all py-2 pr-3 font-mono text-xs">{r.target ?? '—'}</td>
                  <td className="break-all py-2 font-mono text-xs">{Object.keys(r.details).length ? JSON.stringify(r.details) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data.pages > 1 ? (
          <nav aria-label={a.page({ page: filter.page, pages: data.pages })} className="mt-4 flex flex-wrap items-center gap-4 text-sm">
            {filter.page > 1 ? (
              <Link to={query(filter.page - 1)} className="font-semibold text-brand-700 underline" rel="prev">
                {a.previous}
              </Link>
            ) : null}
            <span>{a.page({ page: filter.page, pages: data.pages })}</span>
            {filter.page < data.pages ? (
              <Link to={query(filter.page + 1) || '?'} className="font-semibold text-brand-700 underline" rel="next">
                {a.next}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </>
  )
}
