import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { Writable } from 'node:stream'
import { renderToPipeableStream } from 'react-dom/server'
import { NonceProvider } from './ui/nonce'

export const streamTimeout = 5_000

/**
 * Renders the whole document, then sends it in one piece. No page suspends (loaders return their
 * data before the render starts, and nothing uses defer or Suspense), so streaming it as React
 * writes each chunk only cost a socket write per chunk and the stream conversions in between;
 * waiting for all of it also lets a render error set the status (500) before anything is sent.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce
  return new Promise((resolve, reject) => {
    let shellRendered = false
    const chunks: Buffer[] = []
    const document = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk)
        done()
      },
    })
    // Whatever has not resolved by then is rendered as the client would (Remix's abortDelay).
    const timer = setTimeout(() => abort(), streamTimeout + 1000)
    document.on('finish', () => {
      clearTimeout(timer)
      const body = Buffer.concat(chunks)
      responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
      responseHeaders.set('Content-Length', String(body.length))
      resolve(new Response(body, { headers: responseHeaders, status: responseStatusCode }))
    })
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true
        },
        onAllReady() {
          pipe(document)
        },
        onShellError(error: unknown) {
          clearTimeout(timer)
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          // An error before the shell is rejected (and logged by handleError); log the later ones.
          if (shellRendered) console.error(error)
        },
      },
    )
  })
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return
  console.error(error)
}
