import { defineMessages } from '../define'

export const funnel = defineMessages({
  en: {
    title: 'funnel',
  },
  it: {
    title: 'funnel',
  },
})
