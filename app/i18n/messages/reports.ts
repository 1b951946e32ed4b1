import { defineMessages } from '../define'

export const reports = defineMessages({
  en: {
    title: 'Scheduled reports',
  },
  it: {
    title: 'Report programmati',
  },
})
