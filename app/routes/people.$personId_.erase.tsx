import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { notFound, requirePermission, requireUuid } from '~/auth/guards.server'
import { type Messages, messagesFor } from '~/i18n'
import { useT } from '~/i18n/use-t'
import { getPerson } from '~/people/people.server'
import { type ErasureCounts, erasePerson } from '~/privacy/erase.server'
import { FormErrors, TextField } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'

export const meta: MetaFunction = () => [{ title: 'Erase a person · Pulseboard' }]

const eraseSchema = (t: Messages) =>
  z.object({ confirmEmail: z.string({ error: t.dataProtection.erase.confirmRequired }).trim().min(1, { error: t.dataProtection.erase.confirmRequired }) })

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requirePermission(context.app, request, 'people:erase')
  const person = await getPerson(context.app.db, requireUuid(params.personId))
  if (!person) notFound()
  return { person: { id: person.id, name: person.name, email: person.email } }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requirePermission(ctx, request, 'people:erase')
  const personId = requireUuid(params.personId)
  const t = messagesFor(viewer.locale ?? 'en')
  const submission = parseWithZod(await request.formData(), { schema: eraseSchema(t) })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await erasePerson(ctx.db, { personId, actorId: viewer.id, confirmEmail: submission.value.confirmEmail })
  if (outcome.ok) return { result: submission.reply({ resetForm: true }), erased: outcome.counts }
  if (outcome.reason === 'not-found') notFound()
  const message = outcome.reason === 'self' ? t.dataProtection.erase.self : t.dataProtection.erase.confirmMismatch
  return data({ result: submission.reply({ fieldErrors: { confirmEmail: [message] } }) }, { status: 400 })
}

export default function ErasePersonPage() {
  const t = useT()
  const e = t.dataProtection.erase
  const { person } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useZodForm(eraseSchema(t), { id: 'erase-person', lastResult: actionData?.result, shouldValidate: 'onBlur' })
  if (actionData && 'erased' in actionData) {
    const counts = actionData.erased
    return (
      <>
        <PageHeader title={e.done} />
        <Card title={e.summary} className="max-w-2xl">
          <table className="w-full text-sm">
            <tbody>
              {(Object.keys(e.counts) as (keyof ErasureCounts)[]).map((key) => (
                <tr key={key} className="border-b border-slate-100">
                  <th scope="row" className="py-1 pr-4 text-left font-normal">
                    {e.counts[key]}
                  </th>
                  <td className="py-1 text-right tabular-nums">{counts[key]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-4">
            <Link to="/people" className="font-semibold text-brand-700 underline">
              {e.backToPeople}
            </Link>
          </p>
        </Card>
      </>
    )
  }
  return (
    <>
      <PageHeader
        title={e.title({ name: person.name })}
        description={e.description}
        actions={<Link to={`/people/${person.id}`} className="text-sm font-semibold text-brand-700 underline">{t.common.actions.back}</Link>}
      />
      <Card className="max-w-2xl">
        <Notice tone="warning">
          <p className="font-semibold">{e.whatHappens}</p>
          <ul className="mt-2 list-disc pl-5">
            {Object.entries(e.effects).map(([key, text]) => (
              <li key={key}>{text}</li>
            ))}
          </ul>
        </Notice>
        <Form method="post" {...getFormProps(form)}>
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextField field={fields.confirmEmail} label={e.confirmLabel({ email: person.email })} type="text" autoComplete="off" />
          <Button variant="danger">{e.submit}</Button>
        </Form>
      </Card>
    </>
  )
}
