import { z } from 'zod'
import { defineJob } from '~/jobs/define'
import { sendSignInLink } from './magic-link.server'

export const authJobs = {
  'email.sign-in-link': defineJob({
    schema: z.object({ personId: z.uuid(), redirectTo: z.string().startsWith('/') }),
    handle: (ctx, data) => sendSignInLink(ctx, data),
  }),
}
