import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireViewer } from '~/auth/guards.server'
import { type Messages, messagesFor } from '~/i18n'
import { useT } from '~/i18n/use-t'
import { getWeeklyDigest, managesPeople, setWeeklyDigest } from '~/insights/reports.server'
import { FormErrors } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'

export const meta: MetaFunction = () => [{ title: 'Weekly digest · Pulseboard' }]

/** /me/digest: the signed-in person turns their weekly digest on or off (linked from every digest). */
const digestSchema = (t: Messages) => z.object({ weeklyDigest: z.enum(['on', 'off'], { error: t.reports.me.invalid }) })

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireViewer(context.app, request)
  const [on, manager] = await Promise.all([getWeeklyDigest(context.app.db, viewer.id), managesPeople(context.app.db, viewer.id)])
  return { on, manager }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requireViewer(ctx, request)
  const submission = parseWithZod(await request.formData(), { schema: digestSchema(messagesFor(viewer.locale ?? 'en')) })
  if (submission.status !== 'success') return data({ result: submission.reply(), saved: null }, { status: 400 })
  const on = submission.value.weeklyDigest === 'on'
  await setWeeklyDigest(ctx.db, viewer.id, on)
  return { result: submission.reply(), saved: on ? ('on' as const) : ('off' as const) }
}

export default function MyDigest() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useZodForm(digestSchema(t), {
    id: 'weekly-digest',
    lastResult: actionData?.result,
    defaultValue: { weeklyDigest: data.on ? 'on' : 'off' },
  })
  const current = actionData?.saved ?? (data.on ? 'on' : 'off')
  const errorId = `${fields.weeklyDigest.id}-error`
  return (
    <>
      <PageHeader title={t.reports.me.title} description={t.reports.me.description} />
      <Card>
        {actionData?.saved ? <Notice tone="success">{actionData.saved === 'on' ? t.reports.me.savedOn : t.reports.me.savedOff}</Notice> : null}
        {data.manager ? null : <p className="mb-4 text-slate-700">{t.reports.me.notManager}</p>}
        <Form method="post" {...getFormProps(form)}>
          <FormErrors id={form.errorId} errors={form.errors} />
          <fieldset key={current} className="mb-4" aria-describedby={fields.weeklyDigest.errors?.length ? errorId : undefined}>
            <legend className="mb-2 text-sm font-medium text-slate-800">{t.reports.me.legend}</legend>
            {(['on', 'off'] as const).map((value) => (
              <label key={value} className="mb-2 flex items-center gap-2">
                <input type="radio" name={fields.weeklyDigest.name} value={value} defaultChecked={current === value} className="h-4 w-4" />
                <span>{value === 'on' ? t.reports.me.on : t.reports.me.off}</span>
              </label>
            ))}
            {fields.weeklyDigest.errors?.length ? (
              <p id={errorId} className="mt-1 text-sm text-red-700" role="alert">
                {fields.weeklyDigest.errors.join(' ')}
              </p>
            ) : null}
          </fieldset>
          <Button>{t.reports.me.save}</Button>
        </Form>
      </Card>
    </>
  )
}
