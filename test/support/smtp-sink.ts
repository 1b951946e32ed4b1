import { type ParsedMail, simpleParser } from 'mailparser'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export type SinkMessage = { to: string[]; subject: string; text: string; html: string; parsed: ParsedMail }

/** A real SMTP server for tests; messages are parsed back with mailparser. */
export async function startSmtpSink(options: { rejectRecipients?: (address: string) => boolean } = {}) {
  const messages: SinkMessage[] = []
  const waiters: (() => void)[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipients?.(address.address)) {
        const error = new Error(`Recipient ${address.address} rejected`) as Error & { responseCode: number }
        error.responseCode = 550
        return callback(error)
      }
      callback()
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            parsed,
          })
          waiters.splice(0).forEach((w) => w())
          callback()
        })
        .catch(callback)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    url: `smtp://127.0.0.1:${port}?pool=false`,
    port,
    messages,
    /** Waits for a message to this address (and matching the predicate), up to the timeout. */
    async waitFor(to: string, predicate: (m: SinkMessage) => boolean = () => true, timeoutMs = 10_000): Promise<SinkMessage> {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = messages.find((m) => m.to.some((r) => r.toLowerCase() === to.toLowerCase()) && predicate(m))
        if (found) return found
        if (Date.now() > deadline) throw new Error(`No email to ${to} within ${timeoutMs} ms (got ${messages.length} other messages)`)
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 200)
        })
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
