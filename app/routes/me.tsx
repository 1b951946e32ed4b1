import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireViewer } from '~/auth/guards.server'
import { passwordRules } from '~/auth/password-rules'
import { setPassword } from '~/auth/password-sign-in.server'
import { revokeSessionsOf, sessionCookie } from '~/auth/session.server'
import { type Messages, messagesFor } from '~/i18n'
import { useT } from '~/i18n/use-t'
import { MyOneOnOnesSection } from '~/one-on-ones/my-one-on-ones'
import { listMyOneOnOnes } from '~/one-on-ones/one-on-ones.server'
import { FormErrors, TextField } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { formatDate } from '~/i18n/format'
import { useLocale } from '~/i18n/use-t'
import { issueMyLink, listMyOpenInvitations } from '~/surveys/sending.server'
import { MyCommentReplies } from '~/replies/my-replies'
import { myCommentReplies } from '~/replies/replies.server'
import { useZodForm } from '~/ui/use-zod-form'

export const meta: MetaFunction = () => [{ title: 'My page · Pulseboard' }]

const passwordSchema = (t: Messages) =>
  z.object({
    intent: z.literal('set-password'),
    password: z
      .string({ error: t.auth.passwordTooShort({ min: passwordRules.min }) })
      .min(passwordRules.min, { error: t.auth.passwordTooShort({ min: passwordRules.min }) })
      .max(passwordRules.max),
  })

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireViewer(context.app, request)
  return { name: viewer.name, email: viewer.email, role: viewer.role, oneOnOnes: await listMyOneOnOnes(context.app.db, viewer), openSurveys: await listMyOpenInvitations(context.app, viewer.id), commentReplies: await myCommentReplies(context.app.db, viewer.id) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requireViewer(ctx, request)
  const t = messagesFor(viewer.locale ?? 'en')
  const formData = await request.formData()
  if (formData.get('intent') === 'open-survey') {
    // Only hashes are stored, so the email's link cannot be shown again: issue a fresh one for this person.
    const link = await issueMyLink(ctx, viewer.id, String(formData.get('invitationId') ?? ''))
    if (!link) throw redirect('/me')
    throw redirect(link)
  }
  if (formData.get('intent') === 'sign-out-everywhere') {
    await revokeSessionsOf(ctx.db, viewer.id)
    throw redirect('/login', { headers: { 'Set-Cookie': await sessionCookie(ctx.env).serialize('', { maxAge: 0 }) } })
  }
  const submission = parseWithZod(formData, { schema: passwordSchema(t) })
  if (submission.status !== 'success') return { result: submission.reply({ hideFields: ['password'] }), saved: false }
  await setPassword(ctx, viewer.id, submission.value.password)
  return { result: submission.reply({ resetForm: true }), saved: true }
}

export default function Me() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useZodForm(passwordSchema(t), { id: 'password', lastResult: actionData?.result, shouldValidate: 'onBlur' })
  return (
    <>
      <PageHeader title={data.name} description={`${data.email} · ${t.people.roles[data.role]}`} />
      <div className="grid gap-6 lg:grid-cols-2">
        <MyOpenSurveys surveys={data.openSurveys} />
        <Card title={t.auth.setPassword}>
          {actionData?.saved ? <Notice tone="success">{t.auth.passwordSaved}</Notice> : null}
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="set-password" />
            <FormErrors id={form.errorId} errors={form.errors} />
            <TextField field={fields.password} label={t.auth.password} type="password" autoComplete="new-password" hint={t.auth.passwordRules({ min: passwordRules.min })} />
            <Button>{t.common.actions.save}</Button>
          </Form>
          <Form method="post" className="mt-6 border-t border-slate-200 pt-4">
            <input type="hidden" name="intent" value="sign-out-everywhere" />
            <Button variant="secondary">{t.auth.signOutEverywhere}</Button>
          </Form>
          <p className="mt-6 border-t border-slate-200 pt-4 text-sm text-slate-700">
            <a href="/me/export.json" download className="font-semibold text-brand-700 underline">{t.dataProtection.export.link}</a>
            <span className="mt-1 block">{t.dataProtection.export.hint}</span>
          </p>
        </Card>
      </div>
      <MyOneOnOnesSection data={data.oneOnOnes} />
      <MyCommentReplies replies={data.commentReplies} />
    </>
  )
}

/** "My open surveys": unanswered invitations of open rounds, each opened with a freshly issued link. */
function MyOpenSurveys(props: { surveys: { invitationId: string; title: string; closesAt: string }[] }) {
  const t = useT()
  const locale = useLocale()
  return (
    <Card title={t.surveys.me.title}>
      {props.surveys.length === 0 ? (
        <p className="text-slate-700">{t.surveys.me.none}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {props.surveys.map((s) => (
            <li key={s.invitationId} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <span>
                <span className="font-medium">{s.title}</span>
                <span className="block text-sm text-slate-600">{t.surveys.me.closes({ date: formatDate(locale, s.closesAt) })}</span>
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="open-survey" />
                <input type="hidden" name="invitationId" value={s.invitationId} />
                <Button>{t.surveys.me.answer}</Button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </Card>
  )
}
