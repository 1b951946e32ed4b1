import { defineMessages } from '../define'

export const dataProtection = defineMessages({
  en: {
    title: 'Data protection',
  },
  it: {
    title: 'Protezione dei dati',
  },
})
