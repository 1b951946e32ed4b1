import { defineMessages } from '../define'

export const replies = defineMessages({
  en: {
    title: 'Replies to comments',
  },
  it: {
    title: 'Risposte ai commenti',
  },
})
