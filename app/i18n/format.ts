import type { Locale } from './locale'

const tag = (locale: Locale) => (locale === 'it' ? 'it-IT' : 'en-GB')

export function formatNumber(locale: Locale, value: number, digits = 0) {
  return new Intl.NumberFormat(tag(locale), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)
}

export function formatPercent(locale: Locale, fraction: number, digits = 0) {
  return new Intl.NumberFormat(tag(locale), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(fraction)
}

export function formatMoney(locale: Locale, amount: number, currency: string) {
  return new Intl.NumberFormat(tag(locale), { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount)
}

/** Date formatters by locale and time zone: making one costs more than formatting many dates with it. */
const dateFormats = new Map<string, Intl.DateTimeFormat>()

export function formatDate(locale: Locale, value: Date | string, timeZone?: string) {
  const date = typeof value === 'string' ? new Date(value.length === 10 ? `${value}T12:00:00Z` : value) : value
  const key = `${locale} ${timeZone ?? ''}`
  let format = dateFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(tag(locale), { dateStyle: 'medium', timeZone })
    dateFormats.set(key, format)
  }
  return format.format(date)
}

export function formatDateTime(locale: Locale, value: Date | string, timeZone?: string) {
  const date = typeof value === 'string' ? new Date(value) : value
  return new Intl.DateTimeFormat(tag(locale), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date)
}
