import { defineMessages } from '../define'

export const surveys = defineMessages({
  en: {
    title: 'surveys',
  },
  it: {
    title: 'surveys',
  },
})
