/**
 * The invitation email of a wave, rendered once per shared content and filled in per person.
 *
 * Everything in an invitation but the person's name and link is the same for everyone of a round
 * who shares a language and a "you said, we did" list, and a React email render costs far more
 * than the SMTP hand-off. So the email is rendered once with two placeholders and each copy
 * replaces them: the name escaped exactly as React escapes text, the token (base64url, nothing to
 * escape) as is. Only names that come out of both renders unchanged take this path (no runs of
 * white space, no control characters: the plain-text part collapses white space); any other name,
 * and any template where a placeholder did not come out as plain text, is rendered in full.
 */
import { randomBytes } from 'node:crypto'
import { createElement } from 'react'
import { SurveyInvitationEmail, type SurveyInvitationProps, surveyInvitationSubject } from '#emails/survey-invitation'
import { renderEmail } from '~/email/render.server'

/** An invitation's props without the person's name and link. */
export type SharedInvitationProps = Omit<SurveyInvitationProps, 'name' | 'url'>

export type RenderedInvitation = { subject: string; html: string; text: string }

// Random per process, so no survey title or action text can contain them by accident.
const nonce = randomBytes(8).toString('hex')
const NAME = `pbname${nonce}x`
const TOKEN = `pbtoken${nonce}x`

/** Words separated by single spaces, no control characters and no zero-width space (html-to-text's white space). */
const PLAIN_NAME = /^[^\s\p{Cc}\u200b]+(?: [^\s\p{Cc}\u200b]+)*$/u
const PLAIN_TOKEN = /^[A-Za-z0-9_-]+$/

/** React's escaping of text and attribute values (escapeTextForBrowser). */
const HTML_ESCAPES: Record<string, string> = { '"': '&quot;', '&': '&amp;', "'": '&#x27;', '<': '&lt;', '>': '&gt;' }
const escapeHtml = (value: string) => value.replace(/["&'<>]/g, (c) => HTML_ESCAPES[c])

/** Each part split around the placeholders: the placeholders are at the odd indexes. */
type Template = { html: string[]; text: string[] } | null

/** Recent templates by their shared props (a wave has a handful: languages × "we did" lists × rounds). */
const templates = new Map<string, Promise<Template>>()
const MAX_TEMPLATES = 200

async function renderTemplate(shared: SharedInvitationProps, linkPrefix: string): Promise<Template> {
  const { html, text } = await renderEmail(createElement(SurveyInvitationEmail, { ...shared, name: NAME, url: `${linkPrefix}${TOKEN}` }))
  // Each placeholder must come out verbatim in both parts, or the copies could not be filled in.
  if (!html.includes(NAME) || !text.includes(NAME) || !html.includes(TOKEN) || !text.includes(TOKEN)) return null
  const split = (part: string) => part.split(new RegExp(`(${NAME}|${TOKEN})`))
  return { html: split(html), text: split(text) }
}

function templateFor(shared: SharedInvitationProps, linkPrefix: string): Promise<Template> {
  const key = JSON.stringify([linkPrefix, shared])
  if (key.includes(nonce)) return Promise.resolve(null)
  let template = templates.get(key)
  if (!template) {
    template = renderTemplate(shared, linkPrefix)
    template.catch(() => templates.delete(key))
    templates.set(key, template)
    if (templates.size > MAX_TEMPLATES) templates.delete(templates.keys().next().value!)
  }
  return template
}

/**
 * The invitation (or reminder) to one person, whose link is `linkPrefix` + `token`: exactly what
 * rendering `SurveyInvitationEmail` with their name and link gives.
 */
export async function renderInvitationEmail(shared: SharedInvitationProps, linkPrefix: string, person: { name: string; token: string }): Promise<RenderedInvitation> {
  const subject = surveyInvitationSubject(shared)
  const url = `${linkPrefix}${person.token}`
  const template = PLAIN_NAME.test(person.name) && PLAIN_TOKEN.test(person.token) ? await templateFor(shared, linkPrefix) : null
  if (!template) {
    const { html, text } = await renderEmail(createElement(SurveyInvitationEmail, { ...shared, name: person.name, url }))
    return { subject, html, text }
  }
  const fill = (parts: string[], name: string) => parts.map((p, i) => (i % 2 === 0 ? p : p === NAME ? name : person.token)).join('')
  return { subject, html: fill(template.html, escapeHtml(person.name)), text: fill(template.text, person.name) }
}
