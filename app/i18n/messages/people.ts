import { defineMessages } from '../define'

export const people = defineMessages({
  en: {
    roles: { admin: 'Admin', hr: 'HR', leader: 'Leader', marketing: 'Marketing', employee: 'Employee' },
  },
  it: {
    roles: { admin: 'Amministratore', hr: 'HR', leader: 'Direzione', marketing: 'Marketing', employee: 'Dipendente' },
  },
})
