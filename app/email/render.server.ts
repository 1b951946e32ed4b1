import { render } from '@react-email/render'
import type { ReactElement } from 'react'

/** Every email has an HTML and a plain-text part, both from the same react-email component. */
export async function renderEmail(element: ReactElement): Promise<{ html: string; text: string }> {
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })])
  return { html, text }
}
