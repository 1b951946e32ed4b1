import { Button, Section, Text } from '@react-email/components'
import { messagesFor } from '~/i18n'
import type { Locale } from '~/i18n/locale'
import { EmailLayout, bigButton, paragraph } from './layout'

export type SignalAlertProps = {
  locale: Locale
  name: string
  /** Each signal already in words: only figures that passed the anonymity thresholds reach here. */
  signals: { team: string; kind: string; period: string; text: string }[]
  url: string
}

export function signalAlertSubject(locale: Locale, n: number) {
  return messagesFor(locale).signals.email.subject({ n })
}

/** New early-warning signals for hr, leaders and the team's manager, in the recipient's language. */
export function SignalAlertEmail(props: SignalAlertProps) {
  const t = messagesFor(props.locale).signals.email
  return (
    <EmailLayout locale={props.locale} preheader={t.preheader} footer={t.footer}>
      <Text style={paragraph}>{t.greeting({ name: props.name })}</Text>
      <Text style={paragraph}>{t.intro}</Text>
      {props.signals.map((s, i) => (
        <Section key={i} style={{ borderLeft: '4px solid #b91c1c', paddingLeft: 12, marginBottom: 16 }}>
          <Text style={{ ...paragraph, fontWeight: 700, margin: '0 0 4px' }}>{`${s.team} · ${s.period} · ${s.kind}`}</Text>
          <Text style={{ ...paragraph, margin: 0 }}>{s.text}</Text>
        </Section>
      ))}
      <Button href={props.url} style={{ ...bigButton, marginTop: 16 }}>
        {t.open}
      </Button>
    </EmailLayout>
  )
}
