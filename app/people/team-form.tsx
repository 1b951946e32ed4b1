import { type SubmissionResult, getFormProps } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { FormErrors, SelectField, TextField } from '~/ui/fields'
import { Button } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'
import { teamFormSchema } from './schemas'

/** Create/edit a team: name, parent team, manager. Works without JavaScript. */
export function TeamForm(props: {
  id: string
  defaults?: { name?: string; parentId?: string; managerId?: string }
  lastResult?: SubmissionResult<string[]> | null
  teams: { id: string; name: string }[]
  people: { id: string; name: string; email: string }[]
  submitLabel: string
}) {
  const t = useT()
  const navigation = useNavigation()
  const [form, fields] = useZodForm(teamFormSchema(t), { id: props.id, defaultValue: props.defaults, lastResult: props.lastResult, shouldValidate: 'onBlur' })
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextField field={fields.name} label={t.people.teams.name} autoComplete="off" />
      <SelectField field={fields.parentId} label={t.people.teams.parent} emptyLabel={t.people.teams.noParent} options={props.teams.map((team) => ({ value: team.id, label: team.name }))} />
      <SelectField field={fields.managerId} label={t.people.teams.manager} emptyLabel={t.people.teams.noManager} options={props.people.map((p) => ({ value: p.id, label: `${p.name} (${p.email})` }))} />
      <Button disabled={navigation.state === 'submitting'}>{props.submitLabel}</Button>
    </Form>
  )
}
