import { createHash, randomBytes } from 'node:crypto'

/** 256 random bits, URL-safe. Used for session ids, sign-in links, survey links and API keys. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** Tokens are stored as their SHA-256: a leaked table cannot be replayed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
