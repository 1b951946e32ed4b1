import { type SubmissionResult, getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireManagerOr } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { messagesFor } from '~/i18n'
import { formatDate } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { describeSignal, signalPeriodLabel } from '~/insights/signal-text'
import { SIGNAL_STATUSES, type SignalView, actionLink, dismissSchema } from '~/insights/signals'
import { dismissSignal, listSignals, signalTeams } from '~/insights/signals.server'
import { FormErrors, TextareaField } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'

export const meta: MetaFunction = () => [{ title: 'Signals · Pulseboard' }]

const STATUS_FILTERS = [...SIGNAL_STATUSES, 'all'] as const
type StatusFilter = (typeof STATUS_FILTERS)[number]

/** hr, leaders and admins see every team's signals; a manager those of the teams they manage. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requireManagerOr(ctx, request, 'signals:org')
  const params = new URL(request.url).searchParams
  const status: StatusFilter = (STATUS_FILTERS as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as StatusFilter) : 'open'
  const teams = await signalTeams(ctx.db, viewer)
  const team = teams.find((t) => t.id === params.get('team'))?.id
  const signals = await listSignals(ctx.db, viewer, { status, teamId: team })
  // Actions are created by hr and admins for any team, and by managers for their own teams.
  const canAct = roleCan(viewer.role, 'actions:write-org') || viewer.isManager
  return { signals, teams, filters: { status, team: team ?? '' }, canAct }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requireManagerOr(ctx, request, 'signals:org')
  const t = messagesFor(viewer.locale ?? 'en').signals
  const formData = await request.formData()
  const signalId = String(formData.get('signalId') ?? '')
  const submission = parseWithZod(formData, { schema: dismissSchema(t.errors) })
  if (submission.status !== 'success') return data({ signalId, result: submission.reply(), dismissed: false }, { status: 400 })
  const outcome = await dismissSignal(ctx.db, viewer, submission.value)
  if (outcome === 'not-found') return data({ signalId, result: submission.reply({ formErrors: [t.errors.notFound] }), dismissed: false }, { status: 404 })
  if (outcome === 'not-open') return data({ signalId, result: submission.reply({ formErrors: [t.errors.notOpen] }), dismissed: false }, { status: 409 })
  return { signalId, result: submission.reply({ resetForm: true }), dismissed: true }
}

export default function SignalsPage() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const s = t.signals
  return (
    <>
      <PageHeader title={s.title} description={s.description} />
      {actionData?.dismissed ? <Notice tone="success">{s.dismissedNotice}</Notice> : null}
      <Form method="get" className="mb-6 flex flex-wrap items-end gap-3">
        <fieldset className="flex flex-wrap items-end gap-3">
          <legend className="sr-only">{s.filters.legend}</legend>
          <label className="text-sm font-medium text-slate-800">
            {s.filters.status}
            <select name="status" defaultValue={data.filters.status} className="mt-1 block rounded-md border border-slate-300 bg-white px-3 py-2 text-base sm:text-sm">
              {STATUS_FILTERS.map((v) => (
                <option key={v} value={v}>
                  {s.statuses[v]}
                </option>
              ))}
            </select>
          </label>
          {data.teams.length > 1 ? (
            <label className="text-sm font-medium text-slate-800">
              {s.filters.team}
              <select name="team" defaultValue={data.filters.team} className="mt-1 block rounded-md border border-slate-300 bg-white px-3 py-2 text-base sm:text-sm">
                <option value="">{s.filters.allTeams}</option>
                {data.teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <Button variant="secondary">{s.filters.apply}</Button>
        </fieldset>
      </Form>
      {data.signals.length === 0 ? (
        <Notice>{s.none}</Notice>
      ) : (
        <ul className="grid gap-4" aria-label={s.table.caption}>
          {data.signals.map((signal) => (
            <SignalItem key={signal.id} signal={signal} canAct={data.canAct} actionData={actionData?.signalId === signal.id ? actionData : undefined} />
          ))}
        </ul>
      )}
    </>
  )
}

function SignalItem(props: { signal: SignalView; canAct: boolean; actionData?: { signalId: string; result: SubmissionResult<string[]> } }) {
  const t = useT()
  const locale = useLocale()
  const { signal } = props
  const s = t.signals
  const [form, fields] = useZodForm(dismissSchema(s.errors), { id: `dismiss-${signal.id}`, lastResult: props.actionData?.result, shouldValidate: 'onSubmit' })
  return (
    <li>
      <Card>
        <div className="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:justify-between">
          <h2 className="text-lg font-semibold">
            {signal.team.name} · {s.kinds[signal.kind]}
          </h2>
          <p className="text-sm text-slate-600">
            {signalPeriodLabel(locale, signal.period, signal.periodUnit)} · <span className="font-medium">{s.statuses[signal.status]}</span>
          </p>
        </div>
        <p className="mt-2 text-slate-800">{describeSignal(locale, signal)}</p>
        {signal.status === 'dismissed' && signal.dismissedReason ? (
          <p className="mt-2 text-sm text-slate-600">{s.dismissedBy({ name: signal.dismissedBy ?? '—', date: signal.dismissedAt ? formatDate(locale, signal.dismissedAt) : '—', reason: signal.dismissedReason })}</p>
        ) : null}
        {signal.status === 'open' ? (
          <div className="mt-4 grid gap-4 md:grid-cols-[auto_1fr] md:items-start">
            {props.canAct ? (
              <Link to={actionLink(signal)} className="inline-flex min-h-10 items-center justify-center rounded-md bg-brand-700 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-800">
                {s.turnIntoAction}
              </Link>
            ) : null}
            <Form method="post" {...getFormProps(form)}>
              <fieldset>
                <legend className="mb-2 text-sm font-semibold text-slate-800">{s.dismiss.legend}</legend>
                <FormErrors id={form.errorId} errors={form.errors} />
                <input type="hidden" name="intent" value="dismiss" />
                <input type="hidden" name="signalId" value={signal.id} />
                <TextareaField field={fields.reason} label={s.dismiss.reason} hint={s.dismiss.reasonHint} rows={2} />
                <Button variant="secondary">{s.dismiss.submit}</Button>
              </fieldset>
            </Form>
          </div>
        ) : null}
      </Card>
    </li>
  )
}
