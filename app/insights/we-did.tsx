import { messagesFor } from '~/i18n'
import type { Locale } from '~/i18n/locale'

export type WeDid = { title: string; outcome: string; status: 'in_progress' | 'done' }

/** "You said, we did" on the survey page: what was done with the team's feedback, in the respondent's language. */
export function WeDidList(props: { locale: Locale; items: WeDid[] }) {
  if (props.items.length === 0) return null
  const t = messagesFor(props.locale).actions
  return (
    <section lang={props.locale} aria-labelledby="we-did-title" className="mx-auto mb-6 max-w-xl rounded-lg border border-emerald-200 bg-emerald-50 p-4">
      <h2 id="we-did-title" className="text-base font-semibold">
        {t.weDid.title}
      </h2>
      <p className="text-sm text-slate-700">{t.weDid.intro}</p>
      <ul className="mt-2 grid gap-2">
        {props.items.map((item, i) => (
          <li key={i} className="text-sm">
            <span className="font-medium">{item.title}</span> <span className="text-xs text-slate-600">({t.statuses[item.status]})</span>
            {item.outcome ? <p className="whitespace-pre-line text-slate-800">{item.outcome}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  )
}
