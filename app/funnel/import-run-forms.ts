/** The forms of a CRM import's page (/imports/<id>), by intent; the intent table of import-run.server.ts gives each its handler. */
import { z } from 'zod'

export const importRunForms = {
  commit: () => z.object({ intent: z.literal('commit') }),
  // `map.<field>` = the header chosen for that field; empty means "not chosen".
  map: () => z.object({ intent: z.literal('map'), map: z.record(z.string().max(100), z.string().max(1000)).default({}) }),
}
