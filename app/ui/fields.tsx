import { type FieldMetadata, getInputProps, getSelectProps, getTextareaProps } from '@conform-to/react'
import type { ReactNode } from 'react'

// Conform's field metadata is typed by each form's schema; these components only read its id,
// name, errors and constraints, so they accept any field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyField = FieldMetadata<any, any, any>

const inputClass =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm aria-[invalid=true]:border-red-600 sm:text-sm'

function FieldFrame(props: { id: string; label: ReactNode; hint?: ReactNode; errors?: string[]; children: ReactNode }) {
  return (
    <div className="mb-4">
      <label htmlFor={props.id} className="block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      {props.children}
      {props.hint ? (
        <p id={`${props.id}-hint`} className="mt-1 text-xs text-slate-600">
          {props.hint}
        </p>
      ) : null}
      {props.errors?.length ? (
        <p id={`${props.id}-error`} className="mt-1 text-sm text-red-700" role="alert">
          {props.errors.join(' ')}
        </p>
      ) : null}
    </div>
  )
}

type InputType = 'text' | 'email' | 'password' | 'number' | 'date' | 'time' | 'datetime-local' | 'search' | 'url' | 'file'

export function TextField(props: { field: AnyField; label: ReactNode; type?: InputType; hint?: ReactNode; autoComplete?: string; placeholder?: string }) {
  const { key, ...inputProps } = getInputProps(props.field, { type: props.type ?? 'text', ariaDescribedBy: props.hint ? `${props.field.id}-hint` : undefined })
  return (
    <FieldFrame id={props.field.id} label={props.label} hint={props.hint} errors={props.field.errors}>
      <input key={key} {...inputProps} autoComplete={props.autoComplete} placeholder={props.placeholder} className={inputClass} />
    </FieldFrame>
  )
}

export function SelectField(props: { field: AnyField; label: ReactNode; options: { value: string; label: string }[]; hint?: ReactNode; emptyLabel?: string }) {
  const { key, ...selectProps } = getSelectProps(props.field)
  return (
    <FieldFrame id={props.field.id} label={props.label} hint={props.hint} errors={props.field.errors}>
      <select key={key} {...selectProps} className={inputClass}>
        {props.emptyLabel !== undefined ? <option value="">{props.emptyLabel}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  )
}

export function TextareaField(props: { field: AnyField; label: ReactNode; hint?: ReactNode; rows?: number }) {
  const { key, ...textareaProps } = getTextareaProps(props.field)
  return (
    <FieldFrame id={props.field.id} label={props.label} hint={props.hint} errors={props.field.errors}>
      <textarea key={key} {...textareaProps} rows={props.rows ?? 4} className={inputClass} />
    </FieldFrame>
  )
}

export function FormErrors(props: { id?: string; errors?: string[] }) {
  if (!props.errors?.length) return null
  return (
    <div id={props.id} role="alert" className="mb-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      {props.errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  )
}
