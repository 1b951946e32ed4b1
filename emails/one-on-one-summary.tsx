import { Button, Section, Text } from '@react-email/components'
import { messagesFor } from '~/i18n'
import type { Locale } from '~/i18n/locale'
import { EmailLayout, bigButton, paragraph } from './layout'

export type SummaryProps = {
  locale: Locale
  name: string
  otherName: string
  when: string
  durationMinutes: number
  sharedNotes: string
  actionItems: { text: string; ownerName: string; dueOn: string | null; done: boolean }[]
  url: string
}

export function summarySubject(locale: Locale, otherName: string) {
  return messagesFor(locale).oneOnOnes.email.summarySubject({ name: otherName })
}

/**
 * The summary after a meeting is marked held: the shared notes (as written: markdown is plain
 * text, and react-email escapes it) and the pair's action items. Private notes never reach it.
 */
export function OneOnOneSummaryEmail(props: SummaryProps) {
  const t = messagesFor(props.locale).oneOnOnes.email
  return (
    <EmailLayout locale={props.locale} preheader={t.summaryPreheader({ name: props.otherName })} footer={messagesFor(props.locale).email.footer}>
      <Text style={paragraph}>{t.greeting({ name: props.name })}</Text>
      <Text style={paragraph}>{t.summaryBody({ name: props.otherName, when: props.when, minutes: props.durationMinutes })}</Text>
      <Text style={{ ...paragraph, fontWeight: 700 }}>{t.sharedNotes}</Text>
      <Text style={{ ...paragraph, whiteSpace: 'pre-wrap' }}>{props.sharedNotes.trim() || t.noSharedNotes}</Text>
      <Text style={{ ...paragraph, fontWeight: 700 }}>{t.actionItems}</Text>
      {props.actionItems.length ? (
        <Section>
          {props.actionItems.map((item, i) => (
            <Text key={i} style={{ ...paragraph, margin: '0 0 6px' }}>
              {`${item.done ? '☑' : '☐'} ${item.text} — ${item.ownerName}${item.dueOn ? ` · ${t.due({ date: item.dueOn })}` : ''}`}
            </Text>
          ))}
        </Section>
      ) : (
        <Text style={paragraph}>{t.noActionItems}</Text>
      )}
      <Button href={props.url} style={{ ...bigButton, marginTop: 16 }}>
        {t.openMeeting}
      </Button>
    </EmailLayout>
  )
}
