import { Body, Container, Head, Hr, Html, Preview, Section, Text } from '@react-email/components'
import type { ReactNode } from 'react'

/** The shared frame of every Pulseboard email: preheader, a narrow column, a footer. */
export function EmailLayout(props: { locale: string; preheader: string; footer: string; children: ReactNode }) {
  return (
    <Html lang={props.locale}>
      <Head />
      <Preview>{props.preheader}</Preview>
      <Body style={{ backgroundColor: '#f4f5f7', fontFamily: 'Helvetica, Arial, sans-serif', margin: 0, padding: '24px 0' }}>
        <Container style={{ backgroundColor: '#ffffff', borderRadius: 8, maxWidth: 560, padding: '32px 28px' }}>
          <Text style={{ color: '#4338ca', fontSize: 14, fontWeight: 700, letterSpacing: 1, margin: '0 0 16px' }}>PULSEBOARD</Text>
          {props.children}
          <Hr style={{ borderColor: '#e5e7eb', margin: '28px 0 12px' }} />
          <Section>
            <Text style={{ color: '#6b7280', fontSize: 12, margin: 0 }}>{props.footer}</Text>
          </Section>
        </Container>
      </Body>
    </Html>
  )
}

export const paragraph = { color: '#111827', fontSize: 16, lineHeight: '24px', margin: '0 0 16px' }

export const bigButton = {
  backgroundColor: '#4338ca',
  borderRadius: 8,
  color: '#ffffff',
  display: 'block',
  fontSize: 18,
  fontWeight: 700,
  padding: '16px 24px',
  textAlign: 'center' as const,
  textDecoration: 'none',
}
