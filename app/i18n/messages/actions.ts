import { defineMessages } from '../define'

export const actions = defineMessages({
  en: {
    title: 'Actions',
  },
  it: {
    title: 'Azioni',
  },
})
