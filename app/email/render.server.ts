import { type Options, render } from '@react-email/render'
import type { ReactElement } from 'react'

/** How the plain-text part is made from the HTML (html-to-text options, merged over react-email's). */
export type PlainTextOptions = Extract<Options, { plainText?: true }>['htmlToTextOptions']

/**
 * Every email has an HTML and a plain-text part, both from the same react-email component.
 * `plainText` tunes the text part only (e.g. tables kept as aligned columns).
 */
export async function renderEmail(element: ReactElement, options: { plainText?: PlainTextOptions } = {}): Promise<{ html: string; text: string }> {
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true, htmlToTextOptions: options.plainText })])
  // React 18's stream renderer pads its 2 KB chunk with NUL bytes when a multi-byte character (the
  // preheader's zero-width spaces) does not fit at the end; PostgreSQL refuses NUL in text, and it
  // is never content, so it goes.
  return { html: html.replaceAll('\u0000', ''), text: text.replaceAll('\u0000', '') }
}
