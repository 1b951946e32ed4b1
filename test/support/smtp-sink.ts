import { type ParsedMail, simpleParser } from 'mailparser'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export type SinkMessage = { to: string[]; subject: string; text: string; html: string; parsed: ParsedMail }

/** A real SMTP server for tests; messages are parsed back with mailparser. */
export async function startSmtpSink(options: { rejectRecipients?: (address: string) => boolean; delayMs?: number } = {}) {
  const messages: SinkMessage[] = []
  const waiters: (() => void)[] = []
  // While set, every new connection is answered 421 (service not available), as a mail server
  // that is down or overloaded does; `delayMs` makes each message take that long to accept.
  let refusing = false
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      if (!refusing) return callback()
      const error = new Error('Service not available, try again later') as Error & { responseCode: number }
      error.responseCode = 421
      callback(error)
    },
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
        .then(async (parsed) => {
          if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs))
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
    /** Refuse (421) or accept new connections from now on. */
    setRefusing(on: boolean) {
      refusing = on
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
