import { defineMessages } from '../define'

export const oneOnOnes = defineMessages({
  en: {
    title: 'oneOnOnes',
  },
  it: {
    title: 'oneOnOnes',
  },
})
