/**
 * The survey as a respondent sees it: used by /s/<token> and by the designer's preview, so the
 * preview is exactly the real thing. Plain radios and textareas in a fieldset per question: it
 * works without JavaScript and with a screen reader, with large tap targets on a 360 px phone.
 */
import type { ReactNode } from 'react'
import type { FrozenQuestion, PrivacyMode } from '#db/schema/surveys'
import { messagesFor } from '~/i18n'
import type { Locale } from '~/i18n/locale'
import { privacyStatement } from '~/responses/privacy'

export type RespondentQuestion = Pick<FrozenQuestion, 'position' | 'type' | 'required' | 'text' | 'options' | 'scale'>

const fieldName = (q: RespondentQuestion) => `q${q.position}`

function range(from: number, to: number) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}

function Choice(props: { name: string; value: number; label: ReactNode; srLabel?: string; checked: boolean; disabled?: boolean; describedBy?: string; wide?: boolean }) {
  const id = `${props.name}-${props.value}`
  return (
    <div className={props.wide ? '' : 'min-w-0'}>
      <input
        type="radio"
        id={id}
        name={props.name}
        value={props.value}
        defaultChecked={props.checked}
        disabled={props.disabled}
        aria-describedby={props.describedBy}
        className="peer sr-only"
      />
      <label
        htmlFor={id}
        className={`flex min-h-12 cursor-pointer items-center justify-center rounded-lg border-2 border-slate-300 bg-white px-2 py-2 text-center text-base font-medium text-slate-800 peer-checked:border-brand-700 peer-checked:bg-brand-700 peer-checked:text-white peer-focus-visible:outline peer-focus-visible:outline-3 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-700 ${props.wide ? 'justify-start text-left' : ''}`}
      >
        {props.label}
        {props.srLabel ? <span className="sr-only"> {props.srLabel}</span> : null}
      </label>
    </div>
  )
}

export function RespondentForm(props: {
  locale: Locale
  title: string
  privacy: PrivacyMode
  threshold?: number
  questions: RespondentQuestion[]
  /** Per-question messages, by field name (q1 … q10), and the answers as posted: Conform's reply to refused answers. */
  errors?: Record<string, string[] | null | undefined>
  values?: Record<string, unknown>
  /** The designer's preview: shows everything, sends nothing. */
  preview?: boolean
  closesOn?: string
  formError?: string
  children?: ReactNode
}) {
  const t = messagesFor(props.locale).surveys.respond
  const statement = privacyStatement(props.privacy, props.locale, props.threshold)
  const body = (
    <>
      {props.formError ? (
        <div role="alert" className="mb-4 rounded-md border border-red-300 bg-red-50 p-3 text-base text-red-900">
          {props.formError}
        </div>
      ) : null}
      <ol className="flex list-none flex-col gap-6 p-0">
        {props.questions.map((q, index) => {
          const name = fieldName(q)
          const errors = props.errors?.[name]
          const errorId = errors?.length ? `${name}-error` : undefined
          const posted = props.values?.[name]
          const value = typeof posted === 'string' ? posted : undefined
          const legend = (
            <legend className="mb-3 text-lg font-semibold leading-snug text-slate-900">
              <span className="text-slate-500">{index + 1}. </span>
              {q.text[props.locale]}
              <span className="ml-1 text-sm font-normal text-slate-600">({q.required ? t.required : t.optional})</span>
            </legend>
          )
          let control: ReactNode
          if (q.type === 'enps' || q.type === 'rating') {
            const min = q.type === 'enps' && q.scale === '0-10' ? 0 : 1
            const values = range(min, 10)
            const [low, high] = q.type === 'enps' ? [t.notLikely, t.veryLikely] : [t.low, t.high]
            control = (
              <>
                <div className={`grid gap-2 ${values.length === 11 ? 'grid-cols-6 sm:grid-cols-11' : 'grid-cols-5 sm:grid-cols-10'}`}>
                  {values.map((v) => (
                    <Choice key={v} name={name} value={v} label={v} srLabel={v === min ? `(${low})` : v === 10 ? `(${high})` : undefined} checked={value === String(v)} disabled={props.preview} describedBy={errorId} />
                  ))}
                </div>
                <div aria-hidden="true" className="mt-1 flex justify-between text-sm text-slate-600">
                  <span>
                    {min} = {low}
                  </span>
                  <span>10 = {high}</span>
                </div>
              </>
            )
          } else if (q.type === 'agreement') {
            control = (
              <div className="grid grid-cols-1 gap-2 sm:grid-cols-5">
                {([1, 2, 3, 4, 5] as const).map((v) => (
                  <Choice key={v} name={name} value={v} label={t.agreement[v]} checked={value === String(v)} disabled={props.preview} describedBy={errorId} wide />
                ))}
              </div>
            )
          } else if (q.type === 'choice') {
            control = (
              <div className="grid grid-cols-1 gap-2">
                {(q.options ?? []).map((o, i) => (
                  <Choice key={i} name={name} value={i} label={o[props.locale]} checked={value === String(i)} disabled={props.preview} describedBy={errorId} wide />
                ))}
              </div>
            )
          } else {
            control = (
              <>
                <label htmlFor={`${name}-text`} className="sr-only">
                  {t.yourAnswer}
                </label>
                <textarea
                  id={`${name}-text`}
                  name={name}
                  rows={4}
                  maxLength={2000}
                  defaultValue={value}
                  disabled={props.preview}
                  aria-describedby={errorId}
                  aria-invalid={errors?.length ? true : undefined}
                  className="block w-full rounded-lg border-2 border-slate-300 px-3 py-2 text-base"
                />
              </>
            )
          }
          return (
            <li key={q.position}>
              <fieldset aria-invalid={errors?.length ? true : undefined} aria-describedby={errorId} className="m-0 border-0 p-0">
                {legend}
                {control}
                {errors?.length ? (
                  <p id={errorId} className="mt-2 text-base font-medium text-red-700">
                    {errors.join(' ')}
                  </p>
                ) : null}
              </fieldset>
            </li>
          )
        })}
      </ol>
    </>
  )
  return (
    <div lang={props.locale} className="mx-auto w-full max-w-2xl">
      <h1 className="text-2xl font-bold tracking-tight">{props.title}</h1>
      <p className="mt-1 text-slate-700">
        {t.intro} {props.closesOn ? t.closesOn({ date: props.closesOn }) : null}
      </p>
      <section aria-labelledby="privacy-title" className="my-5 rounded-lg border border-slate-200 bg-slate-100 p-4">
        <h2 id="privacy-title" className="text-base font-semibold">
          {statement.title}
        </h2>
        <p className="mt-1 text-base text-slate-800">{statement.body}</p>
      </section>
      {body}
      {props.children}
    </div>
  )
}
