import nodemailer from 'nodemailer'
import type { Db } from '#db/client'
import { outbox } from '#db/schema'

export type OutgoingEmail = { to: string; subject: string; html: string; text: string; kind: string; headers?: Record<string, string> }
export type SendResult = { accepted: boolean; rejected: boolean; messageId: string | null; response?: string }

export type Mailer = {
  transport: 'smtp' | 'outbox'
  send: (email: OutgoingEmail) => Promise<SendResult>
  close: () => void
}

/** The SMTP server refused this recipient (5xx): retrying will not help. */
export class RecipientRejectedError extends Error {
  constructor(
    public recipient: string,
    public response: string,
  ) {
    super(`The mail server refused ${recipient}: ${response}`)
  }
}

/** SMTP when SMTP_URL is set; otherwise the dev outbox, stored in the database for admins to read. */
export function createMailer(options: { smtpUrl?: string; from: string; db: Db; echo?: (line: string) => void }): Mailer {
  if (!options.smtpUrl) {
    return {
      transport: 'outbox',
      async send(email) {
        const [row] = await options.db
          .insert(outbox)
          .values({ to: email.to, subject: email.subject, html: email.html, text: email.text, kind: email.kind })
          .returning({ id: outbox.id })
        // Development convenience: the first link of each message is echoed to the terminal.
        const link = /https?:\/\/[^\s)\]]+/.exec(email.text)?.[0]
        options.echo?.(`[outbox] to ${email.to}: ${email.subject}${link ? `\n         ${link}` : ''}`)
        return { accepted: true, rejected: false, messageId: row.id }
      },
      close() {},
    }
  }
  // A pool of five connections by default (`?pool=false` sends one message per connection).
  const url = new URL(options.smtpUrl)
  const pooled = url.searchParams.get('pool') !== 'false'
  url.searchParams.delete('pool')
  const transporter = nodemailer.createTransport({ url: url.toString(), pool: pooled, maxConnections: 5 } as Parameters<typeof nodemailer.createTransport>[0], { from: options.from })
  return {
    transport: 'smtp',
    async send(email) {
      try {
        const info = await transporter.sendMail({ to: email.to, subject: email.subject, html: email.html, text: email.text, headers: email.headers })
        const rejected = info.rejected.length > 0
        if (rejected) throw new RecipientRejectedError(email.to, String(info.response))
        return { accepted: true, rejected: false, messageId: info.messageId, response: info.response }
      } catch (error) {
        const e = error as { responseCode?: number; response?: string; command?: string }
        // A permanent refusal of the recipient is final; anything else (connection refused, 4xx) is retried.
        if (e.responseCode && e.responseCode >= 500 && e.command === 'RCPT TO') {
          throw new RecipientRejectedError(email.to, e.response ?? String(e.responseCode))
        }
        throw error
      }
    },
    close() {
      transporter.close()
    },
  }
}
