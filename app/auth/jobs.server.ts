import { defineHandlers } from '~/jobs/define'
import { sendSignInLink } from './magic-link.server'

/** Sign-in emails (payloads in app/jobs/catalog.ts). */
export const authJobs = defineHandlers({
  'email.sign-in-link': {
    handle: (ctx, data) => sendSignInLink(ctx, data),
  },
})
