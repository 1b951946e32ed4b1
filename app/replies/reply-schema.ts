import { z } from 'zod'
import type { Messages } from '~/i18n'

/** The same bound as the comment_replies_body check in db/schema/loop.ts. */
export const REPLY_MAX_LENGTH = 4000

/** The reply form of the results page, shared by its action and its component (Conform). */
export const replySchema = (t: Messages) =>
  z.object({
    intent: z.literal('reply'),
    ref: z.string({ error: t.replies.invalidReference }).min(1, { error: t.replies.invalidReference }),
    body: z
      .string({ error: t.replies.bodyRequired })
      .trim()
      .min(1, { error: t.replies.bodyRequired })
      .superRefine((value, ctx) => {
        if (value.length > REPLY_MAX_LENGTH) ctx.addIssue({ code: 'custom', message: t.replies.bodyTooLong({ max: REPLY_MAX_LENGTH, length: value.length }) })
      }),
  })
