import { defineMessages } from '../define'

export const admin = defineMessages({
  en: {
    home: {
      welcome: (p: { name: string }) => `Welcome, ${p.name}`,
      intro: 'Pulseboard puts how your sales team feels next to how it sells.',
    },
  },
  it: {
    home: {
      welcome: (p: { name: string }) => `Benvenuto, ${p.name}`,
      intro: 'Pulseboard mette come si sente il tuo team commerciale accanto a come vende.',
    },
  },
})
