import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { notFound, requireViewer } from '~/auth/guards.server'
import { type Messages, messagesFor } from '~/i18n'
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import { useLocale, useT } from '~/i18n/use-t'
import { type MeetingIntent, NOTES_MAX, meetingSchema } from '~/one-on-ones/forms'
import { SafeMarkdown } from '~/one-on-ones/markdown'
import {
  type Outcome,
  addActionItem,
  addAgendaItem,
  getMeetingPage,
  markHeld,
  moveAgendaItem,
  saveSharedNotes,
  savePrivateNote,
  setActionItemDone,
  setAgendaItemDone,
  setCheckIn,
} from '~/one-on-ones/one-on-ones.server'
import { type PrepPanel, prepPanel } from '~/one-on-ones/prep.server'
import type { Suggestion } from '~/one-on-ones/suggestions'
import { getSettings } from '~/settings/settings.server'
import { FormErrors, SelectField, TextField } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: '1:1 · Pulseboard' }]

const meetingIdSchema = z.uuid()

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requireViewer(ctx, request)
  const meetingId = meetingIdSchema.safeParse(params.meetingId)
  if (!meetingId.success) notFound()
  const page = await getMeetingPage(ctx, { meetingId: meetingId.data, viewerId: viewer.id })
  if (!page) notFound()
  const settings = await getSettings(ctx.db)
  // The prep panel is the manager's alone: the report's own KPIs are not shown back as "talking points".
  const prep = page.role === 'manager' ? await prepPanel(ctx.db, { personId: page.report.id, teamId: page.report.teamId }) : null
  return { ...page, prep, timezone: viewer.timezone ?? settings.timezone }
}

const outcomeStatus: Record<Exclude<Outcome, 'ok'>, number> = { 'not-found': 404, forbidden: 403, locked: 409 }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requireViewer(ctx, request)
  const meetingId = meetingIdSchema.safeParse(params.meetingId)
  if (!meetingId.success) notFound()
  const t = messagesFor(viewer.locale ?? 'en')
  const submission = parseWithZod(await request.formData(), { schema: meetingSchema(t) })
  if (submission.status !== 'success') {
    return Response.json({ intent: (submission.payload.intent as MeetingIntent | undefined) ?? null, result: submission.reply() }, { status: 400 })
  }
  const v = submission.value
  const base = { meetingId: meetingId.data, viewerId: viewer.id }
  let outcome: Outcome
  switch (v.intent) {
    case 'add-agenda':
      outcome = await addAgendaItem(ctx.db, { ...base, text: v.text })
      break
    case 'move-agenda':
      outcome = await moveAgendaItem(ctx.db, { ...base, itemId: v.itemId, direction: v.direction })
      break
    case 'tick-agenda':
      outcome = await setAgendaItemDone(ctx.db, { ...base, itemId: v.itemId, done: v.done })
      break
    case 'shared-notes':
      outcome = await saveSharedNotes(ctx.db, { ...base, notes: v.notes })
      break
    case 'private-note':
      outcome = await savePrivateNote(ctx, { ...base, text: v.note })
      break
    case 'add-action':
      outcome = await addActionItem(ctx.db, { ...base, text: v.text, owner: v.owner, dueOn: v.dueOn })
      break
    case 'tick-action':
      outcome = await setActionItemDone(ctx.db, { ...base, itemId: v.itemId, done: v.done })
      break
    case 'check-in':
      outcome = await setCheckIn(ctx.db, { ...base, score: v.score })
      break
    case 'mark-held':
      outcome = await markHeld(ctx, { ...base, actualDurationMinutes: v.actualDurationMinutes })
      break
  }
  if (outcome === 'not-found') notFound()
  if (outcome !== 'ok') {
    const message = outcome === 'locked' ? t.oneOnOnes.errors.locked : t.oneOnOnes.errors.forbidden
    return Response.json({ intent: v.intent, result: submission.reply({ formErrors: [message] }) }, { status: outcomeStatus[outcome] })
  }
  // Post/redirect/get: a plain form post (JavaScript off) lands back on the page, at the section it changed.
  const anchor = v.intent.includes('agenda') ? 'agenda' : v.intent.includes('action') ? 'actions' : v.intent === 'mark-held' ? 'top' : v.intent
  throw redirect(`/one-on-ones/${meetingId.data}?saved=${v.intent}#${anchor}`)
}

type ActionData = { intent: MeetingIntent | null; result: never } | undefined

function suggestionText(t: Messages, locale: Locale, s: Suggestion): string {
  switch (s.kind) {
    case 'win-rate-down':
      return t.oneOnOnes.prep.winRateDown({ previous: formatPercent(locale, s.previous), current: formatPercent(locale, s.current), points: formatNumber(locale, s.points, 0) })
    case 'sales-cycle-up':
      return t.oneOnOnes.prep.salesCycleUp({ previous: formatNumber(locale, s.previous, 0), current: formatNumber(locale, s.current, 0) })
    case 'large-deal-overdue':
      return t.oneOnOnes.prep.largeDealOverdue({ name: s.deal.name, amount: formatMoney(locale, s.deal.amount, s.deal.currency), date: formatDate(locale, s.deal.expectedCloseOn) })
  }
}

function PrepPanelCard(props: { prep: PrepPanel; reportName: string; held: boolean }) {
  const t = useT()
  const locale = useLocale()
  const p = t.oneOnOnes.prep
  const { prep } = props
  const pct = (v: number | null) => (v === null ? p.noData : formatPercent(locale, v))
  const money = (v: number | null) => (v === null ? p.noData : formatMoney(locale, v, prep.currency))
  const rows: [string, string, string][] = [
    [p.winRate, pct(prep.current.winRate), pct(prep.previous.winRate)],
    [p.wonDeals, `${prep.current.won} / ${prep.current.lost}`, `${prep.previous.won} / ${prep.previous.lost}`],
    [
      p.salesCycle,
      prep.current.salesCycleDaysMedian === null ? p.noData : formatNumber(locale, prep.current.salesCycleDaysMedian, 0),
      prep.previous.salesCycleDaysMedian === null ? p.noData : formatNumber(locale, prep.previous.salesCycleDaysMedian, 0),
    ],
    [p.wonAmount, money(prep.current.wonAmount), money(prep.previous.wonAmount)],
    [p.target, money(prep.current.target), money(prep.previous.target)],
    [p.attainment, pct(prep.current.attainment), pct(prep.previous.attainment)],
  ]
  return (
    <Card title={p.title}>
      <p className="mb-3 text-sm text-slate-700">{p.intro({ name: props.reportName })}</p>
      <table className="mb-4 w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-2">
              {p.metric}
            </th>
            <th scope="col" className="py-1 pr-2 text-right">
              {p.current}
            </th>
            <th scope="col" className="py-1 text-right">
              {p.previous}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, cur, prev]) => (
            <tr key={label} className="border-b border-slate-100">
              <th scope="row" className="py-1 pr-2 font-normal">
                {label}
              </th>
              <td className="py-1 pr-2 text-right tabular-nums">{cur}</td>
              <td className="py-1 text-right tabular-nums">{prev}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {prep.overdueDeals.length ? (
        <>
          <h3 className="mb-1 font-semibold">{p.overdueDeals}</h3>
          <ul className="mb-4 text-sm">
            {prep.overdueDeals.map((d) => (
              <li key={d.id}>
                {d.name} · {formatMoney(locale, d.amount, d.currency)} · {formatDate(locale, d.expectedCloseOn)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3 className="mb-2 font-semibold">{p.suggestions}</h3>
      {prep.suggestions.length === 0 ? (
        <p className="text-sm text-slate-600">{p.noSuggestions}</p>
      ) : (
        <ul className="space-y-2">
          {prep.suggestions.map((s, i) => {
            const text = suggestionText(t, locale, s)
            return (
              <li key={i} className="rounded border border-amber-200 bg-amber-50 p-2 text-sm">
                <p>{text}</p>
                {props.held ? null : (
                  <Form method="post" className="mt-1">
                    <input type="hidden" name="intent" value="add-agenda" />
                    <input type="hidden" name="text" value={text.slice(0, 500)} />
                    <Button variant="secondary" className="min-h-8 px-2 py-1">
                      {p.addToAgenda}
                    </Button>
                  </Form>
                )}
              </li>
            )
          })}
        </ul>
      )}
      <h3 className="mb-1 mt-4 font-semibold">{p.sentimentTitle}</h3>
      {prep.teamSentiment === null ? (
        <p className="text-sm text-slate-600">{p.sentimentNoTeam}</p>
      ) : prep.teamSentiment.shown ? (
        <p className="text-sm">
          {p.sentimentEnps({
            team: prep.teamSentiment.teamName,
            enps: formatNumber(locale, prep.teamSentiment.enps, 0),
            n: prep.teamSentiment.n,
            low: formatNumber(locale, prep.teamSentiment.ciLow, 0),
            high: formatNumber(locale, prep.teamSentiment.ciHigh, 0),
          })}
        </p>
      ) : (
        <p className="text-sm text-slate-600">
          {prep.teamSentiment.teamName}: {t.common.notEnoughResponses}
        </p>
      )}
      <p className="mt-1 text-xs text-slate-600">{p.sentimentHint}</p>
    </Card>
  )
}

export default function MeetingPage() {
  const t = useT()
  const locale = useLocale()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData
  const [params] = useSearchParams()
  const m = t.oneOnOnes.meeting
  const other = data.role === 'manager' ? data.report : data.manager
  const held = data.meeting.heldAt !== null
  const lastResult = (intent: MeetingIntent) => (actionData?.intent === intent ? actionData.result : undefined)
  const [agendaForm, agendaFields] = useForm({ id: 'add-agenda', lastResult: lastResult('add-agenda'), onValidate: ({ formData }) => parseWithZod(formData, { schema: meetingSchema(t) }), shouldValidate: 'onSubmit' })
  const [actionForm, actionFields] = useForm({
    id: 'add-action',
    lastResult: lastResult('add-action'),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: meetingSchema(t) }),
    shouldValidate: 'onSubmit',
    defaultValue: { owner: 'report' },
  })
  const [heldForm, heldFields] = useForm({
    id: 'mark-held',
    lastResult: lastResult('mark-held'),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: meetingSchema(t) }),
    shouldValidate: 'onSubmit',
    defaultValue: { actualDurationMinutes: String(data.meeting.durationMinutes) },
  })
  const [checkInForm, checkInFields] = useForm({
    id: 'check-in',
    lastResult: lastResult('check-in'),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: meetingSchema(t) }),
    shouldValidate: 'onSubmit',
    defaultValue: { score: data.meeting.checkInScore ? String(data.meeting.checkInScore) : undefined },
  })
  const [sharedForm, sharedFields] = useForm({ id: 'shared-notes-form', lastResult: lastResult('shared-notes'), onValidate: ({ formData }) => parseWithZod(formData, { schema: meetingSchema(t) }), shouldValidate: 'onSubmit' })
  const [privateForm, privateFields] = useForm({ id: 'private-note-form', lastResult: lastResult('private-note'), onValidate: ({ formData }) => parseWithZod(formData, { schema: meetingSchema(t) }), shouldValidate: 'onSubmit' })
  const saved = params.get('saved')
  // The one-button forms (tick, move) have no field of their own: their refusal (e.g. the meeting was marked held meanwhile) shows at the top.
  const ownForm: (MeetingIntent | null)[] = ['add-agenda', 'add-action', 'mark-held', 'check-in', 'shared-notes', 'private-note']
  const generalErrors = actionData && !ownForm.includes(actionData.intent) ? ((actionData.result as { error?: Record<string, string[] | null> }).error?.[''] ?? null) : null
  return (
    <>
      <div id="top" />
      <PageHeader
        title={m.title({ name: other.name })}
        description={
          held
            ? m.heldOn({ when: formatDateTime(locale, data.meeting.heldAt!, data.timezone), minutes: data.meeting.actualDurationMinutes ?? data.meeting.durationMinutes })
            : m.when({ when: formatDateTime(locale, data.meeting.scheduledAt, data.timezone), minutes: data.meeting.durationMinutes })
        }
        actions={
          <nav aria-label={t.oneOnOnes.title} className="flex flex-wrap gap-3 text-sm">
            {data.previousMeetingId ? (
              <Link className="text-brand-700 underline" to={`/one-on-ones/${data.previousMeetingId}`}>
                ← {m.previous}
              </Link>
            ) : null}
            {data.nextMeetingId ? (
              <Link className="text-brand-700 underline" to={`/one-on-ones/${data.nextMeetingId}`}>
                {m.next} →
              </Link>
            ) : null}
            {data.role === 'manager' ? (
              <Link className="text-brand-700 underline" to="/one-on-ones">
                {m.backToReports}
              </Link>
            ) : null}
          </nav>
        }
      />
      <p className="mb-4 text-sm text-slate-600">{m.privacy}</p>
      {params.get('scheduled') ? <Notice tone="success">{t.oneOnOnes.scheduled}</Notice> : null}
      {generalErrors?.length ? <Notice tone="error">{generalErrors.join(' ')}</Notice> : null}
      {saved === 'mark-held' ? <Notice tone="success">{m.heldSaved}</Notice> : saved ? <Notice tone="success">{m.saved}</Notice> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <section id="agenda" aria-labelledby="agenda-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
            <h2 id="agenda-title" className="mb-1 text-lg font-semibold">
              {m.agenda}
            </h2>
            <p className="mb-3 text-sm text-slate-600">{m.agendaIntro}</p>
            {data.agenda.length === 0 ? <p className="text-sm text-slate-600">{m.agendaEmpty}</p> : null}
            <ol className="mb-4 space-y-2">
              {data.agenda.map((item, index) => (
                <li key={item.id} className="flex flex-wrap items-center gap-2 rounded border border-slate-200 p-2">
                  <Form method="post">
                    <input type="hidden" name="intent" value="tick-agenda" />
                    <input type="hidden" name="itemId" value={item.id} />
                    <input type="hidden" name="done" value={item.done ? 'false' : 'true'} />
                    <button
                      type="submit"
                      disabled={held}
                      aria-label={item.done ? m.untick({ text: item.text }) : m.tick({ text: item.text })}
                      aria-pressed={item.done}
                      className="flex h-8 w-8 items-center justify-center rounded border border-slate-400 text-lg disabled:opacity-50"
                    >
                      {item.done ? '✓' : ''}
                    </button>
                  </Form>
                  <span className={`flex-1 ${item.done ? 'text-slate-500 line-through' : ''}`}>
                    {item.text}
                    {item.carried ? <span className="ml-2 rounded bg-slate-100 px-1.5 text-xs text-slate-600">{m.carried}</span> : null}
                  </span>
                  {held ? null : (
                    <span className="flex gap-1">
                      {(['up', 'down'] as const).map((direction) => (
                        <Form method="post" key={direction}>
                          <input type="hidden" name="intent" value="move-agenda" />
                          <input type="hidden" name="itemId" value={item.id} />
                          <input type="hidden" name="direction" value={direction} />
                          <button
                            type="submit"
                            disabled={direction === 'up' ? index === 0 : index === data.agenda.length - 1}
                            aria-label={direction === 'up' ? m.moveUp({ text: item.text }) : m.moveDown({ text: item.text })}
                            className="h-8 w-8 rounded border border-slate-300 disabled:opacity-40"
                          >
                            {direction === 'up' ? '↑' : '↓'}
                          </button>
                        </Form>
                      ))}
                    </span>
                  )}
                </li>
              ))}
            </ol>
            {held ? null : (
              <Form method="post" {...getFormProps(agendaForm)} className="flex flex-col gap-2 sm:flex-row sm:items-end">
                <input type="hidden" name="intent" value="add-agenda" />
                <div className="flex-1">
                  <FormErrors id={agendaForm.errorId} errors={agendaForm.errors} />
                  <TextField field={agendaFields.text} label={m.addTalkingPoint} />
                </div>
                <Button className="mb-4">{m.add}</Button>
              </Form>
            )}
          </section>

          <section id="actions" aria-labelledby="actions-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
            <h2 id="actions-title" className="mb-1 text-lg font-semibold">
              {m.actionItems}
            </h2>
            <p className="mb-3 text-sm text-slate-600">{m.actionItemsIntro}</p>
            {data.actionItems.length === 0 ? <p className="mb-3 text-sm text-slate-600">{m.actionItemsEmpty}</p> : null}
            <ul className="mb-4 space-y-2">
              {data.actionItems.map((item) => (
                <li key={item.id} className="flex items-start gap-2 rounded border border-slate-200 p-2">
                  <Form method="post">
                    <input type="hidden" name="intent" value="tick-action" />
                    <input type="hidden" name="itemId" value={item.id} />
                    <input type="hidden" name="done" value={item.done ? 'false' : 'true'} />
                    <button
                      type="submit"
                      aria-label={item.done ? m.reopen({ text: item.text }) : m.markDone({ text: item.text })}
                      aria-pressed={item.done}
                      className="flex h-8 w-8 items-center justify-center rounded border border-slate-400 text-lg"
                    >
                      {item.done ? '✓' : ''}
                    </button>
                  </Form>
                  <span className="flex-1 text-sm">
                    <span className={item.done ? 'text-slate-500 line-through' : 'font-medium'}>{item.text}</span>
                    <span className="block text-xs text-slate-600">
                      {item.ownerName}
                      {item.dueOn ? ` · ${m.due({ date: formatDate(locale, item.dueOn) })}` : ''}
                      {item.agreedHere ? '' : ` · ${m.agreedEarlier}`}
                      {item.done ? ` · ${m.done}` : ''}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
            <Form method="post" {...getFormProps(actionForm)}>
              <input type="hidden" name="intent" value="add-action" />
              <FormErrors id={actionForm.errorId} errors={actionForm.errors} />
              <TextField field={actionFields.text} label={m.actionText} />
              <div className="grid gap-x-4 sm:grid-cols-2">
                <SelectField
                  field={actionFields.owner}
                  label={m.owner}
                  options={[
                    { value: 'report', label: data.report.name },
                    { value: 'manager', label: data.manager.name },
                  ]}
                />
                <TextField field={actionFields.dueOn} label={m.dueOn} type="date" />
              </div>
              <Button>{m.addAction}</Button>
            </Form>
          </section>

          <section id="shared-notes" aria-labelledby="shared-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
            <h2 id="shared-title" className="mb-3 text-lg font-semibold">
              {m.sharedNotes}
            </h2>
            {data.meeting.sharedNotes.trim() ? <SafeMarkdown source={data.meeting.sharedNotes} /> : <p className="text-sm text-slate-600">{m.sharedNotesEmpty}</p>}
            <Form method="post" {...getFormProps(sharedForm)} className="mt-4">
              <input type="hidden" name="intent" value="shared-notes" />
              <FormErrors id={sharedForm.errorId} errors={sharedForm.errors} />
              <label htmlFor="shared-notes-input" className="block text-sm font-medium text-slate-800">
                {m.sharedNotes}
              </label>
              <textarea
                id="shared-notes-input"
                name="notes"
                rows={8}
                maxLength={NOTES_MAX}
                defaultValue={data.meeting.sharedNotes}
                aria-describedby="shared-notes-hint"
                aria-invalid={sharedFields.notes.errors?.length ? true : undefined}
                className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
              />
              <p id="shared-notes-hint" className="mb-2 mt-1 text-xs text-slate-600">
                {m.sharedNotesHint}
              </p>
              {sharedFields.notes.errors?.length ? (
                <p role="alert" className="mb-2 text-sm text-red-700">
                  {sharedFields.notes.errors.join(' ')}
                </p>
              ) : null}
              <Button>{m.saveNotes}</Button>
            </Form>
          </section>
        </div>

        <div className="space-y-6">
          <section id="private-note" aria-labelledby="private-title" className="rounded-lg border border-indigo-200 bg-indigo-50/40 p-4 shadow-sm sm:p-6">
            <h2 id="private-title" className="mb-1 text-lg font-semibold">
              🔒 {m.privateNote}
            </h2>
            <p id="private-note-hint" className="mb-3 text-xs text-slate-700">
              {m.privateNoteHint}
            </p>
            {data.privateNote.state === 'wrong-key' ? <Notice tone="error">{m.wrongKey}</Notice> : null}
            <Form method="post" {...getFormProps(privateForm)}>
              <input type="hidden" name="intent" value="private-note" />
              <FormErrors id={privateForm.errorId} errors={privateForm.errors} />
              <label htmlFor="private-note-input" className="sr-only">
                {m.privateNote}
              </label>
              <textarea
                id="private-note-input"
                name="note"
                rows={6}
                maxLength={NOTES_MAX}
                defaultValue={data.privateNote.state === 'ok' ? data.privateNote.text : ''}
                aria-describedby="private-note-hint"
                aria-invalid={privateFields.note.errors?.length ? true : undefined}
                className="mb-2 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
              />
              {privateFields.note.errors?.length ? (
                <p role="alert" className="mb-2 text-sm text-red-700">
                  {privateFields.note.errors.join(' ')}
                </p>
              ) : null}
              <Button variant="secondary">{m.savePrivate}</Button>
            </Form>
          </section>

          <Card title={m.checkIn}>
            {data.role === 'report' ? (
              <Form method="post" {...getFormProps(checkInForm)}>
                <input type="hidden" name="intent" value="check-in" />
                <FormErrors id={checkInForm.errorId} errors={checkInForm.errors} />
                <fieldset className="mb-2">
                  <legend className="mb-2 text-sm font-medium">{m.checkInQuestion}</legend>
                  <div className="flex flex-wrap gap-1">
                    {Array.from({ length: 10 }, (_, i) => String(i + 1)).map((n) => (
                      <label key={n} className="flex min-h-10 min-w-10 cursor-pointer items-center justify-center rounded border border-slate-300 has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50">
                        <input type="radio" name="score" value={n} defaultChecked={String(data.meeting.checkInScore ?? '') === n} className="sr-only" />
                        {n}
                      </label>
                    ))}
                  </div>
                </fieldset>
                {checkInFields.score.errors?.length ? (
                  <p role="alert" className="mb-2 text-sm text-red-700">
                    {checkInFields.score.errors.join(' ')}
                  </p>
                ) : null}
                <p className="mb-2 text-xs text-slate-600">{m.checkInHint}</p>
                <Button variant="secondary">{m.checkInSave}</Button>
              </Form>
            ) : (
              <p className="text-sm">
                <span className="font-medium">{m.checkInByReport({ name: data.report.name })}: </span>
                {data.meeting.checkInScore ? m.checkInValue({ score: data.meeting.checkInScore }) : m.checkInNone}
              </p>
            )}
          </Card>

          {data.role === 'manager' && !held ? (
            <Card title={m.markHeld}>
              <Form method="post" {...getFormProps(heldForm)}>
                <input type="hidden" name="intent" value="mark-held" />
                <FormErrors id={heldForm.errorId} errors={heldForm.errors} />
                <TextField field={heldFields.actualDurationMinutes} label={m.actualDuration} type="number" hint={m.markHeldHint} />
                <Button>{m.markHeld}</Button>
              </Form>
            </Card>
          ) : null}

          {data.prep ? <PrepPanelCard prep={data.prep} reportName={data.report.name} held={held} /> : null}
        </div>
      </div>
    </>
  )
}
