import { unstable_composeUploadHandlers, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node'
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { finished } from 'node:stream/promises'

import { MAX_UPLOAD_BYTES } from './import-limits'

export { MAX_UPLOAD_BYTES }

export class UploadError extends Error {
  constructor(
    readonly code: 'too_large' | 'missing_file' | 'not_multipart',
    message: string,
    readonly limitBytes?: number,
  ) {
    super(message)
  }
}

export function uploadsDir(dataDir: string) {
  return join(dataDir, 'uploads')
}

/** Streams bytes to a new file under `dir`, stopping (and deleting it) as soon as `limit` is passed. */
export async function saveUploadStream(dir: string, data: AsyncIterable<Uint8Array>, limit: number): Promise<{ path: string; bytes: number }> {
  await mkdir(dir, { recursive: true })
  const path = join(dir, `${randomUUID()}.upload`)
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 })
  let bytes = 0
  try {
    for await (const chunk of data) {
      bytes += chunk.byteLength
      if (bytes > limit) {
        throw new UploadError('too_large', `The file is larger than ${Math.round(limit / (1024 * 1024))} MB. Export a shorter period, or split the export, and upload each part.`, limit)
      }
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
    }
    out.end()
    await finished(out)
    return { path, bytes }
  } catch (error) {
    out.destroy()
    await rm(path, { force: true })
    throw error
  }
}

/**
 * Reads a multipart upload: the `file` part is streamed to DATA_DIR/uploads (never buffered),
 * the small text fields are kept in memory. Throws UploadError for a missing or oversized file.
 */
export async function receiveUpload(request: Request, options: { dataDir: string; limitBytes?: number }) {
  const limit = options.limitBytes ?? MAX_UPLOAD_BYTES
  const declared = Number(request.headers.get('Content-Length') ?? '0')
  if (declared > limit + 64 * 1024) {
    throw new UploadError('too_large', `The file is larger than ${Math.round(limit / (1024 * 1024))} MB. Export a shorter period, or split the export, and upload each part.`, limit)
  }
  let saved: { path: string; bytes: number; filename: string } | null = null
  const fileHandler = async (part: { name: string; filename?: string; data: AsyncIterable<Uint8Array> }) => {
    if (part.name !== 'file' || !part.filename) return undefined
    const result = await saveUploadStream(uploadsDir(options.dataDir), part.data, limit)
    saved = { ...result, filename: part.filename }
    return result.path
  }
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, unstable_composeUploadHandlers(fileHandler, unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 })))
  } catch (error) {
    if (saved) await rm((saved as { path: string }).path, { force: true })
    if (error instanceof UploadError) throw error
    if (error instanceof TypeError) throw new UploadError('not_multipart', 'Send the file as a multipart/form-data upload (the upload form does this).')
    throw error
  }
  const file = saved as { path: string; bytes: number; filename: string } | null
  if (!file) throw new UploadError('missing_file', 'Choose a CSV file to upload.')
  const field = (name: string) => {
    const value = form.get(name)
    return typeof value === 'string' ? value : undefined
  }
  return { filePath: file.path, filename: file.filename, bytes: file.bytes, field }
}

/** Deletes an upload that will not become a run (its form fields were invalid). */
export async function discardUpload(path: string) {
  await rm(path, { force: true })
}
