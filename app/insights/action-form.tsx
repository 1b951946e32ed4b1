import { type SubmissionResult, getFormProps } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { useLocale, useT } from '~/i18n/use-t'
import { DRIVER_KEYS, DRIVER_LABELS } from '~/responses/drivers'
import { FormErrors, SelectField, TextField, TextareaField } from '~/ui/fields'
import { Button } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'
import { actionFormSchema, actionStatuses } from './action-schema'
import { KPI_KEYS } from './overlay'

export type ActionFormDefaults = {
  title?: string
  description?: string
  ownerId?: string
  teamId?: string
  driver?: string
  kpi?: string
  dueOn?: string
  status?: string
  outcome?: string
  source?: string
  sourceSurveyId?: string
  sourceRoundId?: string
  signalId?: string
}

/** Create or edit an action. One schema with the server; works without JavaScript. */
export function ActionForm(props: {
  id: string
  defaults: ActionFormDefaults
  lastResult?: SubmissionResult<string[]> | null
  teams: { id: string; name: string }[]
  owners: { id: string; name: string; email: string }[]
  /** hr/admin may choose "whole organisation". */
  canOrg: boolean
  /** The team comes from the signal and cannot change. */
  teamLocked?: boolean
  submitLabel: string
}) {
  const t = useT()
  const locale = useLocale()
  const navigation = useNavigation()
  const [form, fields] = useZodForm(actionFormSchema(t), { id: props.id, defaultValue: props.defaults, lastResult: props.lastResult, shouldValidate: 'onBlur' })
  const f = t.actions.fields
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      {(['source', 'sourceSurveyId', 'sourceRoundId', 'signalId'] as const).map((name) =>
        props.defaults[name] ? <input key={name} type="hidden" name={name} value={props.defaults[name]} /> : null,
      )}
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextField field={fields.title} label={f.title} autoComplete="off" />
      <TextareaField field={fields.description} label={f.description} rows={3} />
      {props.teamLocked ? (
        <>
          <input type="hidden" name="teamId" value={props.defaults.teamId} />
          <p className="mb-4 text-sm">
            <span className="font-medium">{f.team}: </span>
            {props.teams.find((team) => team.id === props.defaults.teamId)?.name}
          </p>
        </>
      ) : (
        <SelectField field={fields.teamId} label={f.team} emptyLabel={props.canOrg ? t.actions.allOrganisation : undefined} options={props.teams.map((team) => ({ value: team.id, label: team.name }))} />
      )}
      <SelectField field={fields.ownerId} label={f.owner} emptyLabel={f.noOwner} options={props.owners.map((p) => ({ value: p.id, label: `${p.name} (${p.email})` }))} />
      <SelectField
        field={fields.driver}
        label={f.driver}
        emptyLabel={f.noDriver}
        options={[{ value: 'enps', label: t.actions.enps }, ...DRIVER_KEYS.map((d) => ({ value: d, label: DRIVER_LABELS[d][locale] }))]}
      />
      <SelectField field={fields.kpi} label={f.kpi} emptyLabel={f.noKpi} options={KPI_KEYS.map((k) => ({ value: k, label: t.insights.kpis[k] }))} />
      <TextField field={fields.dueOn} label={f.dueOn} type="date" />
      <SelectField field={fields.status} label={f.status} options={actionStatuses.map((s) => ({ value: s, label: t.actions.statuses[s] }))} />
      <TextareaField field={fields.outcome} label={f.outcome} hint={f.outcomeHint} rows={3} />
      <Button disabled={navigation.state === 'submitting'}>{props.submitLabel}</Button>
    </Form>
  )
}
