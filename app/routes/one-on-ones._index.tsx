import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DateTime } from 'luxon'
import { cadenceOptions } from '~/one-on-ones/cadence'
import { notFound, requireManagerOr } from '~/auth/guards.server'
import { roleCan } from '~/auth/permissions'
import { messagesFor } from '~/i18n'
import { formatDate, formatDateTime } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { cadenceSchema, scheduleSchema } from '~/one-on-ones/forms'
import { listManagerMeetings, listMyReports, scheduleMeeting, setCadence } from '~/one-on-ones/one-on-ones.server'
import { getSettings } from '~/settings/settings.server'
import { FormErrors, SelectField, TextField } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'

export const meta: MetaFunction = () => [{ title: '1:1s · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requireManagerOr(ctx, request, 'one-on-ones:health')
  const settings = await getSettings(ctx.db)
  const [reports, meetings] = await Promise.all([listMyReports(ctx.db, viewer.id), listManagerMeetings(ctx.db, viewer.id)])
  return { reports, meetings, timezone: viewer.timezone ?? settings.timezone, canSeeHealth: roleCan(viewer.role, 'one-on-ones:health') }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requireManagerOr(ctx, request, 'one-on-ones:health')
  const t = messagesFor(viewer.locale ?? 'en')
  const formData = await request.formData()
  if (formData.get('intent') === 'cadence') {
    const submission = parseWithZod(formData, { schema: cadenceSchema(t) })
    if (submission.status !== 'success') return data({ intent: 'cadence', result: submission.reply() }, { status: 400 })
    const outcome = await setCadence(ctx.db, { managerId: viewer.id, ...submission.value })
    if (outcome !== 'ok') notFound()
    return { intent: 'cadence', result: submission.reply(), saved: 'cadence' as const }
  }
  const submission = parseWithZod(formData, { schema: scheduleSchema(t) })
  if (submission.status !== 'success') return data({ intent: 'schedule', result: submission.reply() }, { status: 400 })
  const settings = await getSettings(ctx.db)
  const { date, time, reportId, durationMinutes } = submission.value
  // The manager types a wall-clock time in their own time zone; it is stored as an instant.
  const at = DateTime.fromISO(`${date}T${time}`, { zone: viewer.timezone ?? settings.timezone })
  if (!at.isValid) return data({ intent: 'schedule', result: submission.reply({ fieldErrors: { date: [t.oneOnOnes.errors.date] } }) }, { status: 400 })
  const created = await scheduleMeeting(ctx.db, { managerId: viewer.id, reportId, scheduledAt: at.toJSDate(), durationMinutes })
  if (!created.ok) return data({ intent: 'schedule', result: submission.reply({ fieldErrors: { reportId: [t.oneOnOnes.errors.report] } }) }, { status: 400 })
  throw redirect(`/one-on-ones/${created.meetingId}?scheduled=1`)
}

export default function OneOnOnesIndex() {
  const t = useT()
  const locale = useLocale()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useZodForm(scheduleSchema(t), {
    id: 'schedule',
    lastResult: actionData?.intent === 'schedule' ? actionData.result : undefined,
    shouldValidate: 'onBlur',
    defaultValue: { durationMinutes: '60', reportId: data.reports.find((r) => r.overdue)?.id ?? data.reports[0]?.id },
  })
  const t1 = t.oneOnOnes
  return (
    <>
      <PageHeader
        title={t1.myReports}
        description={t1.myReportsIntro}
        actions={
          data.canSeeHealth ? (
            <Link to="/one-on-ones/health" className="text-sm font-medium text-brand-700 underline">
              {t1.healthLink}
            </Link>
          ) : null
        }
      />
      {actionData && 'saved' in actionData && actionData.saved === 'cadence' ? <Notice tone="success">{t1.cadenceSaved}</Notice> : null}
      {data.reports.length === 0 ? (
        <Notice>{t1.noReports}</Notice>
      ) : (
        <div className="grid gap-6 lg:grid-cols-3">
          <Card className="overflow-x-auto lg:col-span-2">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">{t1.myReports}</caption>
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    {t1.columns.person}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t1.columns.last}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t1.columns.next}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t1.columns.status}
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right">
                    {t1.columns.openActions}
                  </th>
                  <th scope="col" className="py-2">
                    {t1.columns.cadence}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.reports.map((r) => (
                  <tr key={r.id} className="border-b border-slate-100 align-top">
                    <th scope="row" className="py-2 pr-3 font-medium">
                      {r.name}
                    </th>
                    <td className="py-2 pr-3">
                      {r.lastHeldAt && r.lastMeetingId ? (
                        <Link className="text-brand-700 underline" to={`/one-on-ones/${r.lastMeetingId}`}>
                          {formatDate(locale, r.lastHeldAt, data.timezone)}
                        </Link>
                      ) : (
                        t1.never
                      )}
                    </td>
                    <td className="py-2 pr-3">
                      {r.nextAt && r.nextMeetingId ? (
                        <Link className="text-brand-700 underline" to={`/one-on-ones/${r.nextMeetingId}`}>
                          {formatDateTime(locale, r.nextAt, data.timezone)}
                        </Link>
                      ) : (
                        t1.notScheduled
                      )}
                    </td>
                    <td className="py-2 pr-3">
                      {r.overdue ? <span className="rounded bg-red-100 px-2 py-0.5 font-semibold text-red-800">{t1.overdue}</span> : <span className="text-emerald-800">{t1.onTrack}</span>}
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums">{r.openActionItems}</td>
                    <td className="py-2">
                      <Form method="post" className="flex flex-wrap items-center gap-2">
                        <input type="hidden" name="intent" value="cadence" />
                        <input type="hidden" name="reportId" value={r.id} />
                        <label htmlFor={`cadence-${r.id}`} className="sr-only">
                          {t1.cadenceFor({ name: r.name })}
                        </label>
                        <select id={`cadence-${r.id}`} name="cadence" defaultValue={r.cadence} className="rounded border border-slate-300 px-2 py-1">
                          {cadenceOptions.map((c) => (
                            <option key={c} value={c}>
                              {t1.cadences[c]}
                            </option>
                          ))}
                        </select>
                        <Button variant="secondary" className="min-h-8 px-2 py-1">
                          {t1.setCadence}
                        </Button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <Card title={t1.schedule}>
            <Form method="post" {...getFormProps(form)}>
              <input type="hidden" name="intent" value="schedule" />
              <FormErrors id={form.errorId} errors={form.errors} />
              <SelectField field={fields.reportId} label={t1.report} options={data.reports.map((r) => ({ value: r.id, label: r.name }))} />
              <TextField field={fields.date} label={t1.date} type="date" />
              <TextField field={fields.time} label={t1.time} type="time" hint={t1.timeHint({ zone: data.timezone })} />
              <TextField field={fields.durationMinutes} label={t1.duration} type="number" />
              <Button>{t1.scheduleButton}</Button>
            </Form>
          </Card>
        </div>
      )}
      {data.meetings.length ? (
        <Card title={t1.recentMeetings} className="mt-6">
          <ul className="divide-y divide-slate-100">
            {data.meetings.map((m) => (
              <li key={m.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span>
                  <span className="font-medium">{m.reportName}</span> · {formatDateTime(locale, m.scheduledAt, data.timezone)} · {t1.minutes({ n: m.durationMinutes })} · {m.held ? t1.held : t1.planned}
                </span>
                <Link to={`/one-on-ones/${m.id}`} className="text-brand-700 underline">
                  {t1.open}
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </>
  )
}
