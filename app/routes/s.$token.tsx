import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { consume } from '~/auth/rate-limit.server'
import { clientIp } from '~/auth/session.server'
import { messagesFor } from '~/i18n'
import { formatDate } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import { useLocale } from '~/i18n/use-t'
import { type SurveyPage, answersSchema, loadSurveyPage, submitResponse } from '~/responses/respond.server'
import { requestSettings } from '~/settings/settings.server'
import { RespondentForm } from '~/surveys/respondent-form'
import { weDidForInvitation } from '~/insights/actions.server'
import { type WeDid, WeDidList } from '~/insights/we-did'
import { PrivateReplyLink } from '~/replies/private-link'
import type { PrivacyMode } from '#db/schema/surveys'

export const meta: MetaFunction = () => [{ title: 'Survey · Pulseboard' }, { name: 'robots', content: 'noindex' }]

type Shown = Exclude<SurveyPage, { state: 'open' }> | { state: 'limited'; locale: Locale | null; minutes: number } | (Extract<SurveyPage, { state: 'open' }> & { closesOn: string; weDid: WeDid[] })

/** What a submission gets back: thanks (with the private reply link, if any), or why not; refused answers with Conform's reply. */
type Answer =
  | { state: 'thanks'; replyLink: string | undefined; privacy: PrivacyMode }
  | { state: 'limited'; minutes: number }
  | { state: 'invalid' | 'answered' | 'closed' }
  | { state: 'invalid-answers'; result: SubmissionResult<string[]> }
// Each answer typed as the union, so the component reads one type for the loader and one for the action.
const answer = (a: Answer) => a

/**
 * Token guessing is limited per IP: only failed look-ups spend points, so an office behind one
 * address can still answer, and a blocked address is refused whatever its token: the limit is read
 * beside the look-up (one round trip instead of two in a row), and a blocked request answers 429
 * without using the look-up's result.
 */
async function guard(request: Request, ctx: LoaderFunctionArgs['context']['app']) {
  const ip = clientIp(request).toLowerCase()
  const state = await ctx.limits.tokenPerIp.get(ip)
  if (state && state.remainingPoints <= 0) return { blocked: true as const, minutes: Math.ceil(state.msBeforeNext / 60000) }
  return { blocked: false as const, ip }
}

async function spend(request: Request, ctx: LoaderFunctionArgs['context']['app']) {
  await consume([ctx.limits.tokenPerIp, clientIp(request)])
}

/**
 * What the action found, for the loaders Remix runs after it in the same request (a form posted
 * without JavaScript renders the whole page again): the invitation it has just answered, or found
 * answered or closed, needs no second look-up.
 */
const afterAction = new WeakMap<object, Shown>()
const shown = (page: Shown) => page

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const known = afterAction.get(context)
  if (known) return shown(known)
  const ctx = context.app
  const settings = requestSettings(context)
  const [limit, page] = await Promise.all([guard(request, ctx), loadSurveyPage(ctx, params.token ?? '', settings)])
  if (limit.blocked) return data(shown({ state: 'limited', locale: null, minutes: limit.minutes }), { status: 429 })
  if (page.state === 'invalid') {
    await spend(request, ctx)
    return data(shown(page), { status: 404 })
  }
  if (page.state !== 'open') return shown(page)
  // "You said, we did": what was done with this team's feedback (no figures, nothing about anyone).
  const weDid = await weDidForInvitation(ctx.db, page.invitationId)
  return shown({ ...page, closesOn: formatDate(page.locale, page.closesAt, (await settings).timezone), weDid })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = context.app
  const token = params.token ?? ''
  const settings = requestSettings(context)
  const [limit, page] = await Promise.all([guard(request, ctx), loadSurveyPage(ctx, token, settings)])
  if (limit.blocked) return data(answer({ state: 'limited', minutes: limit.minutes }), { status: 429 })
  if (page.state === 'invalid') {
    await spend(request, ctx)
    return data(answer({ state: 'invalid' }), { status: 404 })
  }
  if (page.state !== 'open') {
    afterAction.set(context, page)
    return answer({ state: page.state })
  }
  // The round's own schema takes the posted strings as they are (required answers, ranges, choices, lengths).
  const submission = parseWithZod(await request.formData(), { schema: answersSchema(page.questions, page.locale), disableAutoCoercion: true })
  if (submission.status !== 'success') return data(answer({ state: 'invalid-answers', result: submission.reply() }), { status: 400 })
  const result = await submitResponse(ctx, token, submission.value, { page, settings: await settings })
  if (result.status !== 'recorded') return answer({ state: result.status })
  afterAction.set(context, { state: 'answered', locale: page.locale })
  return answer({ state: 'thanks', replyLink: result.replyToken ? `${ctx.env.APP_URL}/r/${result.replyToken}` : undefined, privacy: page.privacy })
}

function Message(props: { locale: Locale; title: string; body: string; tone?: 'success' | 'info' }) {
  return (
    <section lang={props.locale} aria-labelledby="message-title" className="mx-auto max-w-xl py-10 text-center">
      {props.tone === 'success' ? (
        <p aria-hidden="true" className="text-4xl">
          ✓
        </p>
      ) : null}
      <h1 id="message-title" className="mt-2 text-2xl font-bold">
        {props.title}
      </h1>
      <p className="mt-3 text-lg text-slate-700">{props.body}</p>
    </section>
  )
}

export default function SurveyResponse() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const siteLocale = useLocale()
  const locale = data.locale ?? siteLocale
  const t = messagesFor(locale).surveys.respond
  const state = actionData && actionData.state !== 'invalid-answers' ? actionData.state : data.state
  if (state === 'thanks') {
    return (
      <>
        <Message locale={locale} title={t.thanksTitle} body={t.thanksBody} tone="success" />
        {actionData?.state === 'thanks' && actionData.replyLink ? <PrivateReplyLink locale={locale} link={actionData.replyLink} privacy={actionData.privacy} /> : null}
      </>
    )
  }
  if (state === 'answered') return <Message locale={locale} title={t.answeredTitle} body={t.answeredBody} tone="success" />
  if (state === 'closed') return <Message locale={locale} title={t.closedTitle} body={t.closedBody} />
  if (state === 'limited') return <Message locale={locale} title={t.invalidTitle} body={t.limited({ minutes: actionData?.state === 'limited' ? actionData.minutes : 'minutes' in data ? data.minutes : 15 })} />
  if (state === 'invalid' || data.state !== 'open') return <Message locale={locale} title={t.invalidTitle} body={t.invalidBody} />
  // Refused answers come back with each question's messages and what was posted, so the page shows them without JavaScript.
  const refused = actionData?.state === 'invalid-answers' ? actionData.result : undefined
  const submitting = navigation.state === 'submitting'
  return (
    <>
    <WeDidList locale={data.locale} items={data.weDid} />
    <Form method="post" noValidate className="pb-10">
      <RespondentForm
        locale={data.locale}
        title={data.title}
        privacy={data.privacy}
        threshold={data.thresholdScores}
        questions={data.questions}
        closesOn={data.closesOn}
        errors={refused?.error}
        values={refused?.initialValue ?? undefined}
        formError={refused ? t.fixErrors : undefined}
      >
        <button
          type="submit"
          disabled={submitting}
          className="mt-8 flex min-h-14 w-full items-center justify-center rounded-lg bg-brand-700 px-6 text-lg font-semibold text-white hover:bg-brand-800 disabled:bg-slate-400 sm:w-auto"
        >
          {t.submit}
        </button>
      </RespondentForm>
    </Form>
    </>
  )
}
