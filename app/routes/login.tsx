import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { getViewer } from '~/auth/guards.server'
import { requestSignInLink, safeRedirect } from '~/auth/magic-link.server'
import { signInWithPassword } from '~/auth/password-sign-in.server'
import { clientIp, startSession } from '~/auth/session.server'
import { type Messages, messagesFor } from '~/i18n'
import { resolveLocale } from '~/i18n/locale.server'
import { useT } from '~/i18n/use-t'
import { getSettings } from '~/settings/settings.server'
import { FormErrors, TextField } from '~/ui/fields'
import { Button, Card, Notice } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'

export const meta: MetaFunction = () => [{ title: 'Sign in · Pulseboard' }]

const linkSchema = (t: Messages) =>
  z.object({
    intent: z.literal('link'),
    email: z.string({ error: t.auth.invalidEmail }).trim().toLowerCase().pipe(z.email({ error: t.auth.invalidEmail })),
    redirectTo: z.string().optional(),
  })

const passwordSchema = (t: Messages) =>
  z.object({
    intent: z.literal('password'),
    email: z.string({ error: t.auth.invalidEmail }).trim().toLowerCase().pipe(z.email({ error: t.auth.invalidEmail })),
    password: z.string({ error: t.auth.passwordRequired }).min(1, { error: t.auth.passwordRequired }),
    redirectTo: z.string().optional(),
  })

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await getViewer(context.app, request)
  const url = new URL(request.url)
  if (viewer) throw redirect(safeRedirect(url.searchParams.get('redirectTo')))
  return { devOutbox: context.app.mailer.transport === 'outbox' }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const settings = await getSettings(ctx.db)
  const t = messagesFor(await resolveLocale(request, null, settings.defaultLocale))
  const formData = await request.formData()
  const ip = clientIp(request)
  if (formData.get('intent') === 'password') {
    const submission = parseWithZod(formData, { schema: passwordSchema(t) })
    if (submission.status !== 'success') return { intent: 'password' as const, result: submission.reply({ hideFields: ['password'] }) }
    const outcome = await signInWithPassword(ctx, { ...submission.value, ip })
    if (!outcome.ok) {
      const message = 'retryAfter' in outcome ? t.common.errors.tooManyAttempts({ minutes: Math.ceil(outcome.retryAfter / 60) }) : t.auth.wrongPassword
      return data({ intent: 'password', result: submission.reply({ formErrors: [message], hideFields: ['password'] }) }, { status: 'retryAfter' in outcome ? 429 : 400 })
    }
    const cookie = await startSession(ctx.db, ctx.env, request, outcome.personId)
    throw redirect(safeRedirect(submission.value.redirectTo), { headers: { 'Set-Cookie': cookie } })
  }
  const submission = parseWithZod(formData, { schema: linkSchema(t) })
  if (submission.status !== 'success') return { intent: 'link' as const, result: submission.reply() }
  const outcome = await requestSignInLink(ctx, { email: submission.value.email, ip, redirectTo: submission.value.redirectTo })
  if (!outcome.ok) {
    return data(
      { intent: 'link', result: submission.reply({ formErrors: [t.common.errors.tooManyAttempts({ minutes: Math.ceil(outcome.retryAfter / 60) })] }) },
      { status: 429, headers: { 'Retry-After': String(outcome.retryAfter) } },
    )
  }
  return { intent: 'link' as const, sent: true, result: submission.reply({ resetForm: true }) }
}

export default function Login() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const navigation = useNavigation()
  const redirectTo = params.get('redirectTo') ?? '/'
  const [linkForm, linkFields] = useZodForm(linkSchema(t), {
    id: 'link-form',
    lastResult: actionData?.intent === 'link' ? actionData.result : undefined,
    shouldValidate: 'onSubmit',
  })
  const [passwordForm, passwordFields] = useZodForm(passwordSchema(t), {
    id: 'password-form',
    lastResult: actionData?.intent === 'password' ? actionData.result : undefined,
    shouldValidate: 'onSubmit',
  })
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold">{t.auth.signInTitle}</h1>
      <p className="mb-6 text-slate-700">{t.auth.signInIntro}</p>
      {data.devOutbox ? <Notice tone="warning">{t.auth.devOutboxHint}</Notice> : null}
      {actionData && 'sent' in actionData && actionData.sent ? <Notice tone="success">{t.auth.linkSent}</Notice> : null}
      <Card>
        <Form method="post" {...getFormProps(linkForm)}>
          <input type="hidden" name="intent" value="link" />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <FormErrors id={linkForm.errorId} errors={linkForm.errors} />
          <TextField field={linkFields.email} label={t.auth.email} type="email" autoComplete="email" />
          <Button className="w-full" disabled={navigation.state === 'submitting'}>
            {t.auth.sendLink}
          </Button>
        </Form>
      </Card>
      <details className="mt-6" open={actionData?.intent === 'password'}>
        <summary className="cursor-pointer text-sm font-medium text-brand-700">{t.auth.usePassword}</summary>
        <Card className="mt-3">
          <Form method="post" {...getFormProps(passwordForm)}>
            <input type="hidden" name="intent" value="password" />
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <FormErrors id={passwordForm.errorId} errors={passwordForm.errors} />
            <TextField field={passwordFields.email} label={t.auth.email} type="email" autoComplete="username" />
            <TextField field={passwordFields.password} label={t.auth.password} type="password" autoComplete="current-password" />
            <Button className="w-full" variant="secondary">
              {t.auth.signInWithPassword}
            </Button>
          </Form>
        </Card>
      </details>
    </div>
  )
}
