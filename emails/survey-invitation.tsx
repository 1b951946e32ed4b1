import { Button, Section, Text } from '@react-email/components'
import { messagesFor } from '~/i18n'
import type { Locale } from '~/i18n/locale'
import type { WeDid } from '~/insights/we-did'
import type { PrivacyStatement } from '~/responses/privacy'
import { EmailLayout, bigButton, paragraph } from './layout'

export type SurveyInvitationProps = {
  locale: Locale
  name: string
  title: string
  url: string
  closesOn: string
  privacy: PrivacyStatement
  /** Reminders say so in the subject and the first line; everything else is the same. */
  reminder?: boolean
  /** "You said, we did": at most three actions done (or under way) on the team's feedback. */
  weDid?: WeDid[]
}

export function surveyInvitationSubject(props: Pick<SurveyInvitationProps, 'locale' | 'title' | 'reminder'>) {
  const t = messagesFor(props.locale).surveys.email
  return props.reminder ? t.reminderSubject({ title: props.title }) : t.subject({ title: props.title })
}

/** The invitation (and reminder): one line of context, one big button, the privacy promise in plain words. */
export function SurveyInvitationEmail(props: SurveyInvitationProps) {
  const t = messagesFor(props.locale).surveys.email
  return (
    <EmailLayout locale={props.locale} preheader={t.preheader} footer={t.footer}>
      <Text style={paragraph}>{t.greeting({ name: props.name })}</Text>
      <Text style={paragraph}>{props.reminder ? t.reminderBody({ title: props.title }) : t.body({ title: props.title })}</Text>
      <Button href={props.url} style={bigButton}>
        {t.button}
      </Button>
      <Text style={{ ...paragraph, marginTop: 12, textAlign: 'center' as const }}>
        {t.takes} {t.closes({ date: props.closesOn })}
      </Text>
      <Section style={{ backgroundColor: '#f1f5f9', borderRadius: 8, padding: '4px 16px', marginTop: 16 }}>
        <Text style={{ ...paragraph, fontWeight: 700, margin: '12px 0 4px' }}>{props.privacy.title}</Text>
        <Text style={{ ...paragraph, fontSize: 14, margin: '0 0 12px' }}>{props.privacy.body}</Text>
      </Section>
      {props.weDid?.length ? (
        <Section style={{ backgroundColor: '#ecfdf5', borderRadius: 8, padding: '4px 16px', marginTop: 16 }}>
          <Text style={{ ...paragraph, fontWeight: 700, margin: '12px 0 4px' }}>{messagesFor(props.locale).actions.weDid.title}</Text>
          <Text style={{ ...paragraph, fontSize: 14, margin: '0 0 8px' }}>{messagesFor(props.locale).actions.weDid.intro}</Text>
          {props.weDid.map((item, i) => (
            <Text key={i} style={{ ...paragraph, fontSize: 14, margin: '0 0 8px' }}>
              • {item.title} ({messagesFor(props.locale).actions.statuses[item.status]}){item.outcome ? `: ${item.outcome}` : ''}
            </Text>
          ))}
        </Section>
      ) : null}
    </EmailLayout>
  )
}
