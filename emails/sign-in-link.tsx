import { Button, Text } from '@react-email/components'
import { messagesFor } from '~/i18n'
import type { Locale } from '~/i18n/locale'
import { EmailLayout, bigButton, paragraph } from './layout'

export function signInLinkSubject(locale: Locale) {
  return messagesFor(locale).email.signIn.subject
}

export function SignInLinkEmail(props: { locale: Locale; name: string; url: string }) {
  const t = messagesFor(props.locale).email
  return (
    <EmailLayout locale={props.locale} preheader={t.signIn.preheader} footer={t.footer}>
      <Text style={paragraph}>{t.signIn.greeting({ name: props.name })}</Text>
      <Text style={paragraph}>{t.signIn.body}</Text>
      <Button href={props.url} style={bigButton}>
        {t.signIn.button}
      </Button>
      <Text style={{ ...paragraph, fontSize: 13, color: '#6b7280', marginTop: 20 }}>{t.signIn.ignore}</Text>
    </EmailLayout>
  )
}
