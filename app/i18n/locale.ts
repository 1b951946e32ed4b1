import type { Locale } from '#db/schema/settings'

export type { Locale }
export const supportedLocales: readonly Locale[] = ['en', 'it']

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'it'
}

/** Picks the best supported language from an Accept-Language header, or null. */
export function localeFromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1 }
    })
    .filter((x) => x.lang && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q)
  return (ranked.find((x) => isLocale(x.lang))?.lang as Locale | undefined) ?? null
}
