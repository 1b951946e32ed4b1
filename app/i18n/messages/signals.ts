import { defineMessages } from '../define'

export const signals = defineMessages({
  en: {
    title: 'Signals',
  },
  it: {
    title: 'Segnali',
  },
})
