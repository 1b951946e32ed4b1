import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { requireViewer } from '~/auth/guards.server'
import { formatDate } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { OverlayView } from '~/insights/dashboard-view'
import { homeFor } from '~/insights/overlay.server'
import { SignalsPanel } from '~/insights/signals-panel'
import { listSignals } from '~/insights/signals.server'
import { MyOneOnOnesSection } from '~/one-on-ones/my-one-on-ones'
import { listMyOneOnOnes } from '~/one-on-ones/one-on-ones.server'
import { listMyOpenInvitations } from '~/surveys/sending.server'
import { Button, Card, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Pulseboard' }]

/**
 * Home by role: hr, leader and admin get the organisation's performance overlay, a manager the
 * overlay of their own teams (filters in the URL); everyone else their open surveys and 1:1s.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requireViewer(ctx, request)
  const overlay = await homeFor(ctx.db, viewer, new URL(request.url).searchParams)
  if (overlay) return { ...overlay, signals: await listSignals(ctx.db, viewer, { status: 'open' }) }
  return {
    kind: 'personal' as const,
    name: viewer.name,
    openSurveys: await listMyOpenInvitations(ctx, viewer.id),
    oneOnOnes: await listMyOneOnOnes(ctx.db, viewer),
  }
}

export default function Home() {
  const data = useLoaderData<typeof loader>()
  if (data.kind === 'overlay') return <OverlayView data={data} signals={<SignalsPanel signals={data.signals} />} />
  return <PersonalHome data={data} />
}

function PersonalHome(props: { data: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: 'personal' }> }) {
  const t = useT()
  const locale = useLocale()
  const { data } = props
  const p = t.insights.personal
  return (
    <>
      <PageHeader title={p.title({ name: data.name })} description={p.intro} />
      <Card title={p.openSurveys}>
        {data.openSurveys.length === 0 ? (
          <p className="text-slate-700">{p.none}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {data.openSurveys.map((s) => (
              <li key={s.invitationId} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <span>
                  <span className="font-medium">{s.title}</span>
                  <span className="block text-sm text-slate-600">{t.surveys.me.closes({ date: formatDate(locale, s.closesAt) })}</span>
                </span>
                {/* /me issues a fresh personal link (only hashes are stored) and redirects to the survey. */}
                <Form method="post" action="/me">
                  <input type="hidden" name="intent" value="open-survey" />
                  <input type="hidden" name="invitationId" value={s.invitationId} />
                  <Button>{p.answer}</Button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <MyOneOnOnesSection data={data.oneOnOnes} />
      <p className="mt-6 text-sm">
        {p.more}:{' '}
        <Link to="/me" className="text-brand-700 underline">{p.myPage}</Link>
      </p>
    </>
  )
}
