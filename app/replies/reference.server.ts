/**
 * The opaque reference through which a results page addresses a comment for a reply. Answer and
 * response ids are serial or linkable, so they never reach the replier: the reference is the
 * answer id and the group the page showed, encrypted with AES-256-GCM under a key derived from
 * SESSION_SECRET. The IV is an HMAC of the plaintext (a synthetic IV, as in AES-SIV), so one
 * comment keeps one reference across page loads (a reply form's error finds its comment again)
 * while nothing about the id or the order of submission can be read from it. A forged or altered
 * reference fails GCM's authentication and decodes to nothing.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto'

export type CommentRef = { answerId: string; groupId: 'org' | string }

const VERSION = 'c1'
const IV_BYTES = 12
const TAG_BYTES = 16

const derived = new Map<string, { enc: Buffer; mac: Buffer }>()

/** Two keys from the session secret (HKDF-SHA256), so the secret itself encrypts nothing. */
function keys(secret: string) {
  let pair = derived.get(secret)
  if (!pair) {
    const material = Buffer.from(hkdfSync('sha256', secret, 'pulseboard', 'comment-reply-reference v1', 64))
    pair = { enc: material.subarray(0, 32), mac: material.subarray(32) }
    derived.set(secret, pair)
  }
  return pair
}

export function encodeCommentRef(secret: string, ref: CommentRef): string {
  const { enc, mac } = keys(secret)
  const plain = Buffer.from(`${VERSION}:${ref.answerId}:${ref.groupId}`, 'utf8')
  const iv = createHmac('sha256', mac).update(plain).digest().subarray(0, IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', enc, iv)
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
}

const PLAIN = /^c1:([1-9][0-9]{0,18}):(org|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/

/** The comment a reference names, or null for anything not made by encodeCommentRef with this secret. */
export function decodeCommentRef(secret: string, value: string): CommentRef | null {
  if (!/^[A-Za-z0-9_-]{40,200}$/.test(value)) return null
  const raw = Buffer.from(value, 'base64url')
  if (raw.length <= IV_BYTES + TAG_BYTES) return null
  const { enc } = keys(secret)
  try {
    const decipher = createDecipheriv('aes-256-gcm', enc, raw.subarray(0, IV_BYTES))
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES))
    const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8')
    const match = PLAIN.exec(plain)
    return match ? { answerId: match[1], groupId: match[2] } : null
  } catch {
    return null
  }
}
