import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { notFound, requirePermission, requireUuid } from '~/auth/guards.server'
import { getOutboxMessage } from '~/email/outbox.server'
import { formatDateTime } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { Card, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Outbox · Pulseboard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePermission(context.app, request, 'outbox:read')
  const message = await getOutboxMessage(context.app.db, requireUuid(params.messageId))
  if (!message) notFound()
  return { ...message, createdAt: message.createdAt.toISOString() }
}

/** The plain-text part with its links made clickable (this is how a local user signs in). */
function TextWithLinks(props: { text: string }) {
  const parts = props.text.split(/(https?:\/\/[^\s)\]]+)/g)
  return (
    <pre className="whitespace-pre-wrap break-words font-sans text-sm">
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a key={i} href={part} className="text-brand-700 underline">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  )
}

export default function OutboxMessage() {
  const t = useT()
  const locale = useLocale()
  const m = useLoaderData<typeof loader>()
  const o = t.admin.outbox
  return (
    <>
      <Link to="/outbox" className="text-sm text-brand-700 underline">
        ← {o.back}
      </Link>
      <PageHeader title={m.subject} description={`${o.to}: ${m.to} · ${formatDateTime(locale, m.createdAt)}`} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={o.textPart}>
          <TextWithLinks text={m.text} />
        </Card>
        <Card title={o.htmlPart}>
          {/* A sandbox without scripts: the HTML is shown as the recipient would see it, inert. */}
          <iframe title={o.htmlPart} sandbox="" srcDoc={m.html} className="h-[600px] w-full rounded border border-slate-200" />
        </Card>
      </div>
    </>
  )
}
