import { describe, expect, it } from 'vitest'
import { NoteKeyMismatchError, decryptNote, encryptNote, noteKeyId } from '~/one-on-ones/notes-crypto.server'

const key = '0f'.repeat(32)
const other = 'a1'.repeat(32)
const context = { meetingId: '11111111-1111-4111-8111-111111111111', authorId: '22222222-2222-4222-8222-222222222222' }

describe('private note encryption (AES-256-GCM)', () => {
  it('round-trips unicode text with a 96-bit IV and a 128-bit tag', () => {
    const text = 'Nota riservata: è stanco? 🙂 — follow up'
    const note = encryptNote(key, text, context)
    expect(Buffer.from(note.iv, 'base64')).toHaveLength(12)
    expect(Buffer.from(note.authTag, 'base64')).toHaveLength(16)
    expect(Buffer.from(note.ciphertext, 'base64')).toHaveLength(Buffer.byteLength(text, 'utf8'))
    expect(note.ciphertext).not.toContain('riservata')
    expect(decryptNote(key, note, context)).toBe(text)
  })

  it('uses a fresh IV for every write', () => {
    const ivs = new Set(Array.from({ length: 50 }, () => encryptNote(key, 'same', context).iv))
    expect(ivs.size).toBe(50)
  })

  it('names the key by a stable fingerprint that does not reveal it', () => {
    expect(noteKeyId(key)).toBe(noteKeyId(key.toUpperCase()))
    expect(noteKeyId(key)).not.toBe(noteKeyId(other))
    expect(noteKeyId(key)).toMatch(/^k1-[0-9a-f]{16}$/)
    expect(noteKeyId(key)).not.toContain(key.slice(0, 16))
    expect(() => noteKeyId('abc')).toThrow('64 hexadecimal characters')
  })

  it('refuses a wrong key, a tampered ciphertext or another meeting/author: an error, never garbage', () => {
    const note = encryptNote(key, 'secret', context)
    expect(() => decryptNote(other, note, context)).toThrow(NoteKeyMismatchError)
    // Even a note claiming the current key id fails authentication when written with another key.
    const forged = { ...encryptNote(other, 'secret', context), keyId: noteKeyId(key) }
    expect(() => decryptNote(key, forged, context)).toThrow(NoteKeyMismatchError)
    const bytes = Buffer.from(note.ciphertext, 'base64')
    bytes[0] ^= 1
    expect(() => decryptNote(key, { ...note, ciphertext: bytes.toString('base64') }, context)).toThrow(NoteKeyMismatchError)
    expect(() => decryptNote(key, note, { ...context, authorId: context.meetingId })).toThrow(NoteKeyMismatchError)
  })
})
