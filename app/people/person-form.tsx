import { type SubmissionResult, getFormProps } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { roles } from '#db/schema/people'
import { useT } from '~/i18n/use-t'
import { FormErrors, SelectField, TextField, TextareaField } from '~/ui/fields'
import { Button } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'
import { personFormSchema } from './schemas'

export type PersonFormDefaults = {
  name: string
  email: string
  role: string
  locale: string
  timezone: string
  teamId: string
  managerId: string
  crmOwnerKeys: string
  startedOn: string
  leftOn: string
}

/** The add/edit person form: plain inputs posted without JavaScript, validated on blur with it. */
export function PersonForm(props: {
  id: string
  defaults?: Partial<PersonFormDefaults>
  lastResult?: SubmissionResult<string[]> | null
  teams: { id: string; name: string }[]
  people: { id: string; name: string; email: string }[]
  submitLabel: string
}) {
  const t = useT()
  const navigation = useNavigation()
  const [form, fields] = useZodForm(personFormSchema(t), { id: props.id, defaultValue: props.defaults, lastResult: props.lastResult, shouldValidate: 'onBlur' })
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="grid gap-x-6 sm:grid-cols-2">
        <TextField field={fields.name} label={t.people.fields.name} autoComplete="off" />
        <TextField field={fields.email} label={t.people.fields.email} type="email" autoComplete="off" />
        <SelectField field={fields.role} label={t.people.fields.role} options={roles.map((r) => ({ value: r, label: t.people.roles[r] }))} />
        <SelectField field={fields.teamId} label={t.people.fields.team} emptyLabel={t.people.fields.noTeam} options={props.teams.map((team) => ({ value: team.id, label: team.name }))} />
        <SelectField
          field={fields.managerId}
          label={t.people.fields.manager}
          emptyLabel={t.people.fields.noManager}
          options={props.people.map((p) => ({ value: p.id, label: `${p.name} (${p.email})` }))}
        />
        <SelectField
          field={fields.locale}
          label={t.people.fields.locale}
          emptyLabel={t.people.fields.orgDefault}
          options={[
            { value: 'en', label: t.common.languages.en },
            { value: 'it', label: t.common.languages.it },
          ]}
        />
        <TextField field={fields.timezone} label={t.people.fields.timezone} hint={t.people.fields.timezoneHint} placeholder="Europe/Rome" />
        <div />
        <TextField field={fields.startedOn} label={t.people.fields.startedOn} type="date" />
        <TextField field={fields.leftOn} label={t.people.fields.leftOn} type="date" />
      </div>
      <TextareaField field={fields.crmOwnerKeys} label={t.people.fields.crmOwnerKeys} hint={t.people.fields.crmOwnerKeysHint} rows={3} />
      <Button disabled={navigation.state === 'submitting'}>{props.submitLabel}</Button>
    </Form>
  )
}
