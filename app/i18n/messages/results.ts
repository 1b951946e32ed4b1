import { defineMessages } from '../define'

export const results = defineMessages({
  en: {
    title: 'results',
  },
  it: {
    title: 'results',
  },
})
