import pino from 'pino'

export type Logger = pino.Logger

/**
 * JSON lines on standard output. Personal data and secrets never reach the logs: cookies,
 * Authorization headers, tokens, passwords and email addresses are removed from anything logged,
 * at the top level or one object down (pino's redaction), and request paths go through loggedPath.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const secret = ['cookie', 'authorization', 'token', 'password', 'email', 'to']
  return pino(
    {
      level,
      base: { app: 'pulseboard' },
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'headers.cookie', 'headers.authorization', ...secret, ...secret.map((key) => `*.${key}`)],
        remove: true,
      },
    },
    destination,
  )
}

/** Paths whose second segment is a secret: survey links, private reply links. */
const SECRET_PATH = /^\/(s|r|replies)\/[^/]+/

/**
 * A request's path as it may be logged: the secret segment of survey and reply links replaced, and
 * every query value (sign-in tokens, search terms that may be names) replaced; the keys are kept.
 */
export function loggedPath(url: string): string {
  const q = url.indexOf('?')
  const path = (q === -1 ? url : url.slice(0, q)).replace(SECRET_PATH, '/$1/[redacted]')
  if (q === -1) return path
  const keys = [...new Set(new URLSearchParams(url.slice(q + 1)).keys())]
  return keys.length ? `${path}?${keys.map((k) => `${encodeURIComponent(k)}=[redacted]`).join('&')}` : path
}
