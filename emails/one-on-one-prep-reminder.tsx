import { Button, Section, Text } from '@react-email/components'
import { messagesFor } from '~/i18n'
import type { Locale } from '~/i18n/locale'
import { EmailLayout, bigButton, paragraph } from './layout'

export type PrepReminderProps = { locale: Locale; name: string; otherName: string; when: string; durationMinutes: number; agenda: { text: string; done: boolean }[]; url: string }

export function prepReminderSubject(locale: Locale, otherName: string) {
  return messagesFor(locale).oneOnOnes.email.prepSubject({ name: otherName })
}

/** The day-before reminder to both participants, with the shared agenda so far and a link to add to it. */
export function OneOnOnePrepReminderEmail(props: PrepReminderProps) {
  const t = messagesFor(props.locale).oneOnOnes.email
  return (
    <EmailLayout locale={props.locale} preheader={t.prepPreheader({ when: props.when })} footer={messagesFor(props.locale).email.footer}>
      <Text style={paragraph}>{t.greeting({ name: props.name })}</Text>
      <Text style={paragraph}>{t.prepBody({ name: props.otherName, when: props.when, minutes: props.durationMinutes })}</Text>
      <Text style={{ ...paragraph, fontWeight: 700 }}>{t.agendaSoFar}</Text>
      {props.agenda.length ? (
        <Section>
          {props.agenda.map((item, i) => (
            <Text key={i} style={{ ...paragraph, margin: '0 0 6px' }}>
              {`${item.done ? '☑' : '☐'} ${item.text}`}
            </Text>
          ))}
        </Section>
      ) : (
        <Text style={paragraph}>{t.agendaEmpty}</Text>
      )}
      <Button href={props.url} style={{ ...bigButton, marginTop: 16 }}>
        {t.openAgenda}
      </Button>
    </EmailLayout>
  )
}
