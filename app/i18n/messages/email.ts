import { defineMessages } from '../define'

export const email = defineMessages({
  en: {
    footer: 'You receive this email because your organisation uses Pulseboard.',
    signIn: {
      subject: 'Your Pulseboard sign-in link',
      preheader: 'Sign in with one click. The link works once, for 15 minutes.',
      greeting: (p: { name: string }) => `Hello ${p.name},`,
      body: 'Use the button below to sign in to Pulseboard. The link works once and expires in 15 minutes.',
      button: 'Sign in to Pulseboard',
      ignore: 'If you did not ask for this link, you can ignore this email: nobody can sign in without it.',
    },
  },
  it: {
    footer: 'Ricevi questa email perché la tua organizzazione usa Pulseboard.',
    signIn: {
      subject: 'Il tuo link di accesso a Pulseboard',
      preheader: 'Accedi con un clic. Il link funziona una volta, per 15 minuti.',
      greeting: (p: { name: string }) => `Ciao ${p.name},`,
      body: 'Usa il pulsante qui sotto per accedere a Pulseboard. Il link funziona una sola volta e scade tra 15 minuti.',
      button: 'Accedi a Pulseboard',
      ignore: 'Se non hai chiesto questo link, puoi ignorare questa email: nessuno può accedere senza di esso.',
    },
  },
})
