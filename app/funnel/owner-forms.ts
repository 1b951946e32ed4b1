/** The forms of the CRM owners page (/owners), by intent; the intent table of owners.server.ts gives each its handler. */
import { z } from 'zod'
import type { Messages } from '~/i18n'

const ownerKey = (t: Messages) => z.string({ error: t.funnel.owners.errors.key }).trim().min(1, { error: t.funnel.owners.errors.key }).max(500)

export const ownerForms = {
  map: (t: Messages) => z.object({ intent: z.literal('map'), ownerKey: ownerKey(t), personId: z.uuid({ error: t.funnel.owners.errors.person }) }),
  unmap: (t: Messages) => z.object({ intent: z.literal('unmap'), ownerKey: ownerKey(t) }),
}
