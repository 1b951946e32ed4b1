import { Link } from '@remix-run/react'
import { formatDate, formatDateTime } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { Card } from '~/ui/page'
import { SafeMarkdown } from './markdown'
import type { listMyOneOnOnes } from './one-on-ones.server'

type Data = Awaited<ReturnType<typeof listMyOneOnOnes>>

/** The "My 1:1s and action items" section of /me: my meetings with their agendas and shared notes, and what I owe. */
export function MyOneOnOnesSection(props: { data: Data }) {
  const t = useT()
  const locale = useLocale()
  const s = t.oneOnOnes.me
  const { data } = props
  return (
    <section aria-labelledby="my-one-on-ones" className="mt-6">
      <h2 id="my-one-on-ones" className="mb-3 text-xl font-semibold">
        {s.title}
      </h2>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={s.meetings} className="lg:col-span-2">
          {data.meetings.length === 0 ? <p className="text-sm text-slate-600">{s.none}</p> : null}
          <ul className="space-y-4">
            {data.meetings.map((m) => (
              <li key={m.id} className="rounded border border-slate-200 p-3">
                <p className="flex flex-wrap items-center justify-between gap-2">
                  <Link to={`/one-on-ones/${m.id}`} className="font-medium text-brand-700 underline">
                    {formatDateTime(locale, m.scheduledAt, data.timezone)} · {s.with({ name: m.otherName })}
                  </Link>
                  <span className="text-xs text-slate-600">{m.held ? t.oneOnOnes.held : t.oneOnOnes.planned}</span>
                </p>
                {m.agenda.length ? (
                  <>
                    <h3 className="mt-2 text-sm font-semibold">{s.agenda}</h3>
                    <ul className="ml-4 list-disc text-sm">
                      {m.agenda.map((a) => (
                        <li key={a.id} className={a.done ? 'text-slate-500 line-through' : ''}>
                          {a.text}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
                {m.sharedNotes.trim() ? (
                  <>
                    <h3 className="mt-2 text-sm font-semibold">{s.sharedNotes}</h3>
                    <SafeMarkdown source={m.sharedNotes} />
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
        <Card title={s.myActions}>
          {data.actionItems.length === 0 ? <p className="text-sm text-slate-600">{s.noActions}</p> : null}
          <ul className="space-y-2 text-sm">
            {data.actionItems.map((a) => (
              <li key={a.id}>
                <Link to={`/one-on-ones/${a.meetingId}#actions`} className="text-brand-700 underline">
                  {a.text}
                </Link>
                <span className="block text-xs text-slate-600">
                  {s.with({ name: a.otherName })}
                  {a.dueOn ? ` · ${t.oneOnOnes.meeting.due({ date: formatDate(locale, a.dueOn) })}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </section>
  )
}
