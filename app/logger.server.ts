import pino from 'pino'

export type Logger = pino.Logger

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'pulseboard' },
    // Tokens and cookies never reach the logs.
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'token', 'password'], remove: true },
  })
}
