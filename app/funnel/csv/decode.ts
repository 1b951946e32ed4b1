import iconv from 'iconv-lite'
import { CrmCsvError } from './errors'

/**
 * Bytes → text for CRM uploads, streaming. Exports arrive as UTF-8 (with or without BOM), as
 * Windows-1252 from Excel on Windows, and occasionally as UTF-16 "Unicode text" from Excel.
 */

export type TextEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be'

/** Filled in as soon as the encoding is known, so the caller can report it. */
export interface DecodeReport {
  encoding: TextEncodingName | null
  bomStripped: boolean
}

/** How much of the file is inspected before deciding between UTF-8 and Windows-1252. */
export const SNIFF_BYTES = 64 * 1024

type Mode = 'undecided' | TextEncodingName

function toBuffer(chunk: Uint8Array | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
}

function firstNonAscii(buf: Buffer): number {
  for (let i = 0; i < buf.length; i++) if (buf[i] > 0x7f) return i
  return -1
}

/**
 * Text files never hold NUL, and only tab/CR/LF among the C0 controls; Windows-1252 text has
 * none either. A few percent of such bytes means a spreadsheet, a zip or an image was uploaded.
 */
function looksBinary(sample: Buffer): boolean {
  let controls = 0
  for (const byte of sample) {
    if (byte === 0) return true
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) controls++
  }
  return sample.length > 0 && controls / sample.length > 0.01
}

/**
 * Decodes a byte stream into text chunks. The UTF-8/Windows-1252 decision is deferred while the
 * bytes are pure ASCII (identical in both), then made on a window of up to SNIFF_BYTES starting
 * at the first non-ASCII byte: a cp1252 `é` on line 90 000 is still caught, and nothing but that
 * window is ever buffered. Decoding the window with `stream: true` keeps a multibyte character
 * cut at the window's end from being mistaken for invalid UTF-8.
 */
export async function* decodeCrmBytes(
  source: AsyncIterable<Uint8Array | string>,
  report: DecodeReport = { encoding: null, bomStripped: false },
): AsyncGenerator<string> {
  const iterator = source[Symbol.asyncIterator]()

  const head: Buffer[] = []
  let headLength = 0
  while (headLength < SNIFF_BYTES) {
    const next = await iterator.next()
    if (next.done) break
    const buf = toBuffer(next.value)
    head.push(buf)
    headLength += buf.length
  }
  let sniff = Buffer.concat(head)

  let mode: Mode = 'undecided'
  let utf16: iconv.DecoderStream | null = null
  if (sniff[0] === 0xff && sniff[1] === 0xfe) mode = 'utf-16le'
  else if (sniff[0] === 0xfe && sniff[1] === 0xff) mode = 'utf-16be'
  if (mode === 'utf-16le' || mode === 'utf-16be') {
    utf16 = iconv.getDecoder(mode === 'utf-16le' ? 'utf16le' : 'utf16be')
    sniff = sniff.subarray(2)
    report.bomStripped = true
    report.encoding = mode
  } else {
    if (sniff[0] === 0xef && sniff[1] === 0xbb && sniff[2] === 0xbf) {
      sniff = sniff.subarray(3)
      report.bomStripped = true
      // A UTF-8 BOM is a promise, not a guess.
      mode = 'utf-8'
      report.encoding = 'utf-8'
    }
    if (looksBinary(sniff)) {
      throw new CrmCsvError(
        'binary_file',
        'This file is not a text CSV (it looks like a spreadsheet, archive or image). Export the report as CSV and upload that.',
      )
    }
  }

  const utf8 = new TextDecoder('utf-8', { fatal: true })
  const cp1252 = iconv.getDecoder('win1252')
  let pending: Buffer = Buffer.alloc(0)
  let bytesSeen = 0

  const decodeUtf8 = (buf: Buffer, final: boolean): string => {
    try {
      return utf8.decode(buf, { stream: !final })
    } catch {
      throw new CrmCsvError(
        'invalid_encoding',
        `The file starts as UTF-8 but has bytes that are not UTF-8 near byte ${bytesSeen}: it mixes encodings. Re-save it as "CSV UTF-8" and upload it again.`,
      )
    }
  }

  const decide = (final: boolean): string => {
    const window = pending
    pending = Buffer.alloc(0)
    // Only the first SNIFF_BYTES decide: a large read can bring far more, and a cp1252 byte deep
    // inside an otherwise UTF-8 file must be reported as mixed encodings, not silently turn the
    // whole file into Windows-1252 mojibake.
    const head = window.subarray(0, SNIFF_BYTES)
    const rest = window.subarray(SNIFF_BYTES)
    let text: string
    try {
      // `stream` keeps a multibyte character cut at the window's end pending, not invalid.
      text = utf8.decode(head, { stream: !(final && rest.length === 0) })
    } catch {
      mode = 'windows-1252'
      report.encoding = 'windows-1252'
      return cp1252.write(window)
    }
    mode = 'utf-8'
    report.encoding = 'utf-8'
    return rest.length > 0 ? text + decodeUtf8(rest, final) : text
  }

  const push = (buf: Buffer): string => {
    bytesSeen += buf.length
    switch (mode) {
      case 'utf-16le':
      case 'utf-16be':
        return (utf16 as iconv.DecoderStream).write(buf)
      case 'utf-8':
        return decodeUtf8(buf, false)
      case 'windows-1252':
        return cp1252.write(buf)
      case 'undecided': {
        let text = ''
        if (pending.length === 0) {
          const at = firstNonAscii(buf)
          if (at < 0) return buf.toString('latin1')
          text = buf.subarray(0, at).toString('latin1')
          pending = buf.subarray(at)
        } else {
          pending = Buffer.concat([pending, buf])
        }
        return pending.length >= SNIFF_BYTES ? text + decide(false) : text
      }
    }
  }

  const finish = (): string => {
    switch (mode) {
      case 'utf-16le':
      case 'utf-16be':
        return (utf16 as iconv.DecoderStream).end() ?? ''
      case 'utf-8':
        return decodeUtf8(Buffer.alloc(0), true)
      case 'windows-1252':
        return cp1252.end() ?? ''
      case 'undecided':
        if (pending.length > 0) return decide(true)
        report.encoding = 'utf-8'
        return ''
    }
  }

  try {
    if (sniff.length > 0) {
      const text = push(sniff)
      if (text) yield text
    }
    for (;;) {
      const next = await iterator.next()
      if (next.done) break
      const text = push(toBuffer(next.value))
      if (text) yield text
    }
    const tail = finish()
    if (tail) yield tail
  } finally {
    // Releases the upload (a Readable's iterator destroys it) when the consumer stops early.
    await iterator.return?.()
  }
}

/**
 * CRLF and lone CR become LF before parsing: physical line numbers are then a plain count of LFs,
 * and a CR that ends one chunk while its LF starts the next is not read as two line breaks.
 */
export async function* normaliseLineEndings(text: AsyncIterable<string>): AsyncGenerator<string> {
  let carriedCr = false
  for await (let chunk of text) {
    if (carriedCr) chunk = '\r' + chunk
    carriedCr = chunk.endsWith('\r')
    if (carriedCr) chunk = chunk.slice(0, -1)
    const out = chunk.replace(/\r\n?/g, '\n')
    if (out) yield out
  }
  if (carriedCr) yield '\n'
}
