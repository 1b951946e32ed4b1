import { Link } from '@remix-run/react'
import { useLocale, useT } from '~/i18n/use-t'
import { Card } from '~/ui/page'
import { describeSignal, signalPeriodLabel } from './signal-text'
import type { SignalView } from './signals'

const SHOWN = 5

/** The home dashboard's compact list of open signals in the viewer's scope (already scoped by the loader). */
export function SignalsPanel(props: { signals: SignalView[] }) {
  const t = useT()
  const locale = useLocale()
  const s = t.signals
  return (
    <Card title={s.panel.title}>
      {props.signals.length === 0 ? (
        <p className="text-slate-700">{s.panel.none}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {props.signals.slice(0, SHOWN).map((signal) => (
            <li key={signal.id} className="py-2">
              <p className="font-medium">
                {signal.team.name} · {s.kinds[signal.kind]} · {signalPeriodLabel(locale, signal.period, signal.periodUnit)}
              </p>
              <p className="text-sm text-slate-700">{describeSignal(locale, signal)}</p>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-3 text-sm">
        <Link to="/signals" className="text-brand-700 underline">
          {props.signals.length > SHOWN ? s.panel.more({ n: props.signals.length }) : s.panel.open}
        </Link>
      </p>
    </Card>
  )
}
