import type { PrivacyMode } from '#db/schema/surveys'
import { messagesFor } from '~/i18n'
import type { Locale } from '~/i18n/locale'

/**
 * The private link of a response that holds a comment, shown once on the thank-you page. Only its
 * hash is stored, so it cannot be shown again: the text says so, and for anonymous surveys that it
 * is the only way back to the replies.
 */
export function PrivateReplyLink(props: { locale: Locale; link: string; privacy: PrivacyMode }) {
  const t = messagesFor(props.locale).replies
  const explanation = props.privacy === 'anonymous' ? t.linkAnonymous : props.privacy === 'confidential' ? t.linkConfidential : t.linkIdentified
  return (
    <section lang={props.locale} aria-labelledby="reply-link-title" className="mx-auto max-w-xl rounded-lg border border-amber-300 bg-amber-50 p-4 text-left sm:p-6">
      <h2 id="reply-link-title" className="text-lg font-semibold">
        {t.linkTitle}
      </h2>
      <p className="mt-2 text-slate-800">{explanation}</p>
      <label htmlFor="reply-link" className="mt-4 block text-sm font-medium text-slate-800">
        {t.linkLabel}
      </label>
      <input id="reply-link" readOnly value={props.link} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm" />
      <p className="mt-2 break-all text-sm">
        <a href={props.link} rel="noreferrer" className="text-brand-700 underline">
          {props.link}
        </a>
      </p>
    </section>
  )
}
