import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requirePermission } from '~/auth/guards.server'
import { listOutbox } from '~/email/outbox.server'
import { formatDateTime } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Outbox · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context.app, request, 'outbox:read')
  const messages = await listOutbox(context.app.db)
  return { smtp: context.app.mailer.transport === 'smtp', messages: messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) }
}

export default function Outbox() {
  const t = useT()
  const locale = useLocale()
  const data = useLoaderData<typeof loader>()
  const o = t.admin.outbox
  return (
    <>
      <PageHeader title={o.title} description={data.smtp ? undefined : o.description} />
      {data.smtp ? <Notice>{o.smtpConfigured}</Notice> : null}
      <Card className="overflow-x-auto">
        {data.messages.length === 0 ? (
          <p className="text-slate-600">{o.empty}</p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{o.title}</caption>
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className="py-2 pr-3">{o.sent}</th>
                <th scope="col" className="py-2 pr-3">{o.to}</th>
                <th scope="col" className="py-2 pr-3">{o.subject}</th>
                <th scope="col" className="py-2">{o.kind}</th>
              </tr>
            </thead>
            <tbody>
              {data.messages.map((m) => (
                <tr key={m.id} className="border-b border-slate-100">
                  <td className="whitespace-nowrap py-2 pr-3">{formatDateTime(locale, m.createdAt)}</td>
                  <td className="py-2 pr-3">{m.to}</td>
                  <td className="py-2 pr-3">
                    <Link to={`/outbox/${m.id}`} className="text-brand-700 underline">
                      {m.subject}
                    </Link>
                  </td>
                  <td className="py-2">{m.kind}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  )
}
