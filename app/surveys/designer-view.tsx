import { type FieldMetadata, type FormMetadata, type SubmissionResult, getFormProps, getInputProps, getSelectProps } from '@conform-to/react'
import { Form, Link } from '@remix-run/react'
import { type Messages, messagesFor } from '~/i18n'
import { formatDateTime } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { DRIVER_KEYS, DRIVER_LABELS } from '~/responses/drivers'
import { DataTable } from '~/ui/data-table'
import { FormErrors, SelectField, TextField, TextareaField } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'
import { type DesignForm, type QuestionForm, designerForms } from './designer-forms'
import type { DesignerPageData } from './designer.server'
import { RespondentForm } from './respondent-form'

/** What the designer's action answers: Conform's reply to "Save", and the notice to show. */
export type DesignerActionData = { result?: SubmissionResult<string[]>; notice?: 'saved' | 'status' | 'round' | 'closed' | 'error'; message?: string } | undefined

function StatusButton(props: { change: 'activate' | 'pause' | 'resume' | 'end'; label: string; variant?: 'primary' | 'secondary' | 'danger' }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="change" value={props.change} />
      <Button variant={props.variant ?? 'secondary'}>{props.label}</Button>
    </Form>
  )
}

function MultiSelect(props: { field: FieldMetadata<string[]>; label: string; options: { value: string; label: string }[] }) {
  const { key, ...selectProps } = getSelectProps(props.field)
  return (
    <div className="mb-4">
      <label htmlFor={props.field.id} className="block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      <select key={key} {...selectProps} multiple size={Math.min(8, Math.max(3, props.options.length))} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.field.errors?.length ? (
        <p id={props.field.errorId} role="alert" className="mt-1 text-sm text-red-700">
          {props.field.errors.join(' ')}
        </p>
      ) : null}
    </div>
  )
}

function QuestionEditor(props: { t: Messages; field: FieldMetadata<QuestionForm>; index: number; count: number; form: FormMetadata<DesignForm>; listName: string }) {
  const { t, index, form } = props
  const q = props.field.getFieldset()
  const text = q.text.getFieldset()
  const s = t.surveys
  return (
    <fieldset className="mb-4 rounded-lg border border-slate-200 p-4">
      <legend className="px-1 text-base font-semibold">{s.fields.questionN({ n: index + 1 })}</legend>
      <FormErrors id={props.field.errorId} errors={props.field.errors} />
      <div className="grid gap-x-4 sm:grid-cols-3">
        <SelectField field={q.type} label={s.fields.type} options={(['enps', 'agreement', 'rating', 'choice', 'text'] as const).map((v) => ({ value: v, label: s.questionTypes[v] }))} />
        <SelectField field={q.driver} label={s.fields.driver} emptyLabel={s.fields.noDriver} options={DRIVER_KEYS.map((d) => ({ value: d, label: DRIVER_LABELS[d][t === messagesFor('it') ? 'it' : 'en'] }))} />
        <SelectField field={q.required} label={s.fields.required} options={[{ value: 'true', label: s.fields.requiredYes }, { value: 'false', label: s.fields.requiredNo }]} />
      </div>
      <TextField field={text.en} label={s.fields.textEn} />
      <TextField field={text.it} label={s.fields.textIt} />
      <TextareaField field={q.options} label={s.fields.options} hint={s.fields.optionsHint} rows={3} />
      <input {...getInputProps(q.bankKey, { type: 'hidden' })} key={q.bankKey.key} />
      <div className="flex flex-wrap gap-2">
        <button {...form.reorder.getButtonProps({ name: props.listName, from: index, to: index - 1 })} disabled={index === 0} className="rounded border border-slate-300 px-3 py-2 text-sm disabled:opacity-40">
          {s.actions.moveUp}
        </button>
        <button {...form.reorder.getButtonProps({ name: props.listName, from: index, to: index + 1 })} disabled={index === props.count - 1} className="rounded border border-slate-300 px-3 py-2 text-sm disabled:opacity-40">
          {s.actions.moveDown}
        </button>
        <button {...form.remove.getButtonProps({ name: props.listName, index })} className="rounded border border-red-300 px-3 py-2 text-sm text-red-800">
          {s.actions.remove}
        </button>
      </div>
    </fieldset>
  )
}

/** The survey designer: schedule, audience and questions on the left, the live preview and the rounds on the right. */
export function SurveyDesignerView(props: { data: DesignerPageData; actionData: DesignerActionData }) {
  const t = useT()
  const locale = useLocale()
  const { data, actionData } = props
  const s = t.surveys
  // The schema's input type is `unknown` (its preprocessors take both form strings and API JSON),
  // so the form is typed by DesignForm, the shape the browser posts.
  const [form, fields] = useZodForm<ReturnType<typeof designerForms.save>, DesignForm>(designerForms.save(t), {
    id: `survey-${data.survey.id}`,
    lastResult: actionData?.result,
    defaultValue: data.form,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const questions = fields.questions.getFieldList()
  const audience = fields.audience.getFieldset()
  const status = data.survey.status
  const running = status === 'active' || status === 'paused'
  return (
    <>
      <PageHeader
        title={data.survey.title}
        description={`${s.statuses[status]} · ${s.privacyModes[data.survey.privacy]}`}
        actions={
          <>
            {status === 'draft' ? <StatusButton change="activate" label={s.actions.activate} variant="primary" /> : null}
            {status === 'active' ? <StatusButton change="pause" label={s.actions.pause} /> : null}
            {status === 'paused' ? <StatusButton change="resume" label={s.actions.resume} /> : null}
            {status !== 'ended' ? (
              <Form method="post">
                <input type="hidden" name="intent" value="send-now" />
                <Button variant="secondary">{s.actions.sendNow}</Button>
              </Form>
            ) : null}
            {data.rounds.some((r) => r.status === 'open') ? (
              <Form method="post">
                <input type="hidden" name="intent" value="close-round" />
                <Button variant="secondary">{s.actions.closeNow}</Button>
              </Form>
            ) : null}
            {status !== 'ended' ? <StatusButton change="end" label={s.actions.end} variant="danger" /> : null}
          </>
        }
      />
      {actionData?.notice === 'saved' ? <Notice tone="success">{s.designer.saved}</Notice> : null}
      {actionData?.notice === 'status' ? <Notice tone="success">{s.designer.statusChanged}</Notice> : null}
      {actionData?.notice === 'round' ? <Notice tone="success">{s.designer.roundOpened}</Notice> : null}
      {actionData?.notice === 'closed' ? <Notice tone="success">{s.designer.roundClosed}</Notice> : null}
      {actionData?.notice === 'error' ? <Notice tone="error">{actionData.message}</Notice> : null}
      {running ? <Notice>{s.designer.runningNote}</Notice> : null}
      {status === 'ended' ? <Notice tone="warning">{s.designer.ended}</Notice> : null}
      <p className="mb-4 text-sm text-slate-700">
        {status === 'active' && data.survey.nextDueAt ? s.designer.nextRound({ when: formatDateTime(locale, data.survey.nextDueAt, data.timezone) }) : s.designer.noNextRound}
      </p>
      <div className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="save" />
          <FormErrors id={form.errorId} errors={form.errors} />
          <Card title={s.designer.schedule} className="mb-6">
            <TextField field={fields.title} label={s.fields.title} />
            <div className="grid gap-x-4 sm:grid-cols-2">
              <SelectField field={fields.kind} label={s.fields.kind} options={(['pulse', 'enps'] as const).map((v) => ({ value: v, label: s.kinds[v] }))} />
              <SelectField field={fields.privacy} label={s.fields.privacy} hint={s.fields.privacyHint} options={(['anonymous', 'confidential', 'identified'] as const).map((v) => ({ value: v, label: s.privacyModes[v] }))} />
              <SelectField field={fields.cadence} label={s.fields.cadence} options={(['once', 'weekly', 'biweekly', 'monthly', 'quarterly'] as const).map((v) => ({ value: v, label: s.cadences[v] }))} />
              <TextField field={fields.sendDay} label={s.fields.sendDay} type="number" hint={s.fields.sendDayHint} />
              <TextField field={fields.sendTime} label={s.fields.sendTime} type="time" />
              <TextField field={fields.startsOn} label={s.fields.startsOn} type="date" />
              <TextField field={fields.responseWindowDays} label={s.fields.window} type="number" hint={s.fields.windowHint} />
              <TextField field={fields.reminderDays} label={s.fields.reminders} hint={s.fields.remindersHint} />
            </div>
            <TextareaField field={fields.quietPeriods} label={s.fields.quietPeriods} hint={s.fields.quietPeriodsHint} rows={3} />
            <SelectField field={audience.type} label={s.fields.audience} options={(['everyone', 'teams', 'people'] as const).map((v) => ({ value: v, label: s.audienceTypes[v] }))} />
            <div className="grid gap-x-4 sm:grid-cols-2">
              <MultiSelect field={audience.teamIds} label={s.fields.teams} options={data.choices.teams.map((x) => ({ value: x.id, label: x.name }))} />
              <MultiSelect field={audience.personIds} label={s.fields.people} options={data.choices.people.map((x) => ({ value: x.id, label: `${x.name} <${x.email}>` }))} />
            </div>
          </Card>
          <Card title={s.fields.questions} className="mb-6">
            <FormErrors id={fields.questions.errorId} errors={fields.questions.errors} />
            {questions.map((q, index) => (
              <QuestionEditor key={q.key} t={t} field={q} index={index} count={questions.length} form={form} listName={fields.questions.name} />
            ))}
            <button
              {...form.insert.getButtonProps({ name: fields.questions.name, defaultValue: { type: 'agreement', driver: '', required: 'true', text: { en: '', it: '' }, options: '', bankKey: '' } })}
              className="rounded border border-slate-300 px-3 py-2 text-sm"
            >
              {s.actions.addQuestion}
            </button>
            <details className="mt-4 rounded border border-slate-200 p-3">
              <summary className="cursor-pointer font-medium">{s.actions.addFromBank}</summary>
              <ul className="mt-2 divide-y divide-slate-100">
                {data.bank.map((b) => (
                  <li key={b.key} className="flex items-start justify-between gap-3 py-2 text-sm">
                    <span>
                      {b.text[locale]}
                      <span className="block text-xs text-slate-600">
                        {s.questionTypes[b.type]}
                        {b.driver ? ` · ${DRIVER_LABELS[b.driver][locale]}` : ''}
                      </span>
                    </span>
                    <button
                      {...form.insert.getButtonProps({
                        name: fields.questions.name,
                        defaultValue: { type: b.type, driver: b.driver ?? '', required: String(b.required), text: b.text, options: (b.options ?? []).map((o) => `${o.en} | ${o.it}`).join('\n'), bankKey: b.key },
                      })}
                      className="shrink-0 rounded border border-slate-300 px-2 py-1 text-xs"
                      aria-label={`${s.actions.addFromBank}: ${b.text[locale]}`}
                    >
                      +
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          </Card>
          <Button disabled={status === 'ended'}>{s.actions.save}</Button>
        </Form>
        <div>
          <Card title={s.designer.preview} className="mb-6">
            {(['en', 'it'] as const).map((l) => (
              <details key={l} open={l === locale} className="mb-3 rounded border border-slate-200 p-3">
                <summary className="cursor-pointer font-medium">{l === 'en' ? s.designer.previewEnglish : s.designer.previewItalian}</summary>
                <div className="mt-3 max-w-[400px]">
                  <RespondentForm locale={l} title={data.survey.title} privacy={data.survey.privacy} threshold={data.threshold} questions={data.preview} preview />
                </div>
              </details>
            ))}
          </Card>
          <Card title={s.designer.rounds}>
            {data.rounds.length === 0 ? (
              <p className="text-sm text-slate-700">{s.list.none}</p>
            ) : (
              <DataTable
                variant="compact"
                caption={s.designer.roundsCaption}
                captionHidden
                rowHeaders
                columns={[s.designer.due, ...[s.designer.invited, s.list.sent, s.list.failed, s.list.rejected, s.list.responded].map((header) => ({ header, align: 'right' as const, numeric: true }))]}
                rows={data.rounds.map((r) => [formatDateTime(locale, r.dueAt, data.timezone), r.invited, r.sent, r.failed, r.rejected, r.responded ?? (r.respondedFewerThan ? s.list.respondedFewerThan({ n: r.respondedFewerThan }) : s.list.none)])}
                rowKeys={data.rounds.map((r) => r.id)}
              />
            )}
          </Card>
          <p className="mt-4 text-sm">
            <Link to="/surveys" className="text-brand-700 underline">
              {s.title}
            </Link>
          </p>
        </div>
      </div>
    </>
  )
}
