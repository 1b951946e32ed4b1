import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { consumeSignInLink, peekSignInLink } from '~/auth/magic-link.server'
import { consume } from '~/auth/rate-limit.server'
import { clientIp, startSession } from '~/auth/session.server'
import { useT } from '~/i18n/use-t'
import { Button, Card, Notice } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Sign in · Pulseboard' }, { name: 'referrer', content: 'no-referrer' }]

const tokenSchema = z.object({ token: z.string().min(1).max(200) })

// The link opens a page with a button instead of signing in on GET: mail scanners that fetch
// links would otherwise use up the single-use token before the person clicks it.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const parsed = tokenSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!parsed.success) return { state: 'invalid' as const, token: '' }
  return { state: await peekSignInLink(context.app, parsed.data.token), token: parsed.data.token }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const limited = await consume([ctx.limits.tokenPerIp, clientIp(request)])
  if (!limited.ok) return data({ state: 'limited' as const }, { status: 429, headers: { 'Retry-After': String(limited.retryAfter) } })
  const parsed = tokenSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ state: 'invalid' as const }, { status: 400 })
  const result = await consumeSignInLink(ctx, parsed.data.token)
  if (!result.ok) return data({ state: result.reason }, { status: 400 })
  const cookie = await startSession(ctx.db, ctx.env, request, result.personId)
  throw redirect(result.redirectTo, { headers: { 'Set-Cookie': cookie } })
}

export default function Verify() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const state = actionData?.state ?? data.state
  const problem = { used: t.auth.linkUsed, expired: t.auth.linkExpired, invalid: t.auth.linkInvalid, limited: t.common.errors.tooManyAttempts({ minutes: 15 }) }
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-bold">{t.auth.verifyTitle}</h1>
      {state === 'valid' ? (
        <Card>
          <p className="mb-4 text-slate-700">{t.auth.verifyIntro}</p>
          <Form method="post">
            <input type="hidden" name="token" value={data.token} />
            <Button className="w-full">{t.auth.verifyButton}</Button>
          </Form>
        </Card>
      ) : (
        <>
          <Notice tone="error">{problem[state]}</Notice>
          <Link to="/login" className="text-brand-700 underline">
            {t.auth.requestNewLink}
          </Link>
        </>
      )}
    </div>
  )
}
