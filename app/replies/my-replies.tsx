import { useLocale, useT } from '~/i18n/use-t'
import { Card } from '~/ui/page'
import { ReplyList } from './reply-list'
import type { MyReply } from './types'

/** /me: replies to the comments of the viewer's confidential responses (anonymous ones are linked to no one). */
export function MyCommentReplies(props: { replies: MyReply[] }) {
  const t = useT().replies
  const locale = useLocale()
  return (
    <Card title={t.meTitle} className="mt-6">
      <p className="mb-3 text-sm text-slate-600">{t.meIntro}</p>
      {props.replies.length === 0 ? (
        <p className="text-slate-700">{t.meNone}</p>
      ) : (
        <ul className="grid gap-4">
          {props.replies.map((comment, i) => (
            <li key={i} className="rounded-md bg-slate-50 p-3 text-sm">
              <p className="text-xs text-slate-600">
                {t.survey({ title: comment.surveyTitle })}
                {comment.question ? ` · ${comment.question[locale]}` : ''}
              </p>
              <p className="mt-1 whitespace-pre-wrap break-words">{comment.text}</p>
              <ReplyList locale={locale} replies={comment.replies} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  )
}
