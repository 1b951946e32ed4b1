import type { SubmissionResult } from '@conform-to/react'
import { getFormProps } from '@conform-to/react'
import { Form, Link, useSearchParams } from '@remix-run/react'
import { formatDate, formatDateTime } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { FormErrors, SelectField, TextField } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'
import { type MeetingIntent, NOTES_MAX, meetingForms } from './forms'
import { SafeMarkdown } from './markdown'
import type { MeetingPageData } from './meeting.server'
import { PrepPanelCard } from './prep-panel'

/** What the meeting page's action answers when it refuses a form: which form, and Conform's reply. */
export type MeetingActionData = { intent: MeetingIntent | null; result: SubmissionResult<string[]> } | undefined

/** The section of the page a form belongs to: a plain post (JavaScript off) lands back there. */
export function meetingSection(intent: MeetingIntent): string {
  return intent.includes('agenda') ? 'agenda' : intent.includes('action') ? 'actions' : intent === 'mark-held' ? 'top' : intent
}

// The one-button forms (tick, move) have no field of their own: their refusal (e.g. the meeting was marked held meanwhile) shows at the top.
const ownForm: (MeetingIntent | null)[] = ['add-agenda', 'add-action', 'mark-held', 'check-in', 'shared-notes', 'private-note']

/** The 1:1 page for one of its two participants: agenda, action items, shared and private notes, check-in, and the manager's prep. */
export function MeetingView(props: { data: MeetingPageData; actionData: MeetingActionData }) {
  const t = useT()
  const locale = useLocale()
  const { data, actionData } = props
  const [params] = useSearchParams()
  const m = t.oneOnOnes.meeting
  const other = data.role === 'manager' ? data.report : data.manager
  const held = data.meeting.heldAt !== null
  const lastResult = (intent: MeetingIntent) => (actionData?.intent === intent ? actionData.result : undefined)
  const [agendaForm, agendaFields] = useZodForm(meetingForms['add-agenda'](t), { id: 'add-agenda', lastResult: lastResult('add-agenda'), shouldValidate: 'onSubmit' })
  const [actionForm, actionFields] = useZodForm(meetingForms['add-action'](t), { id: 'add-action', lastResult: lastResult('add-action'), shouldValidate: 'onSubmit', defaultValue: { owner: 'report' } })
  const [heldForm, heldFields] = useZodForm(meetingForms['mark-held'](t), {
    id: 'mark-held',
    lastResult: lastResult('mark-held'),
    shouldValidate: 'onSubmit',
    defaultValue: { actualDurationMinutes: String(data.meeting.durationMinutes) },
  })
  const [checkInForm, checkInFields] = useZodForm(meetingForms['check-in'](t), {
    id: 'check-in',
    lastResult: lastResult('check-in'),
    shouldValidate: 'onSubmit',
    defaultValue: { score: data.meeting.checkInScore ? String(data.meeting.checkInScore) : undefined },
  })
  const [sharedForm, sharedFields] = useZodForm(meetingForms['shared-notes'](t), { id: 'shared-notes-form', lastResult: lastResult('shared-notes'), shouldValidate: 'onSubmit' })
  const [privateForm, privateFields] = useZodForm(meetingForms['private-note'](t), { id: 'private-note-form', lastResult: lastResult('private-note'), shouldValidate: 'onSubmit' })
  const saved = params.get('saved')
  const generalErrors = actionData && !ownForm.includes(actionData.intent) ? (actionData.result.error?.[''] ?? null) : null
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
