import { type HeadersFunction, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { privateLinkBlocked, repliesByToken, spendPrivateLinkAttempt } from '~/replies/replies.server'
import type { PrivateReplies } from '~/replies/types'
import { ReplyList } from '~/replies/reply-list'
import { useLocale, useT } from '~/i18n/use-t'

/**
 * The private page of one response (/r/<token>): its comments and the replies to them. No sign-in:
 * for anonymous surveys this link is the only way back, being linked to no one. Served with
 * Referrer-Policy: no-referrer (app/http.server.ts) and never cached.
 */
export const meta: MetaFunction = () => [{ title: 'Replies · Pulseboard' }, { name: 'robots', content: 'noindex' }, { name: 'referrer', content: 'no-referrer' }]

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

type Shown = { state: 'found'; replies: PrivateReplies } | { state: 'not_found' } | { state: 'limited'; minutes: number }
// Each answer typed as the union, so the component reads one type.
const shown = (page: Shown) => page

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const blocked = await privateLinkBlocked(ctx, request)
  if (blocked) return data(shown({ state: 'limited', minutes: blocked.minutes }), { status: 429 })
  const replies = await repliesByToken(ctx.db, params.token ?? '')
  if (!replies) {
    await spendPrivateLinkAttempt(ctx, request)
    return data(shown({ state: 'not_found' }), { status: 404 })
  }
  return shown({ state: 'found', replies })
}

export default function PrivateRepliesPage() {
  const data = useLoaderData<typeof loader>()
  const locale = useLocale()
  const t = useT().replies
  if (data.state !== 'found') {
    return (
      <section aria-labelledby="replies-title" className="mx-auto max-w-xl py-10 text-center">
        <h1 id="replies-title" className="text-2xl font-bold">
          {t.notFoundTitle}
        </h1>
        <p className="mt-3 text-lg text-slate-700">{data.state === 'limited' ? t.limited({ minutes: data.minutes }) : t.notFoundBody}</p>
      </section>
    )
  }
  const { replies } = data
  return (
    <section aria-labelledby="replies-title" className="mx-auto max-w-2xl pb-10">
      <h1 id="replies-title" className="text-2xl font-bold">
        {t.pageTitle}
      </h1>
      <p className="mt-1 text-slate-700">{t.survey({ title: replies.surveyTitle })}</p>
      <p className="mt-2 text-sm text-slate-600">{t.pageIntro}</p>
      <ol className="mt-6 grid gap-4">
        {replies.comments.map((comment, i) => (
          <li key={i} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            {comment.question ? (
              <p className="text-xs text-slate-600">
                {t.question}: {comment.question[locale]}
              </p>
            ) : null}
            <h2 className="mt-1 text-sm font-medium text-slate-600">{t.yourComment}</h2>
            <p className="whitespace-pre-wrap break-words">{comment.text}</p>
            {comment.replies.length ? (
              <>
                <h3 className="mt-3 text-sm font-semibold">{t.repliesCount({ count: comment.replies.length })}</h3>
                <ReplyList locale={locale} replies={comment.replies} />
              </>
            ) : (
              <p className="mt-3 text-sm text-slate-600">{t.noReplies}</p>
            )}
          </li>
        ))}
      </ol>
    </section>
  )
}
