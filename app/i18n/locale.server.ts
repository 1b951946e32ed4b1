import { createCookie } from '@remix-run/node'
import { type Locale, isLocale, localeFromAcceptLanguage } from './locale'

/** Remembers the language a signed-out visitor chose with the switcher. */
export const localeCookie = createCookie('pb_lang', { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 60 * 60 })

/** The person's own language, else the switcher's choice, else the browser's, else the organisation's default. */
export async function resolveLocale(request: Request, personLocale: Locale | null | undefined, fallback: Locale): Promise<Locale> {
  if (personLocale) return personLocale
  const chosen = await localeCookie.parse(request.headers.get('Cookie'))
  if (isLocale(chosen)) return chosen
  return localeFromAcceptLanguage(request.headers.get('Accept-Language')) ?? fallback
}
