import { formatDate } from '~/i18n/format'
import type { Locale } from '~/i18n/locale'
import { messagesFor } from '~/i18n'
import type { ReplyView } from './types'

/** Replies under a comment: who replied (name and role — repliers are not anonymous), when, and the text as text. */
export function ReplyList(props: { locale: Locale; replies: ReplyView[]; timeZone?: string }) {
  const messages = messagesFor(props.locale)
  const t = messages.replies
  if (props.replies.length === 0) return null
  return (
    <ul className="mt-2 grid gap-2 border-l-2 border-brand-700 pl-3" aria-label={t.repliesCount({ count: props.replies.length })}>
      {props.replies.map((reply) => (
        <li key={reply.id} className="text-sm">
          <p className="text-xs font-medium text-slate-600">
            {t.repliedBy({
              name: reply.author ?? t.formerUser,
              role: reply.role ? messages.people.roles[reply.role] : '—',
              date: formatDate(props.locale, reply.createdAt, props.timeZone),
            })}
          </p>
          <p className="whitespace-pre-wrap break-words text-slate-900">{reply.body}</p>
        </li>
      ))}
    </ul>
  )
}
