import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/**
 * Private 1:1 notes are encrypted at rest with AES-256-GCM (NIST SP 800-38D): a fresh random
 * 96-bit IV for every write, the 128-bit auth tag stored beside the ciphertext, and the note's
 * meeting and author bound in as additional authenticated data so a row copied onto another
 * meeting or author fails to decrypt instead of being shown there.
 */
export type EncryptedNote = { ciphertext: string; iv: string; authTag: string; keyId: string }

/** Decryption failed because the stored note was written with another key (or was altered). */
export class NoteKeyMismatchError extends Error {
  constructor(
    public readonly storedKeyId: string,
    public readonly currentKeyId: string,
  ) {
    super(`This note was encrypted with key ${storedKeyId}, but the configured key is ${currentKeyId}.`)
    this.name = 'NoteKeyMismatchError'
  }
}

function keyBytes(hexKey: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hexKey)) throw new Error('A notes encryption key must be 64 hexadecimal characters (256 bits).')
  return Buffer.from(hexKey, 'hex')
}

/**
 * A short public fingerprint of a key (never the key): stored with each note so that a rotation
 * finds what to re-encrypt and a wrong key is recognised before any decryption is attempted.
 */
export function noteKeyId(hexKey: string): string {
  return `k1-${createHash('sha256').update('pulseboard-notes-key-id').update(keyBytes(hexKey)).digest('hex').slice(0, 16)}`
}

const aad = (context: { meetingId: string; authorId: string }) => Buffer.from(`one-on-one-note:${context.meetingId}:${context.authorId}`, 'utf8')

export function encryptNote(hexKey: string, plaintext: string, context: { meetingId: string; authorId: string }): EncryptedNote {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyBytes(hexKey), iv, { authTagLength: 16 })
  cipher.setAAD(aad(context))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), authTag: cipher.getAuthTag().toString('base64'), keyId: noteKeyId(hexKey) }
}

/** The plaintext, or a NoteKeyMismatchError: GCM authenticates, so a wrong key never yields garbage. */
export function decryptNote(hexKey: string, note: EncryptedNote, context: { meetingId: string; authorId: string }): string {
  const currentKeyId = noteKeyId(hexKey)
  if (note.keyId !== currentKeyId) throw new NoteKeyMismatchError(note.keyId, currentKeyId)
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyBytes(hexKey), Buffer.from(note.iv, 'base64'), { authTagLength: 16 })
    decipher.setAAD(aad(context))
    decipher.setAuthTag(Buffer.from(note.authTag, 'base64'))
    return Buffer.concat([decipher.update(Buffer.from(note.ciphertext, 'base64')), decipher.final()]).toString('utf8')
  } catch {
    throw new NoteKeyMismatchError(note.keyId, currentKeyId)
  }
}
